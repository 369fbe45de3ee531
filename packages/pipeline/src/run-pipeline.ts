import { createBackend, PhaseTimer } from "@dask-fargate-action/core/backend";
import { FARGATE_OUTPUTS_STAY } from "./fargate-job-checks.js";
import { type ResolvedRun, resolveRun } from "./resolve-run.js";
import type { RunPhase } from "./run-message.js";
import {
  downPhase,
  imagePhase,
  jobPhase,
  newProgress,
  type RunContext,
  readBeforeTeardown,
  upPhase,
} from "./run-phases.js";
import type { RunHooks, RunRequest, RunResult } from "./run-request.js";
import { endingOf, picturesOf, resultOf } from "./run-result.js";

export type { RunEnding, RunPhase } from "./run-message.js";
export type { JobRequest, RunHooks, RunRequest, RunResult, RunTeardown } from "./run-request.js";

/**
 * image (build, reuse or given; pushed when the backend pulls from a registry) → up → job → outputs → down.
 * The request is resolved once ({@link resolveRun}): bad input throws before anything is built or created. After
 * that the run never throws: a failed start or teardown is `ending: "error"` with `error` set, and the cluster is
 * removed whatever happened (job failure, job-timeout, error, SIGINT/SIGTERM), except after a successful `up`,
 * whose cluster the caller removes later.
 */
export async function runPipeline(request: RunRequest, hooks: RunHooks): Promise<RunResult> {
  return runResolved(resolveRun(request), hooks);
}

/** Runs a resolved run's phases, in order, and makes its result. */
export async function runResolved(run: ResolvedRun, hooks: RunHooks): Promise<RunResult> {
  const { logger, signal } = hooks;
  // A Fargate job's files come back only through output-uri: say so before anything is paid for.
  if (run.outputs.stayInCluster) logger.warn(FARGATE_OUTPUTS_STAY);
  const context: RunContext = {
    backend: createBackend(run.backend, run.settings),
    hooks,
    logger,
    signal,
    timer: new PhaseTimer(),
    phase: hooks.phase ?? ((_phase, _title, work) => work()),
  };
  const progress = newProgress(run);
  let abortedIn: RunPhase | undefined;
  const noteAbort = () => {
    abortedIn ??= progress.current;
  };
  if (signal.aborted) noteAbort();
  else signal.addEventListener("abort", noteAbort, { once: true });
  try {
    await imagePhase(context, progress);
    const handle = await upPhase(context, progress);
    const job = progress.run.job;
    if (job) await jobPhase(context, progress, handle, job);
    // Before the teardown removes the scheduler and its log.
    await readBeforeTeardown(context, progress);
  } catch (caught) {
    progress.error = caught;
    progress.errorPhase = progress.current;
  } finally {
    await downPhase(context, progress);
  }
  signal.removeEventListener("abort", noteAbort);
  const ending = endingOf(progress, signal.aborted);
  const { pictures, file } = await picturesOf(progress, ending, logger);
  return resultOf(progress, ending, { abortedIn, phasesMs: context.timer.toJSON(), pictures, picturesFile: file });
}
