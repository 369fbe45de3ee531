import type { ClusterSpec } from "../cluster-spec.js";
import { DASHBOARD_PORT, SCHEDULER_PORT, schedulerCommand, workerCommand } from "../internal/dask-commands.js";
import { clusterLabels } from "../internal/labels.js";
import { type MemberOptions, names } from "./members.js";

/** When the cluster was made and until when it may live: known once up starts; placeholders in a dry run. */
export interface DockerFacts {
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** The objects a Docker start creates: pure data, printed by a dry run and executed by `upDockerCluster`. */
export interface DockerPlan {
  readonly backend: "docker";
  readonly clusterId: string;
  /** The cluster's bridge network (container DNS: members find the scheduler by its container name). */
  readonly network: {
    readonly name: string;
    readonly driver: "bridge";
    readonly labels: Readonly<Record<string, string>>;
  };
  /** The scheduler container; its scheduler and dashboard ports are published on 127.0.0.1 only, on random host ports. */
  readonly scheduler: MemberOptions;
  /** One container per worker, started together with the scheduler (they retry until it listens). */
  readonly workers: readonly MemberOptions[];
  /** The address members use; known before anything runs (the scheduler's container name). */
  readonly schedulerAddress: string;
  /** The ports published for a client on this machine. */
  readonly publishedPorts: readonly number[];
  /** With TLS, each member gets the cluster's member files copied in before it starts (made during up, never planned). */
  readonly tls: boolean;
}

/** The worker container with index `index` (scale adds workers past the highest index). */
export function dockerWorkerPlan(
  spec: ClusterSpec,
  facts: DockerFacts,
  schedulerAddress: string,
  index: number,
): MemberOptions {
  return {
    role: "worker",
    name: names.worker(spec.clusterId, index),
    command: workerCommand(spec, schedulerAddress, `worker-${index}`),
    cpu: spec.workerCpu,
    memoryMiB: spec.workerMemory,
    environment: spec.environment,
    createdAt: facts.createdAt,
    expiresAt: facts.expiresAt,
  };
}

/** Plans the network and containers of a Docker cluster from the validated spec. Pure: same input, same plan. */
export function planDockerCluster(spec: ClusterSpec, facts: DockerFacts): DockerPlan {
  const schedulerAddress = `${spec.tls ? "tls" : "tcp"}://${names.scheduler(spec.clusterId)}:${SCHEDULER_PORT}`;
  return {
    backend: "docker",
    clusterId: spec.clusterId,
    network: {
      name: names.network(spec.clusterId),
      driver: "bridge",
      labels: clusterLabels(spec.clusterId, facts.createdAt, facts.expiresAt, spec.labels),
    },
    scheduler: {
      role: "scheduler",
      name: names.scheduler(spec.clusterId),
      command: schedulerCommand(spec),
      cpu: spec.schedulerCpu,
      memoryMiB: spec.schedulerMemory,
      environment: spec.environment,
      createdAt: facts.createdAt,
      expiresAt: facts.expiresAt,
      publish: true,
    },
    workers: Array.from({ length: spec.workers }, (_, index) => dockerWorkerPlan(spec, facts, schedulerAddress, index)),
    schedulerAddress,
    publishedPorts: [SCHEDULER_PORT, DASHBOARD_PORT],
    tls: spec.tls,
  };
}
