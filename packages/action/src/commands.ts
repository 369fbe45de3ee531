import * as core from "@actions/core";
import { createBackend } from "@dask-fargate-action/core/backend";
import { formatKeyVersions } from "@dask-fargate-action/image";
import { parseJobTimeout, resolveImage } from "@dask-fargate-action/pipeline";
import { actionLogger, group, setOutput, withUntrustedLog } from "./action-io.js";
import type { Cancellation } from "./cancellation.js";
import { clusterStep, imageRequestOf } from "./cluster-step.js";
import type { ActionInputs } from "./inputs.js";
import { writePackagesFile } from "./packages-file.js";
import { runContextFrom, runLabels } from "./run-context.js";
import { clusterState } from "./state.js";
import { escapeCell } from "./summary.js";

/**
 * The commands, loaded by main with `import()` once the inputs are valid: this module pulls in the AWS SDK
 * clients, dockerode, the image builder and the run pipeline, which take most of the step's start-up time.
 */
export async function dispatch(inputs: ActionInputs, cancellation: Cancellation): Promise<void> {
  const signal = cancellation.signal;
  // The one input readInputs leaves to the pipeline's parser (see ActionInputs.jobTimeout), checked before anything runs.
  const jobTimeoutSeconds = parseJobTimeout(inputs.jobTimeout);
  switch (inputs.command) {
    case "build": {
      const built = await cancellation.phase("image", () =>
        group("Image", () => withUntrustedLog((logger) => resolveImage(imageRequestOf(inputs), "docker", logger))),
      );
      setOutput("image", built.image);
      setOutput("digest", built.digest ?? "");
      setOutput("rebuilt", built.rebuilt ?? false);
      if (built.record) setOutput("packages", await writePackagesFile(built.record));
      const holds = `${built.record ? `\n\n${escapeCell(formatKeyVersions(built.record))}` : ""}${built.changes ? `\n\n${escapeCell(built.changes)}` : ""}`;
      await core.summary
        .addRaw(
          `## dask-fargate-action\n\nimage \`${built.image}\`: ${built.rebuilt ? "rebuilt" : "unchanged, nothing was built or pushed"}${holds}\n`,
        )
        .write();
      return;
    }
    case "up":
    case "run":
      return clusterStep(inputs, {
        context: runContextFrom(process.env),
        state: clusterState(core),
        cancellation,
        jobTimeoutSeconds,
      });
    case "down": {
      const clusterId = inputs.clusterId ?? "";
      // Like reap: only a cluster this repository started (tags are data anyone may set; the running repository is not).
      const repository = runLabels(runContextFrom(process.env))["github.repository"];
      const report = await cancellation.phase("down", () =>
        group(`Teardown of ${clusterId}${repository ? ` (clusters of ${repository} only)` : ""}`, () =>
          createBackend(inputs.backend, inputs.backendSettings).down(
            { clusterId, repository },
            { logger: actionLogger, signal },
          ),
        ),
      );
      setOutput("cluster-id", clusterId);
      actionLogger.info(`removed ${report.removed.length} resources`);
      return;
    }
    case "reap": {
      const result = await cancellation.phase("reap", () =>
        group(
          `Reap expired clusters${inputs.reapRepository ? ` of ${inputs.reapRepository}` : " of every repository"}`,
          () =>
            createBackend(inputs.backend, inputs.backendSettings).reap({
              logger: actionLogger,
              signal,
              dryRun: inputs.dryRun,
              repository: inputs.reapRepository,
              ...(inputs.olderThanSeconds !== undefined ? { olderThanSeconds: inputs.olderThanSeconds } : {}),
            }),
        ),
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
