import {
  ClusterConfigError,
  type ClusterHandle,
  type ClusterSpec,
  type DockerUpOptions,
  downDockerCluster,
  type JobResult,
  type JobSpec,
  type Logger,
  reapDockerClusters,
  runDockerJob,
  scaleDockerCluster,
  type TeardownReport,
  upDockerCluster,
} from "@dask-fargate-action/core";

/** The operations the CLI needs from a backend. */
export interface CliBackend {
  up(spec: ClusterSpec, options: DockerUpOptions): Promise<ClusterHandle>;
  runJob(handle: ClusterHandle, job: JobSpec, options: { logger: Logger; signal?: AbortSignal }): Promise<JobResult>;
  scale(handle: ClusterHandle, workers: number, options: { logger: Logger }): Promise<ClusterHandle>;
  down(clusterId: string, options: { logger: Logger; stateDir?: string }): Promise<TeardownReport>;
  reap(options: { logger: Logger; olderThanSeconds?: number; dryRun: boolean }): Promise<{ reaped: string[]; kept: string[] }>;
}

const docker: CliBackend = {
  up: (spec, options) => upDockerCluster(spec, options),
  runJob: (handle, job, options) => runDockerJob(handle, job, options),
  scale: (handle, workers, options) => scaleDockerCluster(handle, workers, options),
  down: (clusterId, options) => downDockerCluster(clusterId, options),
  reap: (options) => reapDockerClusters(options),
};

/** The backend for `--backend`. */
export function backendFor(name: "docker" | "fargate"): CliBackend {
  if (name === "fargate") {
    throw new ClusterConfigError("backend", "the fargate backend is not part of this version yet; use --backend docker");
  }
  return docker;
}
