import { RegistryError } from "./errors.js";
import type { ImageReference } from "./image-reference.js";
import type { RegistryLogin } from "./registry-credentials.js";

/** The fetch signature the registry client needs (injectable for tests). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The manifest media types this client accepts: OCI and Docker, single-platform and multi-platform. */
export const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** Options of {@link findRemoteManifest}. */
export interface RegistryRequestOptions {
  readonly login?: RegistryLogin | undefined;
  /** Use http instead of https; default true only for localhost and 127.0.0.1, as the Docker Engine does. */
  readonly insecure?: boolean;
  readonly fetch?: Fetch;
}

/** The base URL of a registry's v2 API. */
export function registryBaseUrl(registry: string, insecure?: boolean): string {
  const host = registry === "docker.io" ? "registry-1.docker.io" : registry;
  const plain = insecure ?? /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(registry);
  return `${plain ? "http" : "https"}://${host}`;
}

/**
 * Asks a registry (v2 API) whether `repository:tag` exists, with Basic or Bearer-token auth as the
 * registry demands. Returns the manifest digest, or undefined when the tag does not exist.
 */
export async function findRemoteManifest(
  ref: ImageReference,
  tag: string,
  options: RegistryRequestOptions = {},
): Promise<string | undefined> {
  const doFetch = options.fetch ?? fetch;
  const url = `${registryBaseUrl(ref.registry, options.insecure)}/v2/${ref.repository}/manifests/${tag}`;
  const request = async (authorization?: string) => {
    try {
      return await doFetch(url, {
        method: "HEAD",
        headers: { Accept: MANIFEST_TYPES, ...(authorization ? { Authorization: authorization } : {}) },
      });
    } catch (error) {
      throw new RegistryError(ref.registry, `cannot reach ${url} (${(error as Error).message})`, undefined, {
        cause: error,
      });
    }
  };
  let response = await request();
  if (response.status === 401) {
    const challenge = response.headers.get("www-authenticate") ?? "";
    response = await request(await authorizationFor(challenge, ref, url, options, doFetch));
  }
  if (response.status === 404) return undefined;
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError(
      ref.registry,
      `access to ${ref.repository} was denied (HTTP ${response.status}); check the registry username and password or token`,
      response.status,
    );
  }
  if (!response.ok)
    throw new RegistryError(
      ref.registry,
      `manifest lookup for ${ref.repository}:${tag} answered HTTP ${response.status}`,
      response.status,
    );
  const digest = response.headers.get("docker-content-digest");
  if (!digest)
    throw new RegistryError(ref.registry, `the registry did not return a digest for ${ref.repository}:${tag}`);
  return digest;
}

async function authorizationFor(
  challenge: string,
  ref: ImageReference,
  registryUrl: string,
  options: RegistryRequestOptions,
  doFetch: Fetch,
): Promise<string> {
  const login = options.login;
  const basic = login ? `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}` : undefined;
  if (/^basic/i.test(challenge)) {
    if (!basic)
      throw new RegistryError(ref.registry, `${ref.repository} needs a login; give registry credentials`, 401);
    return basic;
  }
  if (!/^bearer/i.test(challenge))
    throw new RegistryError(ref.registry, `unsupported authentication challenge "${challenge.split(" ")[0]}"`, 401);
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const realm = params.realm;
  if (!realm) throw new RegistryError(ref.registry, "the bearer challenge names no token realm", 401);
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(realm);
  } catch {
    throw new RegistryError(ref.registry, `the bearer challenge's token realm "${realm}" is not a URL`, 401);
  }
  if (basic) refuseCredentialsTo(tokenUrl, registryUrl, ref);
  if (params.service) tokenUrl.searchParams.set("service", params.service);
  tokenUrl.searchParams.set("scope", params.scope ?? `repository:${ref.repository}:pull`);
  const answer = await doFetch(tokenUrl.toString(), { headers: basic ? { Authorization: basic } : {} });
  if (answer.status === 401 || answer.status === 403) {
    throw new RegistryError(
      ref.registry,
      `the token service refused the login (HTTP ${answer.status}); check the registry username and password or token`,
      answer.status,
    );
  }
  if (!answer.ok)
    throw new RegistryError(ref.registry, `the token service answered HTTP ${answer.status}`, answer.status);
  const body = (await answer.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new RegistryError(ref.registry, "the token service returned no token", answer.status);
  return `Bearer ${token}`;
}

/**
 * Throws unless Basic credentials may go to the token realm a registry named. The realm is whatever the registry's
 * 401 says (the token authentication spec, https://distribution.github.io/distribution/spec/auth/token: the client
 * asks the realm for a token; its JWT page: "the registry client in the Docker Engine only supports Basic
 * Authentication to these token servers"), so
 * a registry, or whoever answers in its place over plain http, could name any server. Basic sends the password
 * readable by anyone on the path (RFC 7617, section 4), so the realm must be https, or plain http only on the very
 * host of a registry that was itself reached over http (a loopback registry in tests, an insecure registry the
 * user chose): then the password already crossed that link.
 */
function refuseCredentialsTo(realm: URL, registryUrl: string, ref: ImageReference): void {
  if (realm.protocol === "https:") return;
  const registry = new URL(registryUrl);
  if (realm.protocol === "http:" && registry.protocol === "http:" && realm.hostname === registry.hostname) return;
  const shown = `${realm.protocol}//${realm.host}${realm.pathname}`;
  throw new RegistryError(
    ref.registry,
    `the registry sent its token realm as ${shown}, and the registry credentials are not sent there: a token realm must be https ` +
      `(or plain http on the registry's own host when the registry itself is reached over http). Check the registry address, ` +
      `or a proxy answering in its place`,
    401,
  );
}

/**
 * An authenticated GET on a registry's v2 API (`path` starts with `/v2/`), with Basic or Bearer-token auth as
 * the registry's challenge demands. Redirects (blob storage) are followed; fetch drops the Authorization header
 * when a redirect leaves the registry's origin.
 */
export async function registryGet(
  ref: ImageReference,
  path: string,
  accept: string,
  options: RegistryRequestOptions = {},
): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const url = `${registryBaseUrl(ref.registry, options.insecure)}${path}`;
  const request = async (authorization?: string) => {
    try {
      return await doFetch(url, {
        headers: { Accept: accept, ...(authorization ? { Authorization: authorization } : {}) },
      });
    } catch (error) {
      throw new RegistryError(ref.registry, `cannot reach ${url} (${(error as Error).message})`, undefined, {
        cause: error,
      });
    }
  };
  const response = await request();
  if (response.status !== 401) return response;
  await response.body?.cancel();
  return request(await authorizationFor(response.headers.get("www-authenticate") ?? "", ref, url, options, doFetch));
}
