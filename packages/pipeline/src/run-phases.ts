import {
  type ClusterBackend,
  type ClusterHandle,
  type JobResult,
  type Logger,
  type PhaseTimer,
  type PreflightFinding,
  runClusterJob,
  type StartTimeline,
} from "@dask-fargate-action/core/backend";
import { workersText } from "@dask-fargate-action/core/validate";
import { runnerJobWarning } from "@dask-fargate-action/image";
import { type ImageOutcome, settleImage } from "./image-phase.js";
import { jobDeadline } from "./job-deadline.js";
import { withSchedulerRegistrations } from "./pictures/run-pictures.js";
import { type ResolvedRun, withImage } from "./resolve-run.js";
import type { RunPhase } from "./run-message.js";
import type { JobRequest, RunHooks, RunTeardown } from "./run-request.js";
import { type StoppedMember, stoppedMembersWithLogs } from "./stopped-members.js";

const JOB_LOG_TAIL = 40;

/** What every phase works with: the resolved run's backend, the caller's hooks, the phase timer. */
export interface RunContext {
  readonly backend: ClusterBackend;
  readonly hooks: RunHooks;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly timer: PhaseTimer;
  readonly phase: <T>(phase: RunPhase, title: string, work: () => Promise<T>) => Promise<T>;
}

/** What a run has done so far: each phase fills in its part; the result is made from it. */
export interface RunProgress {
  /** The resolved run, with its image once the image phase settled it. */
  run: ResolvedRun;
  /** The phase under way, so a failure or an interruption says where it happened. */
  current: RunPhase;
  image: ImageOutcome | undefined;
  /** Set when the image phase is over: from then on there is a cluster to record and, maybe, to remove. */
  imageSettled: boolean;
  handle: ClusterHandle | undefined;
  job: JobResult | undefined;
  timedOut: boolean;
  error: unknown;
  errorPhase: RunPhase | undefined;
  /** Whether the start created anything: a start that failed before its first resource needs no teardown. */
  created: boolean;
  preflight: readonly PreflightFinding[];
  /** The start as the engine recorded it (set once the start is over, ready or failed). */
  startTimeline: StartTimeline | undefined;
  upStarted: number | undefined;
  readyAt: number | undefined;
  jobStartedAt: number | undefined;
  jobEndedAt: number | undefined;
  stoppedMembers: StoppedMember[];
  jobLogTail: string[];
  teardown: RunTeardown;
}

export function newProgress(run: ResolvedRun): RunProgress {
  return {
    run,
    current: "image",
    image: undefined,
    imageSettled: false,
    handle: undefined,
    job: undefined,
    timedOut: false,
    error: undefined,
    errorPhase: undefined,
    created: false,
    preflight: [],
    startTimeline: undefined,
    upStarted: undefined,
    readyAt: undefined,
    jobStartedAt: undefined,
    jobEndedAt: undefined,
    stoppedMembers: [],
    jobLogTail: [],
    teardown: { state: "not needed" },
  };
}

/** Builds, reuses or takes the image; the run then carries its reference. */
export async function imagePhase(context: RunContext, progress: RunProgress): Promise<void> {
  const { hooks, logger, timer } = context;
  const { run } = progress;
  const untrustedLog = hooks.untrustedLog ?? (<T>(work: (l: Logger) => Promise<T>) => work(logger));
  const image = await context.phase("image", "Image", () =>
    timer.time("image", () => untrustedLog((buildLogger) => settleImage(run.image, buildLogger))),
  );
  progress.image = image;
  await hooks.onImage?.(image);
  if (image.record && run.job?.runsOn === "runner") {
    const mismatch = await runnerJobWarning(image.record);
    if (mismatch) logger.warn(mismatch);
  }
  progress.run = withImage(run, image.image);
  progress.imageSettled = true;
}

