import { ClusterConfigError } from "@dask-fargate-action/core/validate";

/** The exit code of a job stopped by its time limit: the code `timeout(1)` uses. */
export const JOB_TIMEOUT_EXIT_CODE = 124;
/** The exit code of a run interrupted by SIGINT or SIGTERM: 128 + SIGINT, as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;
/** The exit code of a run whose job succeeded but whose output files did not all come back. */
export const OUTPUTS_FAILED_EXIT_CODE = 1;

/**
 * The signal a job runs under: aborted by the run's own signal (SIGINT/SIGTERM) or when `job-timeout`
 * seconds have passed. Every backend stops its job on abort (a process group kill, a container kill,
 * StopTask), so one limit serves the runner, Docker and Fargate alike.
 */
export function jobDeadline(signal: AbortSignal, timeoutSeconds: number | undefined) {
  const limit = new AbortController();
  const timer = timeoutSeconds
    ? setTimeout(() => limit.abort(new Error(`job-timeout of ${timeoutSeconds} s`)), timeoutSeconds * 1000)
    : undefined;
  timer?.unref();
  return {
    signal: AbortSignal.any([signal, limit.signal]),
    /** True when the time limit (not an interruption) ended the job. */
    timedOut: () => limit.signal.aborted && !signal.aborted,
    dispose: () => clearTimeout(timer),
  };
}

/** A job time limit from an input or flag: a whole number of seconds, or a duration like `90m` or `2h`. */
export function parseJobTimeout(value: string | undefined, field = "job-timeout"): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const match = /^(\d+)\s*(s|m|h)?$/.exec(value.trim());
  const seconds = match
    ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"]
    : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new ClusterConfigError(
      field,
      `"${value}" is not a positive duration: give seconds (5400) or a number with s, m or h (90m, 2h)`,
    );
  }
  return seconds;
}
