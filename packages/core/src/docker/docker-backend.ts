import Docker from "dockerode";
import { removeRetiredDockerWorkers } from "../adaptive/docker-retired.js";
import type { BackendOptions, BackendSettings, EngineVerbs } from "../backend.js";
import { ClusterConfigError } from "../errors.js";
import { downDockerCluster, scaleDockerCluster, upDockerCluster } from "./docker-cluster.js";
import { runDockerJob, watchDockerMembers } from "./docker-job.js";
import { dockerClusterLogs } from "./docker-logs.js";
import { reapDockerClusters } from "./docker-reaper.js";

/** The Docker backend's verbs that reach the engine; `createBackend` loads this module on the first of them. */
export function dockerEngineVerbs(settings: BackendSettings): EngineVerbs {
  let engine = settings.docker;
  // One client for every verb, made on first use (DOCKER_HOST or the local socket) unless one was injected.
  const docker = async (): Promise<Docker> => {
    engine ??= new Docker();
    return engine;
  };
  const signalOf = (options: BackendOptions) => (options.signal ? { signal: options.signal } : {});
  return {
    preflight: async () => undefined,
    up: async (spec, _backendSpec, options) =>
      upDockerCluster(spec, {
        docker: await docker(),
        logger: options.logger,
        tlsDir: options.tlsDir,
        ...signalOf(options),
        ...(options.readiness ? { readiness: options.readiness } : {}),
        onResource: () => options.onPartial?.({ backend: "docker" }),
        ...(options.onStartTimeline ? { onStartTimeline: options.onStartTimeline } : {}),
      }),
    runJob: async (handle, job, options) => runDockerJob(handle, job, { ...options, docker: await docker() }),
    watchMembers: async (handle, options) =>
      watchDockerMembers(handle, { docker: await docker(), logger: options.logger }),
    scale: async (handle, workers, options) => {
      if (handle.backend !== "docker")
        throw new ClusterConfigError("backend", `cluster ${handle.clusterId} runs on ${handle.backend}, not docker`);
      return scaleDockerCluster(handle, workers, {
        docker: await docker(),
        logger: options.logger,
        ...signalOf(options),
      });
    },
    removeWorkers: async (handle, retired) => {
      if (handle.backend !== "docker")
        throw new ClusterConfigError("backend", `cluster ${handle.clusterId} runs on ${handle.backend}, not docker`);
      return removeRetiredDockerWorkers(await docker(), handle, retired);
    },
    down: async (target, options) =>
      downDockerCluster(target.clusterId, {
        docker: await docker(),
        logger: options.logger,
        repository: target.repository,
        ...(target.tlsDir ? { tlsDir: target.tlsDir } : {}),
      }),
    logs: async (clusterId, options) => dockerClusterLogs(clusterId, { ...options, docker: await docker() }),
    reap: async (options) =>
      reapDockerClusters({
        docker: await docker(),
        logger: options.logger,
        dryRun: options.dryRun,
        repository: options.repository,
        ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
      }),
  };
}
