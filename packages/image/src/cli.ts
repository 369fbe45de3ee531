#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ensureImage } from "./ensure-image.js";
import { ImageError } from "./errors.js";
import { consoleLogger } from "./logger.js";
import type { RegistryCredentials } from "./registry-credentials.js";
import type { Installer } from "./render-dockerfile.js";

const USAGE = `Usage: dask-fargate-image build --environment-file FILE [options]

Builds the Dask image for an environment file, or reports "unchanged" when the image with its
content tag already exists (in the registry when pushing, else on the local Docker Engine).

Options:
  --environment-file FILE   conda environment.yml, requirements.txt or @EXPLICIT lockfile (required)
  --image REPOSITORY        repository to tag and push, e.g. ghcr.io/org/dask (default: local only)
  --no-push                 with --image: tag locally, do not push
  --base-image REF          base image pinned by tag or digest (default: the micromamba image)
  --installer KIND          micromamba or pip (default: from the base image name)
  --platform PLATFORM       linux/amd64 (default) or linux/arm64
  --force                   build and push even when the content tag exists
  --registry-username USER  with the password in the environment variable REGISTRY_PASSWORD
  --ecr                     log in to ECR with the AWS credential chain
  --json                    print the result as JSON on stdout

Examples:
  dask-fargate-image build --environment-file environment.yml --image ghcr.io/org/dask
  dask-fargate-image build --environment-file examples/requirements.txt --base-image dask-fargate-action/offline-dask:bookworm

Exit codes: 0 success, 1 failure, 2 bad usage or input.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "environment-file": { type: "string" },
      image: { type: "string" },
      "no-push": { type: "boolean", default: false },
      "base-image": { type: "string" },
      installer: { type: "string" },
      platform: { type: "string" },
      force: { type: "boolean", default: false },
      "registry-username": { type: "string" },
      ecr: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== "build" || !values["environment-file"]) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (values.installer !== undefined && values.installer !== "micromamba" && values.installer !== "pip") {
    process.stderr.write(`--installer: "${values.installer}" is not supported; use micromamba or pip\n`);
    return 2;
  }
  let credentials: RegistryCredentials | undefined;
  if (values.ecr) credentials = { kind: "ecr" };
  else if (values["registry-username"]) {
    const password = process.env["REGISTRY_PASSWORD"];
    if (!password) {
      process.stderr.write("--registry-username needs the password in the environment variable REGISTRY_PASSWORD\n");
      return 2;
    }
    credentials = { kind: "basic", username: values["registry-username"], password };
  }
  const result = await ensureImage({
    environmentFile: values["environment-file"],
    logger: consoleLogger,
    force: values.force,
    ...(values.image ? { image: values.image, push: !values["no-push"] } : {}),
    ...(values["base-image"] ? { baseImage: values["base-image"] } : {}),
    ...(values.installer ? { installer: values.installer as Installer } : {}),
    ...(values.platform ? { platform: values.platform } : {}),
    ...(credentials ? { credentials } : {}),
  });
  if (values.json) {
    const { dockerfile: _dockerfile, ...summary } = result;
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${result.status}: ${result.image}${result.digest ? `@${result.digest}` : ""}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const input = ImageError.isInstance(error) && (error.name === "EnvironmentFileError" || error.name === "ImageConfigError");
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = input ? 2 : 1;
  },
);
