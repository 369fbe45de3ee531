import { RegistryError } from "./errors.js";
import type { ImageReference } from "./image-reference.js";
import type { ImagePlatform } from "./platform.js";
import { MANIFEST_TYPES, type RegistryRequestOptions, registryGet } from "./registry-client.js";

/**
 * The pull at a Fargate task's start, modelled as the emulator's realistic preset models it (packages/emulator,
 * lifecycle.ts REALISTIC_TIMING): 16.5 s plus 25 ms per MiB. It comes from AWS's sample task state change event
 * (Amazon ECS developer guide, "Amazon ECS task state change events": `pullStartedAt` 18 s after `createdAt`) and
 * the documented 30–90 s from RunTask to RUNNING with the pull its longest phase ("Task lifecycle"). The emulator's
 * timing-model test keeps its preset inside that range; the two must change together.
 */
export const FARGATE_PULL_MODEL = { baseMs: 16_500, msPerMiB: 25 } as const;

/** Above this compressed size a build warns: the pull alone is then about 42 s of every task's start. */
export const PULL_WARNING_BYTES = 1024 * 1024 * 1024;

/** What an image weighs in its registry and what pulling it costs at a task's start. */
export interface ImageSize {
  /** The sum of the compressed layer sizes and the config, as the registry serves them (what a pull downloads). */
  readonly compressedBytes: number;
  readonly layers: number;
  /** {@link FARGATE_PULL_MODEL} for this size. */
  readonly estimatedPullSeconds: number;
}

/** The pull time the model gives for `bytes` compressed. */
export function estimatePullSeconds(bytes: number): number {
  return Math.round((FARGATE_PULL_MODEL.baseMs + (bytes / 1024 / 1024) * FARGATE_PULL_MODEL.msPerMiB) / 100) / 10;
}

/** One line for logs, the CLI and the summary: `312 MiB compressed in 4 layers; pull at task start on Fargate ≈ 24.3 s`. */
export function sizeText(size: ImageSize): string {
  return `${(size.compressedBytes / 1024 / 1024).toFixed(0)} MiB compressed in ${size.layers} layers; pull at task start on Fargate ≈ ${size.estimatedPullSeconds} s`;
}

/** The warning above {@link PULL_WARNING_BYTES}, with what makes an image smaller; undefined below. */
export function sizeWarning(size: ImageSize): string | undefined {
  if (size.compressedBytes <= PULL_WARNING_BYTES) return undefined;
  return (
    `the image is ${sizeText(size)}, paid by every task that starts (scheduler, each worker, the job); to shrink it: ` +
    "keep build tools and caches out of the final image (a multi-stage build, RUN --mount=type=cache for pip and conda caches, " +
    "micromamba clean --all --yes), install only what the cluster imports, and start from a slim base. On ECR, a SOCI index " +
    "lets Fargate start before the pull ends (docs/images.md, Size and pull time)"
  );
}

/** The size of `reference` (the platform's manifest of an index) from its registry, without pulling it. */
export async function remoteImageSize(
  ref: ImageReference,
  reference: string,
  platform: ImagePlatform,
  options: RegistryRequestOptions = {},
): Promise<ImageSize | undefined> {
  interface Descriptor {
    readonly digest: string;
    readonly size?: number;
    readonly platform?: { readonly os?: string; readonly architecture?: string };
  }
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await registryGet(ref, path, MANIFEST_TYPES, options);
    if (!response.ok)
      throw new RegistryError(ref.registry, `GET ${path} answered HTTP ${response.status}`, response.status);
    return (await response.json()) as T;
  };
  let manifest = await getJson<{ manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(
    `/v2/${ref.repository}/manifests/${reference}`,
  );
  if (manifest.manifests) {
    const [os, architecture] = platform.split("/");
    const entry = manifest.manifests.find((m) => m.platform?.os === os && m.platform?.architecture === architecture);
    if (!entry) return undefined;
    manifest = await getJson(`/v2/${ref.repository}/manifests/${entry.digest}`);
  }
  const layers = manifest.layers ?? [];
  const compressedBytes = layers.reduce((sum, l) => sum + (l.size ?? 0), 0) + (manifest.config?.size ?? 0);
  return { compressedBytes, layers: layers.length, estimatedPullSeconds: estimatePullSeconds(compressedBytes) };
}
