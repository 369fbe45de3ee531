import type { Logger } from "@dask-fargate-action/core/backend";
import { INTERRUPTED_EXIT_CODE, JOB_TIMEOUT_EXIT_CODE, OUTPUTS_FAILED_EXIT_CODE } from "./job-deadline.js";
import type { OutputFile } from "./output-files.js";
import type { RunPictures } from "./pictures/pictures.js";
import { readTrainingMetrics, workersOverTime, writePictures } from "./pictures/run-pictures.js";
import { runCostOf } from "./run-cost.js";
import { namePhase, type RunEnding, type RunPhase, runMessage } from "./run-message.js";
import type { RunProgress } from "./run-phases.js";
import type { RunResult } from "./run-request.js";

/** How a finished run ended, from what it did and whether a signal came. */
export function endingOf(progress: RunProgress, aborted: boolean): RunEnding {
  const { job } = progress;
  if (progress.error !== undefined) return aborted ? "interrupted" : "error";
  if (aborted) return "interrupted";
  if (!progress.run.job) return "up";
  if (progress.timedOut) return "timed-out";
  // A job that succeeded without all its files back fails the run: the next step (an artifact upload, a model
  // registry) would otherwise go on without them.
  if (job?.exitCode === 0 && job.outputs?.problem) return "outputs-failed";
  return job?.exitCode === 0 ? "succeeded" : "failed";
}

/** The pictures' facts (the start's timeline, the job's metrics, the workers over time), and their file in the output directory. */
export async function picturesOf(
  progress: RunProgress,
  ending: RunEnding,
  logger: Logger,
): Promise<{ pictures: RunPictures; file: string | undefined }> {
  const { run, job } = progress;
  // A cluster that stays up has only its start to show.
  if (ending === "up") return { pictures: { startTimeline: progress.startTimeline }, file: undefined };
  const pictures: RunPictures = {
    startTimeline: progress.startTimeline,
    replacements: (job?.replacements ?? []).map((r) => ({
      member: r.member,
      replacement: r.replacement,
      startedAt: r.startedAt,
    })),
    metrics: job ? await readTrainingMetrics(run.outputs.dir, logger) : undefined,
    workers: progress.imageSettled
      ? workersOverTime({
          spec: run.cluster,
          handle: progress.handle,
          timeline: progress.startTimeline,
          startedAt: progress.upStarted ?? Date.now(),
          readyAt: progress.readyAt,
          jobEndedAt: progress.jobEndedAt,
          // Workers lost and not replaced: a replaced one is back at once (the replacements are in the job result).
          stoppedWorkers: Math.max(
            0,
            progress.stoppedMembers.filter((m) => m.member.includes("worker")).length -
              (job?.replacements?.length ?? 0),
          ),
          jobStartedAt: progress.jobStartedAt,
          adaptive: job?.adaptive,
          endedAt: Date.now(),
          jobInCluster: run.jobInCluster,
        })
      : undefined,
  };
  // Also after a failed start: its timeline is what the user needs to see then.
  const file =
    progress.imageSettled && run.outputs.dir !== undefined
      ? await writePictures(
          run.outputs.dir,
          pictures,
          (job?.outputs?.files ?? []).map((f) => f.path),
          logger,
        )
      : undefined;
  return { pictures, file };
}

/** The run's result from what it did; `abortedIn` is the phase a signal interrupted, when one did. */
export function resultOf(
  progress: RunProgress,
  ending: RunEnding,
  extra: {
    readonly abortedIn: RunPhase | undefined;
    readonly phasesMs: Record<string, number>;
    readonly pictures: RunPictures;
    readonly picturesFile: string | undefined;
  },
): RunResult {
  const { run, job, error } = progress;
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
  const seconds = progress.upStarted === undefined ? 0 : (Date.now() - progress.upStarted) / 1000;
  const failedPhase: RunPhase | undefined =
    ending === "error"
      ? (progress.errorPhase ?? progress.current)
      : ending === "interrupted"
        ? (extra.abortedIn ?? progress.errorPhase ?? progress.current)
        : ending === "failed" || ending === "timed-out"
          ? "job"
          : ending === "outputs-failed"
            ? "outputs"
            : undefined;
  if (ending === "error") namePhase(error, failedPhase ?? progress.current);
  // The files that came back to the output directory (on Fargate: uploaded by the job task, then downloaded); none
  // after an error outside the job.
  const outputs: readonly OutputFile[] = error !== undefined || ending === "up" ? [] : (job?.outputs?.files ?? []);
  const spec = progress.imageSettled ? run.cluster : undefined;
  return {
    backend: run.backend,
    clusterId: run.cluster.clusterId,
    run,
    spec,
    image: progress.image,
    handle: progress.handle,
    ending,
    exitCode,
    message: runMessage({
      ending,
      exitCode,
      phase: failedPhase ?? progress.current,
      timeoutSeconds: run.job?.timeoutSeconds,
      jobReason: job?.reason,
      stoppedMembers: progress.stoppedMembers,
      replaced: job?.replacements?.length,
      unreplaced: job?.unreplaced,
      outputsProblem: job?.outputs?.problem,
      outputsStayed:
        run.outputs.stayInCluster && (ending === "succeeded" || ending === "failed" || ending === "timed-out"),
      error,
    }),
    failedPhase,
    teardown: progress.teardown,
    stoppedMembers: progress.stoppedMembers,
    adaptive: job?.adaptive,
    replacements: job?.replacements ?? [],
    unreplaced: job?.unreplaced ?? [],
    jobLogTail: [...progress.jobLogTail],
    outputDir: run.outputs.dir,
    outputs,
    phasesMs: extra.phasesMs,
    hourlyCost: run.hourlyCost,
    preflight: progress.preflight,
    cost:
      ending !== "up" && spec && progress.upStarted !== undefined
        ? runCostOf(run.backend, spec, progress.handle, seconds, run.jobInCluster, job?.replacements)
        : undefined,
    error,
    pictures: extra.pictures,
    picturesFile: extra.picturesFile,
  };
}
