import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as core from "@actions/core";
import { type ClusterSpec, workersText } from "@dask-fargate-action/core/validate";
import { formatKeyVersions } from "@dask-fargate-action/image";
import {
  type ImageOutcome,
  type ImageRequest,
  INTERRUPTED_EXIT_CODE,
  outputDirFor,
  type RunHooks,
  type RunResult,
  registryCredentialsFor,
  renderPictures,
  runPipeline,
  runReport,
} from "@dask-fargate-action/pipeline";
import { actionLogger, group, maskSecret, setFailed, setOutput, withUntrustedLog } from "./action-io.js";
import { type Cancellation, cancelledOutcome } from "./cancellation.js";
import type { ActionInputs } from "./inputs.js";
import { JobLog } from "./job-log.js";
import { writePackagesFile } from "./packages-file.js";
import { defaultClusterId, type RunContext, runLabels } from "./run-context.js";
import type { clusterState } from "./state.js";
import { renderSummary } from "./summary.js";
import { clusterTlsDir } from "./tls-dir.js";

/**
 * `up` and `run`: the run pipeline shared with the CLI (image → cluster → job → outputs → teardown) with the
 * action's side: log groups, outputs, saved state after every created resource (so the post step, or a
 * cancelled run's post step, can always finish the teardown) and the job summary. With `up` the cluster
 * lives until the job ends and the post step removes it. A cancelled step (SIGINT/SIGTERM) fails with exit code
 * 130 and a message naming the phase it was cancelled in and the signal.
 */
export async function clusterStep(
  inputs: ActionInputs,
  step: {
    readonly context: RunContext;
    readonly state: ReturnType<typeof clusterState>;
    readonly cancellation: Cancellation;
    /** `job-timeout`, parsed by the caller with the other checks before anything runs. */
    readonly jobTimeoutSeconds: number | undefined;
  },
): Promise<void> {
  const { context, state, cancellation } = step;
  const logger = actionLogger;
  const signal = cancellation.signal;
  const before = cancellation.cancelled;
  if (before) {
    // A signal while the modules loaded: nothing is built or started.
    setFailed(cancelledOutcome(before, { state: "not needed" }));
    process.exitCode = INTERRUPTED_EXIT_CODE;
    return;
  }
  const clusterId = inputs.clusterId ?? defaultClusterId(context);
  const runner = process.env["RUNNER_TEMP"] ?? tmpdir();
  const tlsDirFor = (id: string) => clusterTlsDir(id);
  const wanted = outputDirFor(
    inputs.backend,
    inputs.backendSettings,
    inputs.jobRunsOn,
    inputs.outputDir,
    join(runner, "dask-fargate-output", clusterId),
  );
  const outputDir = wanted === undefined ? undefined : resolve(wanted);
  const jobLog = new JobLog((line) => core.info(line));
  let packages: string | undefined;
  const result = await runPipeline(
    {
      backend: inputs.backend,
      settings: inputs.backendSettings,
      cluster: { ...inputs.cluster, clusterId, labels: runLabels(context) },
      image: imageRequestOf(inputs),
      tlsDirFor,
      readiness: inputs.readiness,
      ...(inputs.command === "run"
        ? {
            job: {
              command: inputs.jobCommand ?? "",
              runsOn: inputs.jobRunsOn,
              workdir: inputs.jobWorkdir,
              inheritEnv: inputs.jobEnv,
              ...(inputs.jobUser !== undefined ? { runAs: inputs.jobUser } : {}),
              timeoutSeconds: step.jobTimeoutSeconds,
              ...(outputDir ? { outputDir } : {}),
            },
          }
        : {}),
      replaceExisting: !inputs.clusterId && Number(context.runAttempt ?? "1") > 1,
    },
    {
      logger,
      signal,
      phase: phaseHook(cancellation),
      // Build output is not ours: it runs inside a window where workflow commands do nothing.
      untrustedLog: withUntrustedLog,
      onImage: async (image) => {
        packages = await imageOutputs(image);
      },
      onStart: (started, tlsDir) => {
        state.save({
          clusterId: started.clusterId,
          backend: inputs.backend,
          settings: inputs.backendSettings,
          tlsDir,
          tornDown: false,
        });
        setOutput("cluster-id", started.clusterId);
      },
      onPartial: (partial) => state.save({ clusterId, partial }),
      onReady: async (handle) => {
        if (handle.clientTlsFiles) maskSecret(await readFile(handle.clientTlsFiles.key, "utf8"));
        state.save({ clusterId, handle });
        setOutput("scheduler-address", handle.clientSchedulerAddress ?? handle.schedulerAddress);
        setOutput("dashboard-url", handle.dashboardUrl ?? "");
        // A client in a later step of the job (command: up) needs the client TLS files: their paths, never their content.
        if (handle.clientTlsFiles) {
          setOutput("tls-ca-file", handle.clientTlsFiles.ca);
          setOutput("tls-cert-file", handle.clientTlsFiles.cert);
          setOutput("tls-key-file", handle.clientTlsFiles.key);
        }
      },
      onJobOutput: (line) => jobLog.line(line),
      onTornDown: () => {
        state.save({ clusterId, tornDown: true });
      },
    },
  );
  jobLog.close();
  const cancelled = result.ending === "interrupted" ? cancellation.cancelled : undefined;
  const outcome = cancelled ? cancelledOutcome(cancelled, result.teardown) : result.message;
  if (result.ending === "up") logger.info(`cluster ${clusterId} is up; the post step removes it when the job ends`);
  if (result.cost) setOutput("cost-estimate", result.cost.text);
  if (result.exitCode !== undefined) setOutput("job-exit-code", result.exitCode);
  if (inputs.command === "run" && result.ending !== "up") {
    setOutput("worker-replacements", result.replacements.length);
    // The same object the CLI prints with --json (pipeline's runReport).
    setOutput("result", JSON.stringify(runReport(result)));
  }
  if (inputs.command === "run" && outputDir) setOutput("output-dir", outputDir);
  await core.summary.addRaw(summaryOf(inputs, result, outcome, packages, jobLog.lastLines())).write();
  if (result.ending === "error") throw result.error;
  if (result.ending === "interrupted" || (result.exitCode !== undefined && result.exitCode !== 0)) {
    setFailed(outcome);
    process.exitCode = result.exitCode ?? 1;
  }
}

