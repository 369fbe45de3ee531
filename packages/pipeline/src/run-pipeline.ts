import {
  type AdaptiveReport,
  type BackendName,
  type BackendSettings,
  type ClusterHandle,
  type CostEstimate,
  createBackend,
  type JobResult,
  type JobRunsOn,
  type Logger,
  type PartialCluster,
  PhaseTimer,
  type PreflightFinding,
  type Readiness,
  runClusterJob,
  type StartTimeline,
  type WorkerReplacement,
} from "@dask-fargate-action/core/backend";
import {
  ClusterConfigError,
  type ClusterSpec,
  type ClusterSpecInput,
  checkFargateJobOutputs,
  checkJobOverrides,
  checkOutputDir,
  resolveClusterSpec,
  workersText,
} from "@dask-fargate-action/core/validate";
import { runnerJobWarning } from "@dask-fargate-action/image";
import { checkFargateJobWorkdir, FARGATE_OUTPUTS_STAY } from "./fargate-job-checks.js";
import { checkImageRequest, type ImageOutcome, type ImageRequest, resolveImage } from "./image-phase.js";
import { INTERRUPTED_EXIT_CODE, JOB_TIMEOUT_EXIT_CODE, jobDeadline, OUTPUTS_FAILED_EXIT_CODE } from "./job-deadline.js";
import type { OutputFile } from "./output-files.js";
import type { RunPictures } from "./pictures/pictures.js";
import { readTrainingMetrics, withSchedulerRegistrations, workersOverTime, writePictures } from "./pictures/run-pictures.js";
import { hourlyCostOf, runCostOf } from "./run-cost.js";
import { namePhase, type RunEnding, type RunPhase, runMessage } from "./run-message.js";
import { type StoppedMember, stoppedMembersWithLogs } from "./stopped-members.js";

/** The job a run executes on its cluster. */
export interface JobRequest {
  /** A shell command line, e.g. `python3 train_xgboost.py`. */
  readonly command: string;
  readonly runsOn: JobRunsOn;
  /** The job's files: mounted at /job for a job in a Docker cluster, the working directory on the runner. */
  readonly workdir: string;
  /** Variables of this environment a job on the runner inherits besides the allow-list (`job-env`). */
  readonly inheritEnv?: readonly string[];
  /** `job-user`: the unprivileged user a job on the runner runs as (the controller must be root). */
  readonly runAs?: string | undefined;
  /** `job-timeout`: the job is stopped after this many seconds and the run exits 124. */
  readonly timeoutSeconds?: number | undefined;
  /** `output-dir`: where the files the job writes to DFA_OUTPUT_DIR end up on this machine. */
  readonly outputDir?: string | undefined;
}

/** One run: the image, the cluster, and (for `run`) the job. Without a job the cluster stays up (`up`). */
export interface RunRequest {
  readonly backend: BackendName;
  readonly settings: BackendSettings;
  /** The cluster's settings; the image comes from the image phase. */
  readonly cluster: Omit<ClusterSpecInput, "image">;
  readonly image: ImageRequest;
  /** The directory of the cluster's local files (TLS), removed by the teardown. */
  readonly tlsDirFor: (clusterId: string) => string;
  readonly job?: JobRequest | undefined;
  /** Remove a cluster of the same id first (a re-run of a workflow attempt). */
  readonly replaceExisting?: boolean;
  /** When the cluster counts as ready (`running` or `registered`); default the backend's `DEFAULT_READINESS`. */
  readonly readiness?: Readiness | undefined;
}

