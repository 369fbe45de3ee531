import type { BackendName, Logger } from "@dask-fargate-action/core/backend";
import { ClusterConfigError } from "@dask-fargate-action/core/validate";
import {
  changesText,
  ensureImage,
  formatKeyVersions,
  type ImageRecord,
  LABELS,
  type RegistryCredentials,
  readImageRecord,
  sizeText,
} from "@dask-fargate-action/image";
import Docker from "dockerode";

/** What image a run uses: given as is, or built (or reused) from an environment file or a Dockerfile. */
export interface ImageRequest {
  /** The image to run, or with a source the repository to tag and push (e.g. an ECR repository). */
  readonly image?: string | undefined;
  readonly environmentFile?: string | undefined;
  readonly dockerfile?: string | undefined;
  /** The Dockerfile's build context (default its directory). */
  readonly context?: string | undefined;
  /** The Dockerfile's stage to build (`docker build --target`; default its last). */
  readonly target?: string | undefined;
  /** The directory a Dockerfile and its context must stay inside (the checkout; default the current directory). */
  readonly workspace?: string | undefined;
  readonly baseImage?: string | undefined;
  readonly platform?: string | undefined;
  /** Build args (`build-args`): they enter the content tag (a Dockerfile's names and values; an environment file's names). */
  readonly buildArgs?: Readonly<Record<string, string>> | undefined;
  readonly force?: boolean | undefined;
  readonly credentials?: RegistryCredentials | undefined;
  /** Push after a build. Default: whenever the backend pulls from a registry (Fargate); never for Docker. */
  readonly push?: boolean | undefined;
  /** Read the package record back from the image (default true). */
  readonly record?: boolean | undefined;
}

/** The image a run uses and what the image phase did. */
export interface ImageOutcome {
  /** The reference tasks run: `repository:tag@digest` after a push, so every task pulls exactly what was built. */
  readonly image: string;
  readonly digest: string | undefined;
  /** true: built now; false: an image with the content tag existed; undefined: given as is. */
  readonly rebuilt: boolean | undefined;
  readonly pushed: boolean;
  readonly record: ImageRecord | undefined;
  /** What changed since an earlier image of the same source, as text (`dask 2024.12.0 → 2024.12.1`). */
  readonly changes: string | undefined;
  /** In a registry: compressed size and estimated pull at a Fargate task's start, as text (image-size.ts). */
  readonly size?: string | undefined;
}

/** True when the request builds an image (an environment file or a Dockerfile is given). */
export const buildsImage = (request: ImageRequest): boolean => Boolean(request.environmentFile ?? request.dockerfile);

/**
 * Checks the image request against the backend before anything is built or created: Fargate pulls from a
 * registry, so a build for Fargate needs a repository to push to and push left on. Both sources at once are the
 * front ends' rule to refuse, where the user named them: here they are a programming error.
 */
export function checkImageRequest(request: ImageRequest, backend: BackendName): void {
  if (request.environmentFile && request.dockerfile)
    throw new Error(
      "the image request names both an environment file and a Dockerfile: the front end refuses that before the run",
    );
  if (!buildsImage(request)) {
    if (request.context)
      throw new ClusterConfigError("context", "context is the build context of a Dockerfile: give dockerfile too");
    if (request.target)
      throw new ClusterConfigError("target", "target is a stage of a Dockerfile: give dockerfile too");
    if (!request.image)
      throw new ClusterConfigError(
        "image",
        "give image (an image with Dask), or environment-file or dockerfile (to build one)",
      );
    return;
  }
  if (backend === "fargate" && (!request.image || request.push === false)) {
    throw new ClusterConfigError(
      "image",
      "Fargate pulls the image from a registry: set image to a repository (e.g. an ECR repository, 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask) and keep push on",
    );
  }
}

/** An image request checked against the backend, with its defaults applied: what the image phase takes as given. */
export interface ResolvedImageRequest extends ImageRequest {
  /** Push after a build: the request's `push`, by default whenever the backend pulls from a registry; never without `image`. */
  readonly push: boolean;
  readonly force: boolean;
  readonly record: boolean;
  readonly workspace: string;
}

/** Checks the request against the backend ({@link checkImageRequest}) and applies its defaults, once. */
export function resolveImageRequest(request: ImageRequest, backend: BackendName): ResolvedImageRequest {
  checkImageRequest(request, backend);
  return {
    ...request,
    push: Boolean(request.image) && (request.push ?? backend === "fargate"),
    force: request.force ?? false,
    record: request.record ?? true,
    workspace: request.workspace ?? process.cwd(),
  };
}

/**
 * Builds, reuses or takes the image; pushes when the backend pulls from a registry (see {@link ImageRequest.push}).
 * `build` calls it alone; a run resolved its request before anything happened and calls {@link settleImage}.
 */
export async function resolveImage(request: ImageRequest, backend: BackendName, logger: Logger): Promise<ImageOutcome> {
  return settleImage(resolveImageRequest(request, backend), logger);
}

/** The image of a resolved request: the given one, or one built (or reused) from its source. */
export async function settleImage(request: ResolvedImageRequest, logger: Logger): Promise<ImageOutcome> {
  if (!buildsImage(request)) {
    const image = request.image ?? "";
    const record = request.record ? await localImageRecord(image, logger) : undefined;
    return { image, digest: undefined, rebuilt: undefined, pushed: false, record, changes: undefined };
  }
  const push = request.push;
  const result = await ensureImage({
    // Both sources as given: never both (checkImageRequest asserted it).
    ...(request.environmentFile !== undefined ? { environmentFile: request.environmentFile } : {}),
    ...(request.dockerfile !== undefined
      ? {
          dockerfile: request.dockerfile,
          ...(request.context ? { context: request.context } : {}),
          ...(request.target ? { target: request.target } : {}),
          workspace: request.workspace,
        }
      : {}),
    push,
    force: request.force,
    record: request.record,
    logger,
    ...(request.image ? { image: request.image } : {}),
    ...(request.baseImage ? { baseImage: request.baseImage } : {}),
    ...(request.platform ? { platform: request.platform } : {}),
    ...(request.buildArgs ? { buildArgs: request.buildArgs } : {}),
    ...(request.credentials ? { credentials: request.credentials } : {}),
  });
  return {
    image: push && result.digest ? `${result.image}@${result.digest}` : result.image,
    digest: result.digest,
    rebuilt: result.status === "built",
    pushed: push,
    record: result.record,
    changes: result.changes ? changesText(result.changes) : undefined,
    ...(result.size ? { size: sizeText(result.size) } : {}),
  };
}

/**
 * What a given image holds, when it is on this machine's engine (the image of an earlier `build`, or a team's own
 * image): its package record, or what its Python reports. Undefined when it is only in a registry or has no Python.
 */
async function localImageRecord(image: string, logger: Logger): Promise<ImageRecord | undefined> {
  const docker = new Docker();
  const present = await docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!present) return undefined;
  try {
    const record = await readImageRecord(docker, image, LABELS.record);
    if (record) logger.info(`${image}: ${formatKeyVersions(record)}`);
    return record;
  } catch (error) {
    logger.warn(
      `the package record of ${image} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