/**
 * The pipeline's phase hook: each phase in a log group under its title, and entered in the cancellation under the
 * phase the pipeline names, so a signal's message says where the run was.
 */
export function phaseHook(cancellation: Pick<Cancellation, "phase">): NonNullable<RunHooks["phase"]> {
  return (phase, title, work) => cancellation.phase(phase, () => group(title, work));
}

/**
 * The image request of build, up and run. Push is on by default and pushes whenever an image repository is
 * given (`run`/`up` on Fargate refuse a build that is not pushed: Fargate pulls from a registry).
 */
export function imageRequestOf(inputs: ActionInputs): ImageRequest {
  const credentials = registryCredentialsFor(inputs.image, {
    username: inputs.registryUsername,
    password: inputs.registryPassword,
  });
  return {
    image: inputs.image,
    environmentFile: inputs.environmentFile,
    dockerfile: inputs.dockerfile,
    context: inputs.context,
    target: inputs.target,
    // The Dockerfile and its context must stay inside the checkout: everything in the context can reach the image.
    workspace: process.env["GITHUB_WORKSPACE"] ?? process.cwd(),
    baseImage: inputs.baseImage,
    platform: inputs.platform,
    buildArgs: inputs.buildArgs,
    force: inputs.force,
    credentials,
    push: inputs.push && Boolean(inputs.image) && (inputs.command === "build" || inputs.backend === "fargate"),
  };
}

/** The image outputs (image, digest, rebuilt, packages) and the summary's package line. */
async function imageOutputs(image: ImageOutcome): Promise<string | undefined> {
  if (image.rebuilt !== undefined) {
    setOutput("image", image.image);
    setOutput("digest", image.digest ?? "");
    setOutput("rebuilt", image.rebuilt);
  }
  // Built here, found on the engine, or a given image on the engine: what it holds was read back from it.
  if (!image.record) return undefined;
  setOutput("packages", await writePackagesFile(image.record));
  return formatKeyVersions(image.record);
}

function summaryOf(
  inputs: ActionInputs,
  result: RunResult,
  outcome: string,
  packages: string | undefined,
  logTail: readonly string[],
): string {
  // The run as the pipeline resolved it before anything happened: its shape is known even when the image phase failed.
  const shown: ClusterSpec = result.run.cluster;
  return renderSummary({
    command: inputs.command,
    backend: result.backend,
    clusterId: result.clusterId,
    shape: `1 scheduler (${shown.schedulerCpu} vCPU, ${shown.schedulerMemory} MiB) + ${workersText(shown)} workers (${shown.workerCpu} vCPU, ${shown.workerMemory} MiB, ${shown.workerThreads} threads)`,
    image: result.image?.image ?? inputs.image,
    rebuilt: result.image?.rebuilt,
    packages,
    changes: result.image?.changes,
    imageSize: result.image?.size,
    phasesMs: result.phasesMs,
    // With `up` the cluster lives on after this step, so a cost now would understate it.
    cost: result.cost,
    exitCode: result.exitCode,
    outcome: result.ending === "up" ? undefined : outcome,
    outputs: result.outputs,
    stoppedMembers: result.stoppedMembers,
    ...(result.adaptive ? { adaptive: result.adaptive } : {}),
    replacements: result.replacements,
    unreplaced: result.unreplaced,
    preflight: result.preflight,
    logTail,
    pictures: renderPictures(result.pictures),
  });
}
