import { gunzipSync } from "node:zlib";
import { extract } from "tar-stream";
import { DOCKERFILE_TAG_PREFIX } from "./dockerfile-project.js";
import { RegistryError } from "./errors.js";
import { type ImageRecord, parseImageRecord } from "./image-record.js";
import type { ImageReference } from "./image-reference.js";
import type { ImagePlatform } from "./platform.js";
import { RECORD_COMPANION_SUFFIX, recordCompanionTag } from "./record-companion.js";
import { MANIFEST_TYPES, type RegistryRequestOptions, registryGet } from "./registry-client.js";

/** How many layers, from the top, are searched for the record: only ENV/LABEL/USER/WORKDIR/ENTRYPOINT/CMD follow its RUN. */
const LAYERS_SEARCHED = 3;

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: { readonly os?: string; readonly architecture?: string };
}

/**
 * Reads the package record of an image that is only in its registry, without pulling it: the manifest (the
 * platform's entry of an index), the config's record label, then the top layers, where the record's RUN put
 * its file. Undefined when the image has no record label or the file is not in the top layers.
 */
export async function readRemoteRecord(
  ref: ImageReference,
  reference: string,
  platform: ImagePlatform,
  recordLabel: string,
  options: RegistryRequestOptions = {},
): Promise<ImageRecord | undefined> {
  const image = await remoteImage(ref, reference, platform, options);
  const path = image?.labels[recordLabel];
  if (!image || !path) return undefined;
  const wanted = path.replace(/^\/+/, "");
  for (const layer of [...image.layers].reverse().slice(0, LAYERS_SEARCHED)) {
    if (layer.mediaType && !/gzip|tar$/.test(layer.mediaType)) continue;
    const response = await registryGet(ref, `/v2/${ref.repository}/blobs/${layer.digest}`, "*/*", options);
    if (!response.ok)
      throw new RegistryError(
        ref.registry,
        `GET layer ${layer.digest} answered HTTP ${response.status}`,
        response.status,
      );
    const bytes = Buffer.from(await response.arrayBuffer());
    const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    const text = await fileInTar(tar, wanted);
    if (text !== undefined) return parseImageRecord(text);
  }
  return undefined;
}

/**
 * The record of `tag`, without pulling: from the image itself (a generated image keeps it in a top layer), else from
 * its record companion (an image built from your own Dockerfile, pushed with its record by an earlier build).
 * Undefined when neither has one.
 */
export async function readRemoteRecordOrCompanion(
  ref: ImageReference,
  tag: string,
  digest: string | undefined,
  platform: ImagePlatform,
  recordLabel: string,
  options: RegistryRequestOptions = {},
): Promise<{ record: ImageRecord; from: "image" | "companion" } | undefined> {
  const fromCompanion = async () => {
    try {
      const companion = await readRemoteRecord(ref, recordCompanionTag(tag), platform, recordLabel, options);
      return companion ? { record: companion, from: "companion" as const } : undefined;
    } catch (error) {
      if (RegistryError.isInstance(error) && (error as RegistryError).status === 404) return undefined;
      throw error;
    }
  };
  // A Dockerfile image keeps no record in its layers: its companion first saves reading the image's manifest and config.
  const ownDockerfile = tag.startsWith(DOCKERFILE_TAG_PREFIX);
  if (ownDockerfile) {
    const companion = await fromCompanion();
    if (companion) return companion;
  }
  const own = await readRemoteRecord(ref, digest ?? tag, platform, recordLabel, options);
  if (own) return { record: own, from: "image" };
  return ownDockerfile ? undefined : fromCompanion();
}

/** How many other content tags of a repository are looked at to find the previous image of a source. */
const PREVIOUS_CANDIDATES = 30;

/**
 * The newest other image in the repository built from the same source: a content tag of the same kind (`env-` or
 * `dockerfile-`) whose `sourceLabel` equals `source`, by the config's `created` time. At most
 * {@link PREVIOUS_CANDIDATES} tags are read (two small requests each).
 */
export async function findPreviousRemoteImage(
  ref: ImageReference,
  currentTag: string,
  sourceLabel: string,
  source: string,
  platform: ImagePlatform,
  options: RegistryRequestOptions = {},
): Promise<string | undefined> {
  const response = await registryGet(ref, `/v2/${ref.repository}/tags/list?n=1000`, "application/json", options);
  if (!response.ok) return undefined;
  const prefix = currentTag.slice(0, currentTag.indexOf("-") + 1);
  const tags = (((await response.json()) as { tags?: string[] | null }).tags ?? []).filter(
    (t) => t.startsWith(prefix) && t !== currentTag && !t.endsWith(RECORD_COMPANION_SUFFIX),
  );
  let best: { tag: string; created: string } | undefined;
  for (const tag of tags.slice(-PREVIOUS_CANDIDATES)) {
    const image = await remoteImage(ref, tag, platform, options);
    if (!image || image.labels[sourceLabel] !== source) continue;
    if (!best || image.created > best.created) best = { tag, created: image.created };
  }
  return best?.tag;
}

/** The platform's manifest of `reference` (from an index when it is one) and its config's labels and time. */
async function remoteImage(
  ref: ImageReference,
  reference: string,
  platform: ImagePlatform,
  options: RegistryRequestOptions,
): Promise<{ layers: readonly Descriptor[]; labels: Readonly<Record<string, string>>; created: string } | undefined> {
  const getJson = async <T>(path: string, accept: string): Promise<T> => {
    const response = await registryGet(ref, path, accept, options);
    if (!response.ok)
      throw new RegistryError(ref.registry, `GET ${path} answered HTTP ${response.status}`, response.status);
    return (await response.json()) as T;
  };
  let manifest = await getJson<{ manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(
    `/v2/${ref.repository}/manifests/${reference}`,
    MANIFEST_TYPES,
  );
  if (manifest.manifests) {
    const [os, architecture] = platform.split("/");
    const entry = manifest.manifests.find((m) => m.platform?.os === os && m.platform?.architecture === architecture);
    if (!entry) return undefined;
    manifest = await getJson(`/v2/${ref.repository}/manifests/${entry.digest}`, MANIFEST_TYPES);
  }
  if (!manifest.config) return undefined;
  const config = await getJson<{ created?: string; config?: { Labels?: Record<string, string> | null } }>(
    `/v2/${ref.repository}/blobs/${manifest.config.digest}`,
    "*/*",
  );
  return { layers: manifest.layers ?? [], labels: config.config?.Labels ?? {}, created: config.created ?? "" };
}

async function fileInTar(tar: Buffer, wanted: string): Promise<string | undefined> {
  const reader = extract();
  let found: string | undefined;
  reader.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => chunks.push(c as Buffer));
    stream.on("end", () => {
      if (header.type === "file" && header.name.replace(/^\.?\/+/, "") === wanted)
        found = Buffer.concat(chunks).toString("utf8");
      next();
    });
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    reader.on("finish", resolve);
    reader.on("error", reject);
    reader.end(tar);
  });
  return found;
}