/** Removes an earlier attempt's cluster when asked, then starts this one and waits until it is ready. */
export async function upPhase(context: RunContext, progress: RunProgress): Promise<ClusterHandle> {
  const { backend, hooks, logger, signal, timer } = context;
  const { run } = progress;
  const spec = run.cluster;
  await hooks.onStart?.(spec, run.tlsDir);
  progress.current = "up";
  if (run.replaceExisting) {
    await context.phase("up", "Replace the cluster of an earlier attempt", () =>
      backend.down({ clusterId: spec.clusterId }, { logger }),
    );
  }
  if (run.hourlyCost) logger.info(`cost: ${run.hourlyCost.text} (${run.hourlyCost.method})`);
  progress.upStarted = Date.now();
  const shape = `1 scheduler + ${workersText(spec)} workers of ${spec.workerCpu} vCPU / ${spec.workerMemory} MiB`;
  const handle = await context.phase("up", `Start cluster ${spec.clusterId} (${backend.name}: ${shape})`, () =>
    timer.time("up", () =>
      backend.up(spec, {
        logger,
        signal,
        tlsDir: run.tlsDir,
        backendSpec: run.backendSpec,
        ...(run.readiness ? { readiness: run.readiness } : {}),
        onPartial: (partial) => {
          progress.created = true;
          hooks.onPartial?.(partial);
        },
        onPreflight: (report) => {
          progress.preflight = report.findings;
        },
        onStartTimeline: (timeline) => {
          progress.startTimeline = timeline;
        },
      }),
    ),
  );
  progress.handle = handle;
  progress.readyAt = Date.now();
  await hooks.onReady?.(handle);
  return handle;
}

/** Runs the job (in the cluster or on this machine) under its job-timeout; the phase after it reads what it left. */
export async function jobPhase(
  context: RunContext,
  progress: RunProgress,
  handle: ClusterHandle,
  job: JobRequest,
): Promise<void> {
  const { backend, hooks, logger, signal, timer } = context;
  progress.current = "job";
  progress.jobStartedAt = Date.now();
  const deadline = jobDeadline(signal, job.timeoutSeconds);
  try {
    progress.job = await context.phase("job", `Job: ${job.command}`, () =>
      timer.time("job", () =>
        runClusterJob(
          backend,
          handle,
          {
            command: job.command,
            runsOn: job.runsOn,
            workdir: job.workdir,
            ...(job.inheritEnv ? { inheritEnv: job.inheritEnv } : {}),
            ...(job.runAs !== undefined ? { runAs: job.runAs } : {}),
            ...(job.outputDir ? { outputDir: job.outputDir } : {}),
            onOutput: (line, stream) => {
              progress.jobLogTail.push(line);
              if (progress.jobLogTail.length > JOB_LOG_TAIL) progress.jobLogTail.shift();
              hooks.onJobOutput?.(line, stream);
            },
          },
          { logger, signal: deadline.signal },
        ),
      ),
    );
    progress.timedOut = deadline.timedOut();
  } finally {
    deadline.dispose();
    progress.jobEndedAt = Date.now();
  }
}

/** What only the running cluster still knows (its scheduler's registrations, the stopped members' last lines): read before the teardown. */
export async function readBeforeTeardown(context: RunContext, progress: RunProgress): Promise<void> {
  const { backend, logger } = context;
  const clusterId = progress.run.cluster.clusterId;
  if (progress.startTimeline)
    progress.startTimeline = await withSchedulerRegistrations(backend, progress.startTimeline, clusterId, logger);
  const stopped = progress.job?.stoppedMembers ?? [];
  if (stopped.length > 0) progress.stoppedMembers = await stoppedMembersWithLogs(backend, clusterId, stopped, logger);
}

/**
 * Removes the cluster unless `up` succeeded; after a failed start the backend has already cleaned up, and this
 * idempotent pass finishes what its cleanup could not. Never throws: its outcome is `progress.teardown`.
 */
export async function downPhase(context: RunContext, progress: RunProgress): Promise<void> {
  const { backend, hooks, logger, signal, timer } = context;
  const { run } = progress;
  const keep = !run.job && progress.error === undefined && !signal.aborted;
  if (!progress.imageSettled || keep) return;
  const clusterId = run.cluster.clusterId;
  const handle = progress.handle;
  let removing = false;
  try {
    if (progress.created || handle || run.replaceExisting) {
      if (progress.errorPhase === undefined) progress.current = "down";
      removing = true;
      await context.phase("down", "Teardown", () =>
        timer.time("down", () => backend.down({ clusterId, handle, tlsDir: run.tlsDir }, { logger })),
      );
      progress.teardown = { state: "done" };
    }
    // Also when nothing was created: the caller forgets the cluster (e.g. the CLI's record written at the start).
    await hooks.onTornDown?.();
  } catch (caught) {
    if (removing && progress.teardown.state !== "done") progress.teardown = { state: "failed", error: caught };
    if (progress.error === undefined) {
      progress.error = caught;
      progress.errorPhase = "down";
    } else logger.warn(`teardown failed too: ${caught instanceof Error ? caught.message : String(caught)}`);
  }
}
