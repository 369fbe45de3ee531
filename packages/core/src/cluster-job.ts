import { runAdaptiveJob } from "./adaptive/adaptive-job.js";
import type { ClusterBackend } from "./backend.js";
import type { ClusterHandle, JobResult, JobSpec } from "./cluster.js";
import type { Logger } from "./logger.js";
import { runJobOnRunner } from "./runner-job.js";

/**
 * Runs a job on a cluster of any backend, the one place that tells the two kinds apart: a job in the cluster
 * is the backend's (a container, an ECS task); a job on the runner is a process here, the same on every
 * backend, with the backend only watching its members meanwhile (those that stop are in `stoppedMembers`).
 * A cluster with adaptive workers (`workers: MIN-MAX`) follows the scheduler's target during either kind (adaptive/).
 */
export async function runClusterJob(
  backend: ClusterBackend,
  handle: ClusterHandle,
  job: JobSpec,
  options: { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<JobResult> {
  return runAdaptiveJob(backend, handle, job, options, (adaptiveJob, logger) => runJobOnce(backend, handle, adaptiveJob, { ...options, logger }));
}

async function runJobOnce(
  backend: ClusterBackend,
  handle: ClusterHandle,
  job: JobSpec,
  options: { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<JobResult> {
  if (job.runsOn === "cluster") return backend.runJob(handle, job, options);
  const watch = await backend.watchMembers(handle, options);
  try {
    const result = await runJobOnRunner(handle, job, options.signal);
    return { ...result, stoppedMembers: [...watch.stopped] };
  } finally {
    watch.stop();
  }
}
