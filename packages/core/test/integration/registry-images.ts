import { createHash } from "node:crypto";

/**
 * Pushes images to a registry through its v2 HTTP API, without building anything: a config blob naming
 * the platform and an image manifest over it (no layers), or an OCI index over several such manifests.
 * Enough for a registry to answer what preflight asks: the manifest, and the platform of each image.
 */
export interface RegistryAccess {
  readonly address: string;
  readonly username: string;
  readonly password: string;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

async function call(
  registry: RegistryAccess,
  method: string,
  path: string,
  body?: Buffer,
  contentType?: string,
): Promise<Response> {
  const url = path.startsWith("http") ? path : `http://${registry.address}${path}`;
  const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString("base64")}`;
  const response = await fetch(url, {
    method,
    headers: { Authorization: auth, ...(contentType ? { "Content-Type": contentType } : {}) },
    ...(body ? { body } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered HTTP ${response.status}: ${await response.text()}`);
  return response;
}

async function pushBlob(registry: RegistryAccess, repository: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const started = await call(registry, "POST", `/v2/${repository}/blobs/uploads/`);
  const location = new URL(started.headers.get("location") ?? "", `http://${registry.address}`);
  location.searchParams.set("digest", digest);
  await call(registry, "PUT", location.toString(), bytes, "application/octet-stream");
  return digest;
}

async function pushManifest(
  registry: RegistryAccess,
  repository: string,
  reference: string,
  platform: string,
): Promise<{ digest: string; size: number }> {
  const [os, architecture, variant] = platform.split("/");
  const config = Buffer.from(
    JSON.stringify({
      architecture,
      os,
      ...(variant ? { variant } : {}),
      rootfs: { type: "layers", diff_ids: [] },
      config: {},
    }),
  );
  const configDigest = await pushBlob(registry, repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
      layers: [],
    }),
  );
  await call(
    registry,
    "PUT",
    `/v2/${repository}/manifests/${reference}`,
    manifest,
    "application/vnd.oci.image.manifest.v1+json",
  );
  return { digest: sha256(manifest), size: manifest.length };
}

/** Pushes `repository:tag` for one platform (a single manifest) or several (an OCI index); returns the image reference. */
export async function pushImageFor(
  registry: RegistryAccess,
  repository: string,
  tag: string,
  platforms: readonly string[],
): Promise<string> {
  if (platforms.length === 1) {
    await pushManifest(registry, repository, tag, platforms[0] ?? "");
    return `${registry.address}/${repository}:${tag}`;
  }
  const manifests = [];
  for (const platform of platforms) {
    const pushed = await pushManifest(registry, repository, `${tag}-${platform.replaceAll("/", "-")}`, platform);
    const [os, architecture, variant] = platform.split("/");
    manifests.push({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      ...pushed,
      platform: { os, architecture, ...(variant ? { variant } : {}) },
    });
  }
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests }),
  );
  await call(registry, "PUT", `/v2/${repository}/manifests/${tag}`, index, "application/vnd.oci.image.index.v1+json");
  return `${registry.address}/${repository}:${tag}`;
}
