import { ClusterConfigError, type Logger } from "@dask-fargate-action/core";
import { ensureImage, type ImageRecord } from "@dask-fargate-action/image";
import type { Flags } from "../options.js";

/**
 * The image a cluster runs: `--image` as given when no environment file or Dockerfile is given, else the image
 * job (build or reuse) for `--environment-file` or `--dockerfile`, kept on the local engine for the docker backend.
 */
export async function imageOf(
  flags: Flags,
  logger: Logger,
  options: { readonly record?: boolean } = {},
): Promise<{ image: string; rebuilt: boolean | undefined; record?: ImageRecord | undefined }> {
  if (!flags["environment-file"] && !flags.dockerfile) {
    if (flags.context) throw new ClusterConfigError("context", "--context is the build context of a Dockerfile; give --dockerfile too");
    if (!flags.image) throw new ClusterConfigError("image", "give --image (an image with Dask), or --environment-file or --dockerfile (to build one)");
    return { image: flags.image, rebuilt: undefined };
  }
  const result = await ensureImage({
    ...imageSourceOf(flags),
    push: false,
    force: flags.force,
    ...(options.record ? { record: true } : {}),
    logger,
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags["base-image"] ? { baseImage: flags["base-image"] } : {}),
    ...(flags.platform ? { platform: flags.platform } : {}),
  });
  return { image: result.image, rebuilt: result.status === "built", record: result.record };
}

/**
 * What to build from: `--environment-file`, or `--dockerfile` with `--context`, whose paths must stay inside the
 * current directory (the image package refuses both sources at once, and a context without a Dockerfile).
 */
export function imageSourceOf(flags: Flags): { environmentFile?: string; dockerfile?: string; context?: string; workspace?: string } {
  return {
    ...(flags["environment-file"] !== undefined ? { environmentFile: flags["environment-file"] } : {}),
    ...(flags.dockerfile !== undefined ? { dockerfile: flags.dockerfile, workspace: process.cwd() } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
  };
}
