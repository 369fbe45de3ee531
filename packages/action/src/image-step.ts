import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, silentLogger } from "@dask-fargate-action/core";
import { changesText, ensureImage, type ImageRecord, isEcrRegistry, parseImageReference, type RegistryCredentials } from "@dask-fargate-action/image";
import type { ActionInputs } from "./inputs.js";

/** The image job of the action: build or reuse the image for the environment file or Dockerfile, push it when asked. */
export async function imageStep(
  inputs: ActionInputs,
  options: { logger?: Logger; push: boolean },
): Promise<{ image: string; digest: string | undefined; rebuilt: boolean; record: ImageRecord | undefined; changes: string | undefined }> {
  const logger = options.logger ?? silentLogger;
  const credentials = credentialsFor(inputs);
  const result = await ensureImage({
    ...(inputs.dockerfile
      ? // The Dockerfile and its context must stay inside the checkout: everything in the context can reach the image.
        { dockerfile: inputs.dockerfile, workspace: process.env["GITHUB_WORKSPACE"] ?? process.cwd(), ...(inputs.context ? { context: inputs.context } : {}) }
      : { environmentFile: inputs.environmentFile ?? "" }),
    push: options.push,
    force: inputs.force,
    // What the image holds, read back from it when it is on the runner's engine (built here, or found there).
    record: true,
    logger,
    ...(inputs.image ? { image: inputs.image } : {}),
    ...(inputs.baseImage ? { baseImage: inputs.baseImage } : {}),
    ...(inputs.platform ? { platform: inputs.platform } : {}),
    ...(credentials ? { credentials } : {}),
  });
  // A pushed image is referred to by digest, so every task pulls exactly what was built.
  return {
    image: options.push && result.digest ? `${result.image}@${result.digest}` : result.image,
    digest: result.digest,
    rebuilt: result.status === "built",
    record: result.record,
    changes: result.changes ? changesText(result.changes) : undefined,
  };
}

/** Writes the image's record for the `packages` output: `{ python, packages: { name: version } }` as JSON; returns its path. */
export async function writePackagesFile(record: ImageRecord): Promise<string> {
  const path = join(process.env["RUNNER_TEMP"] ?? tmpdir(), "dask-fargate-packages.json");
  await writeFile(path, `${JSON.stringify(record, null, 1)}\n`);
  return path;
}

function credentialsFor(inputs: ActionInputs): RegistryCredentials | undefined {
  if (inputs.registryUsername && inputs.registryPassword) return { kind: "basic", username: inputs.registryUsername, password: inputs.registryPassword };
  if (inputs.image && isEcrRegistry(parseImageReference(inputs.image, "image").registry)) return { kind: "ecr" };
  return undefined;
}
