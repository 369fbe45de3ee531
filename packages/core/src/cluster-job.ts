import { runAdaptiveJob } from "./adaptive/adaptive-job.js";
import type { ClusterBackend } from "./backend.js";
import type { ClusterHandle, JobResult, JobSpec } from "./cluster.js";
import type { Logger } from "./logger.js";
import { runJobOnRunner } from "./runner-job.js";
import { watchResult } from "./worker-keeper.js";

/**
 * Runs a job on a cluster of any backend, the one place that tells the two kinds apart: a job in the cluster
 * is the backend's (a container, an ECS task); a job on the runner is a process here, the same on every
 * backend, with the backend watching its members meanwhile (those that stop are in `stoppedMembers`, lost workers
 * are replaced up to `max-worker-replacements` and listed in `replacements`).
 * A cluster with adaptive workers (`workers: MIN-MAX`) follows the scheduler's target during either kind (adaptive/).
 */
export async function runClusterJob(
  backend: ClusterBackend,
  handle: ClusterHandle,
  job: JobSpec,
  options: { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<JobResult> {
  return runAdaptiveJob(backend, handle, job, options, (adaptiveJob, logger) =>
    runJobOnce(backend, handle, adaptiveJob, { ...options, logger }),
  );
}

async function runJobOnce(
  backend: ClusterBackend,
  handle: ClusterHandle,
  job: JobSpec,
  options: { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<JobResult> {
  if (job.runsOn === "cluster") return backend.runJob(handle, job, options);
  const watch = await backend.watchMembers(handle, options);
  let result: JobResult;
  try {
    result = await runJobOnRunner(handle, job, options.signal);
  } finally {
    // Also after a failure: the watch ends (waiting for a replacement under way) before teardown.
    await watch.stop();
  }
  return { ...result, ...watchResult(watch) };
}
