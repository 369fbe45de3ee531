import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { changesText, ensureImage, formatKeyVersions, sizeText } from "@dask-fargate-action/image";
import type { Command } from "./command.js";
import { imageRequestOf } from "./image-of.js";

/** `build`: the image job alone. Pushes when --image names a registry repository (logged in as run and up are), unless --no-push. */
export const build: Command = async ({ flags, logger, print }) => {
  // Without --environment-file or --dockerfile the settings reader refuses build (imageRequestOf reads them first).
  const {
    push,
    environmentFile,
    dockerfile,
    context,
    target,
    workspace,
    image,
    baseImage,
    platform,
    buildArgs,
    force,
    credentials,
  } = await imageRequestOf(flags, {
    push: Boolean(flags.image),
  });
  const result = await ensureImage({
    // One source: imageRequestOf refused both with the fix.
    ...(environmentFile !== undefined ? { environmentFile } : {}),
    ...(dockerfile !== undefined
      ? { dockerfile, ...(context ? { context } : {}), ...(workspace ? { workspace } : {}) }
      : {}),
    // Given without a Dockerfile, the image package refuses it with the fix.
    ...(target !== undefined ? { target } : {}),
    push: push ?? false,
    force: force ?? false,
    // What the image holds (python, dask, distributed, xgboost, scikit-learn), when it is on this engine.
    record: true,
    logger,
    ...(image ? { image } : {}),
    ...(baseImage ? { baseImage } : {}),
    ...(platform ? { platform } : {}),
    ...(buildArgs ? { buildArgs } : {}),
    ...(credentials ? { credentials } : {}),
  });
  const { dockerfile: _dockerfile, ...summary } = result;
  print(
    flags.json
      ? jsonForTerminal({ ...summary, digest: result.digest ?? null })
      : `${result.status}: ${result.image}${result.digest ? `@${result.digest}` : ""}${result.record ? `\n${formatKeyVersions(result.record)}` : ""}${result.changes ? `\n${changesText(result.changes)}` : ""}${result.size ? `\n${sizeText(result.size)}` : ""}`,
  );
  return 0;
};
