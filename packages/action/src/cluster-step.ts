import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import {
  ClusterConfigError,
  type ClusterHandle,
  createBackend,
  hourlyFargateCost,
  type JobResult,
  PhaseTimer,
  resolveClusterSpec,
} from "@dask-fargate-action/core";
import { formatKeyVersions, runnerJobWarning } from "@dask-fargate-action/image";
import { actionLogger, group, maskSecret, setOutput, withUntrustedLog } from "./action-io.js";
import { type CostEstimate, estimateFargateCost } from "./cost.js";
import { imageStep, writePackagesFile } from "./image-step.js";
import type { ActionInputs } from "./inputs.js";
import { JobLog } from "./job-log.js";
import { defaultClusterId, type RunContext, runLabels } from "./run-context.js";
import type { clusterState } from "./state.js";
import { renderSummary } from "./summary.js";

/**
 * `up` and `run`: image (given, or built/reused) → cluster → (run: job → teardown). With `up` the
 * cluster lives until the job ends and the post step removes it. State is saved after every created
 * resource, so the post step (or a cancelled run's post step) can always finish the teardown.
 */
export async function clusterStep(inputs: ActionInputs, context: RunContext, state: ReturnType<typeof clusterState>, signal: AbortSignal): Promise<void> {
  const logger = actionLogger;
  const clusterId = inputs.clusterId ?? defaultClusterId(context);
  const backend = createBackend(inputs.backend, inputs.backendSettings);
  const specFor = (image: string) => resolveClusterSpec({ ...inputs.cluster, image, clusterId, labels: runLabels(context) });
  // Everything is validated before the first side effect (the image build).
  backend.validate(specFor(inputs.image ?? "validated-before-build"));
  const builds = Boolean(inputs.environmentFile ?? inputs.dockerfile);
  if (inputs.backend === "fargate" && builds && (!inputs.image || !inputs.push)) {
    throw new ClusterConfigError("image", "Fargate pulls the image from a registry: set image to a repository (e.g. an ECR repository) and keep push on");
  }
  const timer = new PhaseTimer();

  let image = inputs.image ?? "";
  let rebuilt: boolean | undefined;
  let packages: string | undefined;
  let changes: string | undefined;
  if (builds) {
    const built = await group("Image", () =>
      timer.time("image", () => withUntrustedLog((buildLogger) => imageStep(inputs, { logger: buildLogger, push: inputs.backend === "fargate" }))),
    );
    ({ image, rebuilt } = built);
    setOutput("image", built.image);
    setOutput("digest", built.digest ?? "");
    setOutput("rebuilt", built.rebuilt);
    if (built.record) {
      packages = formatKeyVersions(built.record);
      changes = built.changes;
      if (inputs.jobCommand && inputs.jobRunsOn === "runner") {
        const warning = await runnerJobWarning(built.record);
        if (warning) logger.warn(warning);
      }
      setOutput("packages", await writePackagesFile(built.record));
    }
  }
  const spec = specFor(image);
  const stateDir = join(process.env["RUNNER_TEMP"] ?? tmpdir(), "dask-fargate", spec.clusterId);
  state.save({ clusterId: spec.clusterId, backend: backend.name, settings: inputs.backendSettings, stateDir, tornDown: false });
  setOutput("cluster-id", spec.clusterId);
  if (!inputs.clusterId && Number(context.runAttempt ?? "1") > 1) {
    await group("Replace the cluster of an earlier attempt", () => backend.down({ clusterId: spec.clusterId }, { logger }));
  }

  const fargate = inputs.backendSettings.fargate;
  if (inputs.backend === "fargate" && fargate) {
    const hourly = hourlyFargateCost(
      spec,
      fargate.architecture ?? "X86_64",
      fargate.assignPublicIp === false ? 0 : spec.workers + 1,
      fargate.spotWorkers ?? false,
    );
    logger.info(`cost: ${hourly.text} (${hourly.method})`);
  }
  const upStarted = Date.now();
  let handle: ClusterHandle | undefined;
  let result: JobResult | undefined;
  const jobLog = new JobLog((line) => core.info(line));
  try {
    handle = await group(`Start cluster ${spec.clusterId} (${backend.name}: 1 scheduler + ${spec.workers} workers)`, () =>
      timer.time("up", () => backend.up(spec, { logger, signal, stateDir, onPartial: (partial) => state.save({ clusterId: spec.clusterId, partial }) })),
    );
    if (handle.clientTlsFiles) maskSecret(await readFile(handle.clientTlsFiles.key, "utf8"));
    state.save({ clusterId: spec.clusterId, handle });
    setOutput("scheduler-address", handle.clientSchedulerAddress ?? handle.schedulerAddress);
    setOutput("dashboard-url", handle.dashboardUrl ?? "");
    if (inputs.command === "up") {
      logger.info(`cluster ${spec.clusterId} is up; the post step removes it when the job ends`);
      return;
    }
    const running = handle;
    result = await group(`Job: ${inputs.jobCommand}`, () =>
      timer.time("job", async () => {
        try {
          return await backend.runJob(
            running,
            {
              command: inputs.jobCommand ?? "",
              runsOn: inputs.jobRunsOn,
              workdir: inputs.jobWorkdir,
              inheritEnv: inputs.jobEnv,
              onOutput: (line) => jobLog.line(line),
            },
            { logger, signal },
          );
        } finally {
          jobLog.close();
        }
      }),
    );
  } finally {
    // After a failed start the backend has already cleaned up; this idempotent pass finishes what its cleanup could not.
    if (inputs.command === "run" || handle === undefined) {
      await group("Teardown", () => timer.time("down", () => backend.down({ clusterId: spec.clusterId, handle, stateDir }, { logger })));
      state.save({ clusterId: spec.clusterId, tornDown: true });
    }
    // With `up` the cluster lives on after this step, so a cost now would understate it.
    const cost = inputs.command === "run" ? costOf(inputs, spec, handle, (Date.now() - upStarted) / 1000) : undefined;
    if (cost) setOutput("cost-estimate", cost.text);
    if (result) setOutput("job-exit-code", result.exitCode);
    await core.summary
      .addRaw(
        renderSummary({
          command: inputs.command,
          backend: backend.name,
          clusterId: spec.clusterId,
          shape: `1 scheduler (${spec.schedulerCpu} vCPU, ${spec.schedulerMemory} MiB) + ${spec.workers} workers (${spec.workerCpu} vCPU, ${spec.workerMemory} MiB, ${spec.workerThreads} threads)`,
          image,
          rebuilt,
          packages,
          changes,
          phasesMs: timer.toJSON(),
          cost,
          exitCode: result?.exitCode,
          logTail: jobLog.lastLines(),
        }),
      )
      .write();
  }
  if (result && result.exitCode !== 0) {
    core.setFailed(`the job exited with code ${result.exitCode}`);
    process.exitCode = result.exitCode;
  }
}

function costOf(
  inputs: ActionInputs,
  spec: ReturnType<typeof resolveClusterSpec>,
  handle: ClusterHandle | undefined,
  seconds: number,
): CostEstimate | undefined {
  if (inputs.backend === "docker") return { usd: 0, text: "$0 (local Docker Engine)", method: "containers on the runner cost nothing beyond the runner" };
  const fargate = handle?.fargate?.spec;
  if (!fargate) return undefined;
  const publicIps = handle?.fargate?.assignPublicIp ? 1 + spec.workers : 0;
  return estimateFargateCost(spec, fargate.architecture, seconds, publicIps, fargate.spotWorkers);
}
