import { ClusterConfigError, type Logger } from "@dask-fargate-action/core";
import { ensureImage } from "@dask-fargate-action/image";
import type { Flags } from "../options.js";

/**
 * The image a cluster runs: `--image` as given when no environment file is given, else the image job
 * (build or reuse) for `--environment-file`, kept on the local engine for the docker backend.
 */
export async function imageOf(flags: Flags, logger: Logger): Promise<{ image: string; rebuilt: boolean | undefined }> {
  if (!flags["environment-file"]) {
    if (!flags.image) throw new ClusterConfigError("image", "give --image (an image with Dask) or --environment-file (to build one)");
    return { image: flags.image, rebuilt: undefined };
  }
  const result = await ensureImage({
    environmentFile: flags["environment-file"],
    push: false,
    force: flags.force,
    logger,
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags["base-image"] ? { baseImage: flags["base-image"] } : {}),
    ...(flags.platform ? { platform: flags.platform } : {}),
  });
  return { image: result.image, rebuilt: result.status === "built" };
}
