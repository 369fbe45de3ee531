import { type ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { awsErrorName } from "../aws-clients.js";

/**
 * A small reader of image manifests through the registry's v2 API, only to learn whether an image exists
 * and for which platforms. Core may not import the image package (which has a fuller client), so this is
 * its own: anonymous, then Basic or Bearer-token auth as the registry's challenge asks, and for ECR the
 * token of GetAuthorizationToken (the same login Fargate's execution role uses to pull).
 */

/** The fetch signature the reader needs (injectable for tests). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What a registry said about an image. */
export type ManifestAnswer =
  | { readonly kind: "found"; readonly platforms: readonly string[] }
  | { readonly kind: "missing"; readonly detail: string }
  | { readonly kind: "unchecked"; readonly reason: string };

/** Options of {@link readImagePlatforms}. */
export interface ManifestReaderOptions {
  readonly fetch?: Fetch;
  /** For an ECR registry: the client whose GetAuthorizationToken gives the registry login. */
  readonly ecr?: Pick<ECRClient, "send">;
  /** A username and password for other registries (Fargate itself pulls those anonymously). */
  readonly login?: { readonly username: string; readonly password: string };
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

/** An image reference split as registries see it. */
export interface ImageName {
  readonly registry: string;
  readonly repository: string;
  /** Tag or digest. */
  readonly reference: string;
}

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** True for an ECR registry host such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
export function isEcrRegistry(host: string): boolean {
  return ECR_HOST.test(host);
}

/** Splits `[host[:port]/]path[:tag][@digest]` as Docker does (docker.io and `library/` when no host is named). */
export function parseImageName(image: string): ImageName {
  let rest = image;
  let reference = "latest";
  const at = rest.indexOf("@");
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) {
    if (at < 0) reference = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split("/");
  const first = parts[0] ?? "";
  let registry = "docker.io";
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    parts.shift();
  }
  if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
  return { registry, repository: parts.join("/"), reference };
}

interface Descriptor {
  readonly digest: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

/**
 * The platforms (`linux/amd64`, `linux/arm64/v8`) an image is published for: the entries of a manifest list
 * or OCI index (attestation entries, `unknown/unknown`, left out), or the os and architecture of a single
 * manifest's config. Never throws: what cannot be read is `unchecked` with the reason.
 */
export async function readImagePlatforms(image: string, options: ManifestReaderOptions = {}): Promise<ManifestAnswer> {
  const name = parseImageName(image);
  try {
    const session = new RegistrySession(name, options);
    const top = await session.get(`/v2/${name.repository}/manifests/${name.reference}`, MANIFEST_TYPES);
    if (top.status === 404)
      return { kind: "missing", detail: `${name.repository}:${name.reference} is not in ${name.registry} (HTTP 404)` };
    if (!top.ok) return unchecked(top, name);
    const manifest = (await top.json()) as { manifests?: Descriptor[]; config?: Descriptor; errors?: unknown };
    if (manifest.manifests) {
      const platforms = manifest.manifests
        .map((m) => m.platform)
        .filter((p) => p?.os && p.architecture && p.os !== "unknown")
        .map((p) => [p?.os, p?.architecture, p?.variant].filter(Boolean).join("/"));
      return { kind: "found", platforms: [...new Set(platforms)] };
    }
    if (!manifest.config) return { kind: "unchecked", reason: `the manifest of ${image} names no config` };
    const config = await session.get(`/v2/${name.repository}/blobs/${manifest.config.digest}`, "*/*");
    if (!config.ok) return unchecked(config, name);
    const body = (await config.json()) as { os?: string; architecture?: string; variant?: string };
    return {
      kind: "found",
      platforms: [[body.os ?? "?", body.architecture ?? "?", body.variant].filter(Boolean).join("/")],
    };
  } catch (error) {
    return { kind: "unchecked", reason: reasonOf(error) };
  }
}

function unchecked(response: Response, name: ImageName): ManifestAnswer {
  const why =
    response.status === 401 || response.status === 403
      ? `${name.registry} refused to show ${name.repository} without credentials (HTTP ${response.status})`
      : `${name.registry} answered HTTP ${response.status}`;
  return { kind: "unchecked", reason: why };
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return cause ? `${message} (${cause})` : message;
}

/** One registry conversation: the auth header learned from the first challenge is reused for the next requests. */
class RegistrySession {
  private authorization: string | undefined;

  constructor(
    private readonly name: ImageName,
    private readonly options: ManifestReaderOptions,
  ) {}

  private url(path: string): string {
    const host = this.name.registry === "docker.io" ? "registry-1.docker.io" : this.name.registry;
    // As the Docker Engine does: plain http only for loopback registries.
    const plain = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(this.name.registry);
    return `${plain ? "http" : "https"}://${host}${path}`;
  }

  private async send(url: string, accept: string): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const headers: Record<string, string> = {
      Accept: accept,
      ...(this.authorization ? { Authorization: this.authorization } : {}),
    };
    try {
      return await doFetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (error) {
      throw new Error(`cannot reach ${new URL(url).host}: ${reasonOf(error)}`, { cause: error });
    }
  }

  async get(path: string, accept: string): Promise<Response> {
    const url = this.url(path);
    // ECR never answers anonymously: log in first rather than after its 401.
    if (!this.authorization && isEcrRegistry(this.name.registry)) this.authorization = await this.basic();
    const first = await this.send(url, accept);
    if (first.status !== 401 || this.authorization) return first;
    await first.body?.cancel();
    this.authorization = await this.authorize(first.headers.get("www-authenticate") ?? "");
    return this.send(url, accept);
  }

  private async basic(): Promise<string | undefined> {
    const login = isEcrRegistry(this.name.registry) ? await this.ecrLogin() : this.options.login;
    return login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}` : undefined;
  }

  private async ecrLogin(): Promise<{ username: string; password: string } | undefined> {
    if (!this.options.ecr) return undefined;
    try {
      const answer = await this.options.ecr.send(new GetAuthorizationTokenCommand({}));
      const token = answer.authorizationData?.[0]?.authorizationToken;
      if (!token) return undefined;
      const decoded = Buffer.from(token, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    } catch (error) {
      throw new Error(`ECR GetAuthorizationToken failed (${awsErrorName(error)})`, { cause: error });
    }
  }

  private async authorize(challenge: string): Promise<string> {
    const basic = await this.basic();
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new Error(`${this.name.registry} asks for a login to read ${this.name.repository}`);
      return basic;
    }
    if (!/^bearer/i.test(challenge))
      throw new Error(`unsupported authentication challenge "${challenge.split(" ")[0]}"`);
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params["realm"]) throw new Error("the bearer challenge names no token realm");
    const tokenUrl = new URL(params["realm"]);
    if (params["service"]) tokenUrl.searchParams.set("service", params["service"]);
    tokenUrl.searchParams.set("scope", params["scope"] ?? `repository:${this.name.repository}:pull`);
    const doFetch = this.options.fetch ?? fetch;
    const answer = await doFetch(tokenUrl.toString(), {
      headers: basic ? { Authorization: basic } : {},
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!answer.ok) throw new Error(`the token service of ${this.name.registry} answered HTTP ${answer.status}`);
    const body = (await answer.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`the token service of ${this.name.registry} returned no token`);
    return `Bearer ${token}`;
  }
}