/** What the caller hears while the run goes on (the action saves state and opens log groups; the CLI writes its record). */
export interface RunHooks {
  readonly logger: Logger;
  /** SIGINT/SIGTERM: stops what is running and removes the cluster. */
  readonly signal: AbortSignal;
  /** Wraps each phase, e.g. in a collapsible log group. */
  readonly phase?: <T>(title: string, work: () => Promise<T>) => Promise<T>;
  /** Runs the image build with a logger for text the user controls (the action neutralises workflow commands in it). */
  readonly untrustedLog?: <T>(work: (logger: Logger) => Promise<T>) => Promise<T>;
  readonly onImage?: (image: ImageOutcome) => void | Promise<void>;
  /** Before the first resource: the spec and where its local files go, to record what a teardown needs. */
  readonly onStart?: (spec: ClusterSpec, tlsDir: string) => void | Promise<void>;
  /** After each created resource (synchronously, from the backend). */
  readonly onPartial?: (partial: PartialCluster) => void;
  readonly onReady?: (handle: ClusterHandle) => void | Promise<void>;
  readonly onJobOutput?: (line: string, stream: "stdout" | "stderr") => void;
  /** After the teardown finished. */
  readonly onTornDown?: () => void | Promise<void>;
}

export type { RunEnding, RunPhase } from "./run-message.js";

/** Everything a run did, for the CLI's output and the action's outputs and summary. */
export interface RunResult {
  readonly backend: BackendName;
  readonly clusterId: string;
  readonly spec: ClusterSpec | undefined;
  readonly image: ImageOutcome | undefined;
  /** The running cluster (`up`), or the one that ran the job (removed by now). */
  readonly handle: ClusterHandle | undefined;
  readonly ending: RunEnding;
  /** The job's exit code; 124 after job-timeout, 130 when interrupted; undefined for `up` or when no job ran. */
  readonly exitCode: number | undefined;
  /** One line for people: what happened and, on failure, in which phase and why (e.g. `outputs phase: …`). */
  readonly message: string;
  /** The phase the error or the interruption happened in; undefined when the run ended as planned. */
  readonly failedPhase: RunPhase | undefined;
  readonly stoppedMembers: readonly StoppedMember[];
  /** With adaptive workers (`workers: MIN-MAX`): the workers over the job and their worker-seconds. */
  readonly adaptive: AdaptiveReport | undefined;
  /** Workers lost during the job and what replaced each (`max-worker-replacements`), in order. */
  readonly replacements: readonly WorkerReplacement[];
  /** Lost workers left unreplaced because the limit was used up (a warning, not a failure). */
  readonly unreplaced: readonly string[];
  /** The job's last output lines. */
  readonly jobLogTail: readonly string[];
  readonly outputDir: string | undefined;
  readonly outputs: readonly OutputFile[];
  readonly phasesMs: Readonly<Record<string, number>>;
  /** Per hour, before the start (Fargate). */
  readonly hourlyCost: (CostEstimate & { readonly maxLifetimeUsd: number }) | undefined;
  /** For the whole run, after it (`run` only: with `up` the cluster lives on). */
  readonly cost: CostEstimate | undefined;
  /** Fargate: what the preflight found before anything was created (notes included). */
  readonly preflight: readonly PreflightFinding[];
  /** An error outside the job (start, teardown), when the run failed with one; its message starts with its phase (`up phase: …`). */
  readonly error: unknown;
  /** What the summary's pictures are drawn from: the start's timeline, the job's metrics, the workers over time. */
  readonly pictures: RunPictures;
  /** The pictures' Markdown file in the output directory, when one was written. */
  readonly picturesFile: string | undefined;
}

const JOB_LOG_TAIL = 40;

/**
 * image (build, reuse or given; pushed when the backend pulls from a registry) → up → job → outputs → down.
 * Bad input throws before anything is built or created. After that the run never throws: a failed start or
 * teardown is `ending: "error"` with `error` set, and the cluster is removed whatever happened (job failure,
 * job-timeout, error, SIGINT/SIGTERM), except after a successful `up`, whose cluster the caller removes later.
 */
