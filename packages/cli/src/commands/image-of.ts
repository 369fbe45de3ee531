import type { Logger } from "@dask-fargate-action/core/backend";
import {
  type ImageOutcome,
  type ImageRequest,
  registryCredentialsFor,
  resolveImage,
} from "@dask-fargate-action/pipeline";
import type { Flags } from "../flags.js";
import { backendOf, settingsOf } from "../options.js";
import { registryLoginOf } from "../registry-login.js";

/**
 * The image request of build, up and run: `--image` as given when no environment file or Dockerfile is given,
 * else the image job (build or reuse) for `--environment-file` or `--dockerfile`, whose paths must stay inside
 * the current directory. A built image is pushed when the backend pulls from a registry (fargate), or with
 * --image naming a repository on `build`, unless --no-push.
 */
export async function imageRequestOf(
  flags: Flags,
  options: { readonly push?: boolean; readonly record?: boolean } = {},
): Promise<ImageRequest> {
  // Read (and checked, with the rules between settings) before the registry login asks stdin for a password.
  const { image, baseImage, platform, buildArgs, force, push } = settingsOf(flags);
  const login = await registryLoginOf(flags);
  const credentials = registryCredentialsFor(image, login);
  return {
    ...imageSourceOf(flags),
    ...(image ? { image } : {}),
    ...(baseImage ? { baseImage } : {}),
    ...(platform ? { platform } : {}),
    ...(buildArgs ? { buildArgs } : {}),
    force,
    ...(options.record !== undefined ? { record: options.record } : {}),
    ...(credentials ? { credentials } : {}),
    ...(!push ? { push: false } : options.push !== undefined ? { push: options.push } : {}),
  };
}

/** The image a command's cluster runs (built, reused or given), through the same image phase as `run`. */
export async function imageOf(flags: Flags, logger: Logger): Promise<ImageOutcome> {
  return resolveImage(await imageRequestOf(flags, { record: false }), backendOf(flags), logger);
}

/** What to build from: `--environment-file`, or `--dockerfile` with `--context` and `--target`; never both. */
export function imageSourceOf(flags: Flags): {
  environmentFile?: string;
  dockerfile?: string;
  context?: string;
  target?: string;
  workspace?: string;
} {
  const { environmentFile, dockerfile, context, target } = settingsOf(flags);
  return {
    ...(environmentFile !== undefined ? { environmentFile } : {}),
    ...(dockerfile !== undefined ? { dockerfile, workspace: process.cwd() } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}
