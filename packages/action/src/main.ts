import * as core from "@actions/core";
import { createBackend } from "@dask-fargate-action/core";
import { formatKeyVersions } from "@dask-fargate-action/image";
import { resolveImage } from "@dask-fargate-action/pipeline";
import { actionLogger, group, maskSecret, setFailed, setOutput, withUntrustedLog } from "./action-io.js";
import { clusterStep, imageRequestOf } from "./cluster-step.js";
import { type ActionInputs, readInputs } from "./inputs.js";
import { writePackagesFile } from "./packages-file.js";
import { runContextFrom } from "./run-context.js";
import { clusterState } from "./state.js";
import { escapeCell } from "./summary.js";

/**
 * The main step. Inputs are read and validated first; secrets are masked before first use; SIGINT or
 * SIGTERM (a cancelled workflow) aborts the running operation, which starts the teardown at once
 * (task stops first); whatever is left is finished by the post step from the saved state.
 */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    if (controller.signal.aborted) return;
    core.warning(`${name}: the run is being cancelled; stopping and removing the cluster`);
    controller.abort(new Error(name));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // The AWS SDK can wait on handles that do not keep Node alive; this timer keeps the step running until it is done.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const inputs = readInputs((name) => core.getInput(name));
    maskSecret(inputs.registryPassword);
    await dispatch(inputs, controller.signal);
  } catch (error) {
    setFailed(error);
  } finally {
    clearInterval(keepAlive);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function dispatch(inputs: ActionInputs, signal: AbortSignal): Promise<void> {
  const state = clusterState(core);
  switch (inputs.command) {
    case "build": {
      const built = await group("Image", () => withUntrustedLog((logger) => resolveImage(imageRequestOf(inputs), "docker", logger)));
      setOutput("image", built.image);
      setOutput("digest", built.digest ?? "");
      setOutput("rebuilt", built.rebuilt ?? false);
      if (built.record) setOutput("packages", await writePackagesFile(built.record));
      const holds = `${built.record ? `\n\n${escapeCell(formatKeyVersions(built.record))}` : ""}${built.changes ? `\n\n${escapeCell(built.changes)}` : ""}`;
      await core.summary
        .addRaw(`## dask-fargate-action\n\nimage \`${built.image}\`: ${built.rebuilt ? "rebuilt" : "unchanged, nothing was built or pushed"}${holds}\n`)
        .write();
      return;
    }
    case "up":
    case "run":
      return clusterStep(inputs, runContextFrom(process.env), state, signal);
    case "down": {
      const clusterId = inputs.clusterId ?? "";
      const report = await group(`Teardown of ${clusterId}`, () =>
        createBackend(inputs.backend, inputs.backendSettings).down({ clusterId }, { logger: actionLogger, signal }),
      );
      setOutput("cluster-id", clusterId);
      actionLogger.info(`removed ${report.removed.length} resources`);
      return;
    }
    case "reap": {
      const result = await group(`Reap expired clusters${inputs.reapRepository ? ` of ${inputs.reapRepository}` : " of every repository"}`, () =>
        createBackend(inputs.backend, inputs.backendSettings).reap({
          logger: actionLogger,
          signal,
          dryRun: inputs.dryRun,
          repository: inputs.reapRepository,
          ...(inputs.olderThanSeconds !== undefined ? { olderThanSeconds: inputs.olderThanSeconds } : {}),
        }),
      );
      await core.summary
        .addRaw(
          `## dask-fargate-action reap\n\n${inputs.dryRun ? "would reap" : "reaped"}: ${result.reaped.join(", ") || "none"}; kept: ${result.kept.join(", ") || "none"}\n`,
        )
        .write();
      return;
    }
  }
}