export async function runPipeline(request: RunRequest, hooks: RunHooks): Promise<RunResult> {
  const { logger, signal } = hooks;
  const backend = createBackend(request.backend, request.settings);
  // Validated before the first side effect: the spec with a placeholder image, the backend's settings, the image request.
  const draft = resolveClusterSpec({ ...request.cluster, image: request.image.image ?? "image-set-after-build" });
  backend.validate(draft);
  checkImageRequest(request.image, request.backend);
  if (request.job?.outputDir !== undefined) {
    checkOutputDir(request.job.outputDir);
    if (request.backend === "fargate" && request.job.runsOn === "cluster") checkFargateJobOutputs(request.job.outputDir, request.settings.fargate?.outputUri);
  }
  // The adaptive loop lives in a job the tool runs: a cluster without one (`up`) would sit at its minimum.
  if (draft.adaptive && !request.job)
    throw new ClusterConfigError(
      "workers",
      `${draft.adaptive.min}-${draft.adaptive.max} is a range, and a range follows the scheduler's target during a job this tool runs (command run); a cluster started by up keeps one size: write workers: ${draft.adaptive.max} (or scale it later)`,
    );
  const jobInCluster = request.job?.runsOn === "cluster";
  // On Fargate the job's command travels in RunTask's overrides, capped by ECS: refuse a too long one now, not after the start.
  if (request.backend === "fargate" && request.job && jobInCluster) {
    checkJobOverrides(draft, request.job.command);
    checkFargateJobWorkdir(request.job.workdir);
  }
  // A Fargate job's files come back only through output-uri: say so before anything is paid for.
  const outputsStay = request.backend === "fargate" && jobInCluster && request.settings.fargate?.outputUri === undefined;
  if (outputsStay) logger.warn(FARGATE_OUTPUTS_STAY);
  const phase = hooks.phase ?? (<T>(_title: string, work: () => Promise<T>) => work());
  const timer = new PhaseTimer();
  const jobLogTail: string[] = [];
  let image: ImageOutcome | undefined;
  let spec: ClusterSpec | undefined;
  let handle: ClusterHandle | undefined;
  let job: JobResult | undefined;
  let timedOut = false;
  let error: unknown;
  let stoppedMembers: StoppedMember[] = [];
  let upStarted: number | undefined;
  // Whether the start created anything: a start that failed before its first resource needs no teardown
  // (and one without credentials could not do it: the first error is the one to report).
  let created = false;
  let preflight: readonly PreflightFinding[] = [];
  // The start as the engine recorded it (set once the start is over, ready or failed), and when the job ended.
  let startTimeline: StartTimeline | undefined;
  let readyAt: number | undefined;
  let jobEndedAt: number | undefined;
  let jobStartedAt: number | undefined;
  let pictures: RunPictures = {};
  let picturesFile: string | undefined;
  // The phase under way, so a failure or an interruption says where it happened.
  let current: RunPhase = "image";
  let errorPhase: RunPhase | undefined;
  let abortedIn: RunPhase | undefined;
  const noteAbort = () => {
    abortedIn ??= current;
  };
  if (signal.aborted) noteAbort();
  else signal.addEventListener("abort", noteAbort, { once: true });
  const hourlyCost = hourlyCostOf(request.backend, request.settings, draft, jobInCluster);

  try {
    const untrustedLog = hooks.untrustedLog ?? (<T>(work: (l: Logger) => Promise<T>) => work(logger));
    image = await phase("Image", () => timer.time("image", () => untrustedLog((buildLogger) => resolveImage(request.image, request.backend, buildLogger))));
    await hooks.onImage?.(image);
    if (image.record && request.job?.runsOn === "runner") {
      const mismatch = await runnerJobWarning(image.record);
      if (mismatch) logger.warn(mismatch);
    }
    const clusterSpec = resolveClusterSpec({ ...request.cluster, clusterId: draft.clusterId, image: image.image });
    spec = clusterSpec;
    const tlsDir = request.tlsDirFor(clusterSpec.clusterId);
    await hooks.onStart?.(clusterSpec, tlsDir);
    current = "up";
    if (request.replaceExisting) {
      await phase("Replace the cluster of an earlier attempt", () => backend.down({ clusterId: clusterSpec.clusterId }, { logger }));
    }
    if (hourlyCost) logger.info(`cost: ${hourlyCost.text} (${hourlyCost.method})`);
    upStarted = Date.now();
    const shape = `1 scheduler + ${workersText(clusterSpec)} workers of ${clusterSpec.workerCpu} vCPU / ${clusterSpec.workerMemory} MiB`;
    const started = await phase(`Start cluster ${clusterSpec.clusterId} (${backend.name}: ${shape})`, () =>
      timer.time("up", () =>
        backend.up(clusterSpec, {
          logger,
          signal,
          tlsDir,
          ...(request.readiness ? { readiness: request.readiness } : {}),
          onPartial: (partial) => {
            created = true;
            hooks.onPartial?.(partial);
          },
          onPreflight: (report) => {
            preflight = report.findings;
          },
          onStartTimeline: (timeline) => {
            startTimeline = timeline;
          },
        }),
      ),
    );
    handle = started;
    readyAt = Date.now();
    await hooks.onReady?.(started);
    const jobRequest = request.job;
    if (!jobRequest) {
      if (startTimeline) startTimeline = await withSchedulerRegistrations(backend, startTimeline, clusterSpec.clusterId, logger);
      pictures = { startTimeline };
      return result("up");
    }
    current = "job";
    jobStartedAt = Date.now();
    const deadline = jobDeadline(signal, jobRequest.timeoutSeconds);
    try {
      job = await phase(`Job: ${jobRequest.command}`, () =>
        timer.time("job", () =>
          runClusterJob(
            backend,
            started,
            {
              command: jobRequest.command,
              runsOn: jobRequest.runsOn,
              workdir: jobRequest.workdir,
              ...(jobRequest.inheritEnv ? { inheritEnv: jobRequest.inheritEnv } : {}),
              ...(jobRequest.runAs !== undefined ? { runAs: jobRequest.runAs } : {}),
              ...(jobRequest.outputDir ? { outputDir: jobRequest.outputDir } : {}),
              onOutput: (line, stream) => {
                jobLogTail.push(line);
                if (jobLogTail.length > JOB_LOG_TAIL) jobLogTail.shift();
                hooks.onJobOutput?.(line, stream);
              },
            },
            { logger, signal: deadline.signal },
          ),
        ),
      );
      timedOut = deadline.timedOut();
    } finally {
      deadline.dispose();
      jobEndedAt = Date.now();
    }
    // Before the teardown removes the scheduler and its log.
    if (startTimeline) startTimeline = await withSchedulerRegistrations(backend, startTimeline, clusterSpec.clusterId, logger);
    if (job.stoppedMembers.length > 0) stoppedMembers = await stoppedMembersWithLogs(backend, clusterSpec.clusterId, job.stoppedMembers, logger);
  } catch (caught) {
    error = caught;
    errorPhase = current;
  } finally {
    // A started cluster is removed unless `up` succeeded; after a failed start the backend has already cleaned up,
    // and this idempotent pass finishes what its cleanup could not.
    const keep = !request.job && error === undefined && !signal.aborted;
    if (spec && !keep) {
      const clusterId = spec.clusterId;
      const tlsDir = request.tlsDirFor(clusterId);
      try {
        if (created || handle || request.replaceExisting) {
          if (errorPhase === undefined) current = "down";
          await phase("Teardown", () => timer.time("down", () => backend.down({ clusterId, handle, tlsDir }, { logger })));
        }
        // Also when nothing was created: the caller forgets the cluster (e.g. the CLI's record written at the start).
        await hooks.onTornDown?.();
      } catch (caught) {
        if (error === undefined) {
          error = caught;
          errorPhase = "down";
        } else logger.warn(`teardown failed too: ${caught instanceof Error ? caught.message : String(caught)}`);
      }
    }
  }
  signal.removeEventListener("abort", noteAbort);
  // The files that came back to outputDir (on Fargate: uploaded by the job task, then downloaded).
  const outputs = job?.outputs?.files ?? [];
  pictures = {
    startTimeline,
    replacements: (job?.replacements ?? []).map((r) => ({ member: r.member, replacement: r.replacement, startedAt: r.startedAt })),
    metrics: job ? await readTrainingMetrics(request.job?.outputDir, logger) : undefined,
    workers: spec
      ? workersOverTime({
          spec,
          handle,
          timeline: startTimeline,
          startedAt: upStarted ?? Date.now(),
          readyAt,
          jobEndedAt,
          // Workers lost and not replaced: a replaced one is back at once (the replacements are in the job result).
          stoppedWorkers: Math.max(0, stoppedMembers.filter((m) => m.member.includes("worker")).length - (job?.replacements?.length ?? 0)),
          jobStartedAt,
          adaptive: job?.adaptive,
          endedAt: Date.now(),
          jobInCluster,
        })
      : undefined,
  };
  // Also after a failed start: its timeline is what the user needs to see then.
  if (spec && request.job?.outputDir !== undefined)
    picturesFile = await writePictures(
      request.job.outputDir,
      pictures,
      outputs.map((f) => f.path),
      logger,
    );
  if (error !== undefined) return result(signal.aborted ? "interrupted" : "error");
  if (signal.aborted) return result("interrupted", outputs);
  if (timedOut) return result("timed-out", outputs);
  // A job that succeeded without all its files back fails the run: the next step (an artifact upload, a model
  // registry) would otherwise go on without them.
  if (job?.exitCode === 0 && job.outputs?.problem) return result("outputs-failed", outputs);
  return result(job?.exitCode === 0 ? "succeeded" : "failed", outputs);

  function result(ending: RunEnding, outputs: readonly OutputFile[] = []): RunResult {
    const exitCode =
      ending === "interrupted"
        ? INTERRUPTED_EXIT_CODE
        : ending === "timed-out"
          ? JOB_TIMEOUT_EXIT_CODE
          : ending === "outputs-failed"
            ? OUTPUTS_FAILED_EXIT_CODE
            : ending === "succeeded" || ending === "failed"
              ? (job?.exitCode ?? 1)
              : undefined;
    const seconds = upStarted === undefined ? 0 : (Date.now() - upStarted) / 1000;
    const outputsProblem = job?.outputs?.problem;
    const failedPhase: RunPhase | undefined =
      ending === "error"
        ? (errorPhase ?? current)
        : ending === "interrupted"
          ? (abortedIn ?? errorPhase ?? current)
          : ending === "failed" || ending === "timed-out"
            ? "job"
            : ending === "outputs-failed"
              ? "outputs"
              : undefined;
    if (ending === "error") namePhase(error, failedPhase ?? current);
    return {
      backend: request.backend,
      clusterId: spec?.clusterId ?? draft.clusterId,
      spec,
      image,
      handle,
      ending,
      exitCode,
      message: runMessage({
        ending,
        exitCode,
        phase: failedPhase ?? current,
        timeoutSeconds: request.job?.timeoutSeconds,
        jobReason: job?.reason,
        stoppedMembers,
        replaced: job?.replacements?.length,
        unreplaced: job?.unreplaced,
        outputsProblem,
        outputsStayed: outputsStay && (ending === "succeeded" || ending === "failed" || ending === "timed-out"),
        error,
      }),
      failedPhase,
      stoppedMembers,
      adaptive: job?.adaptive,
      replacements: job?.replacements ?? [],
      unreplaced: job?.unreplaced ?? [],
      jobLogTail: [...jobLogTail],
      outputDir: request.job?.outputDir,
      outputs,
      phasesMs: timer.toJSON(),
      hourlyCost,
      preflight,
      cost: ending !== "up" && spec && upStarted !== undefined ? runCostOf(request.backend, spec, handle, seconds, jobInCluster, job?.replacements) : undefined,
      error,
      pictures,
      picturesFile,
    };
  }
}
