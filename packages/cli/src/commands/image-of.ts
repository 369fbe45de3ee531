import type { Logger } from "@dask-fargate-action/core/backend";
import { ClusterConfigError, parseBuildArgs } from "@dask-fargate-action/core/validate";
import { type ImageOutcome, type ImageRequest, registryCredentialsFor, resolveImage } from "@dask-fargate-action/pipeline";
import type { Flags } from "../flags.js";
import { backendOf } from "../options.js";
import { registryLoginOf } from "../registry-login.js";

/**
 * The image request of build, up and run: `--image` as given when no environment file or Dockerfile is given,
 * else the image job (build or reuse) for `--environment-file` or `--dockerfile`, whose paths must stay inside
 * the current directory. A built image is pushed when the backend pulls from a registry (fargate), or with
 * --image naming a repository on `build`, unless --no-push.
 */
export async function imageRequestOf(flags: Flags, options: { readonly push?: boolean; readonly record?: boolean } = {}): Promise<ImageRequest> {
  const login = await registryLoginOf(flags);
  const credentials = registryCredentialsFor(flags.image, login);
  const buildArgs = parseBuildArgs(flags["build-arg"], "build-arg");
  return {
    ...imageSourceOf(flags),
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags["base-image"] ? { baseImage: flags["base-image"] } : {}),
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(buildArgs ? { buildArgs } : {}),
    force: flags.force,
    ...(options.record !== undefined ? { record: options.record } : {}),
    ...(credentials ? { credentials } : {}),
    ...(flags["no-push"] ? { push: false } : options.push !== undefined ? { push: options.push } : {}),
  };
}

/** The image a command's cluster runs (built, reused or given), through the same image phase as `run`. */
export async function imageOf(flags: Flags, logger: Logger): Promise<ImageOutcome> {
  return resolveImage(await imageRequestOf(flags, { record: false }), backendOf(flags), logger);
}

/** What to build from: `--environment-file`, or `--dockerfile` with `--context` and `--target`; never both. */
export function imageSourceOf(flags: Flags): { environmentFile?: string; dockerfile?: string; context?: string; target?: string; workspace?: string } {
  // The CLI's own rule (the action's inputs have theirs): the pipeline and the image package take one source as given.
  if (flags["environment-file"] !== undefined && flags.dockerfile !== undefined)
    throw new ClusterConfigError(
      "dockerfile",
      "give either --environment-file (the image is generated from it) or --dockerfile (your own Dockerfile is built as written), not both; remove one of them",
    );
  return {
    ...(flags["environment-file"] !== undefined ? { environmentFile: flags["environment-file"] } : {}),
    ...(flags.dockerfile !== undefined ? { dockerfile: flags.dockerfile, workspace: process.cwd() } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
    ...(flags.target !== undefined ? { target: flags.target } : {}),
  };
}
