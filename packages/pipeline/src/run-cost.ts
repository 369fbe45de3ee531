import {
  type BackendSpec,
  type ClusterHandle,
  type CostEstimate,
  estimateFargateCost,
  hourlyFargateCost,
  type WorkerReplacement,
} from "@dask-fargate-action/core/backend";
import { type ClusterSpec, peakWorkers } from "@dask-fargate-action/core/validate";

/**
 * What the resolved shape costs per hour on Fargate, shown before every start (public IPv4 counted for every
 * task unless assign-public-ip is false; the job task counted when the job runs in the cluster); undefined on
 * the Docker backend, whose containers cost nothing beyond the machine.
 */
export function hourlyCostOf(backendSpec: BackendSpec, spec: ClusterSpec, jobInCluster: boolean) {
  if (backendSpec.backend !== "fargate") return undefined;
  const fargate = backendSpec.fargate;
  const tasks = peakWorkers(spec) + 1 + (jobInCluster ? 1 : 0);
  return hourlyFargateCost(
    spec,
    fargate.architecture,
    fargate.assignPublicIp === false ? 0 : tasks,
    fargate.spotWorkers,
    { jobTask: jobInCluster },
  );
}

/**
 * What a finished run cost: every task for the cluster's whole life (an upper bound), the job task when it ran in
 * the cluster, and each replacement worker from its start to the end of the run (its own one-minute minimum).
 */
export function runCostOf(
  backend: "docker" | "fargate",
  spec: ClusterSpec,
  handle: ClusterHandle | undefined,
  seconds: number,
  jobInCluster: boolean,
  replacements: readonly WorkerReplacement[] = [],
  now: number = Date.now(),
): CostEstimate | undefined {
  if (backend === "docker")
    return {
      usd: 0,
      text: "$0 (local Docker Engine)",
      method: "containers on this machine cost nothing beyond the machine",
    };
  const fargate = handle?.fargate?.spec;
  if (!fargate) return undefined;
  const publicIps = handle?.fargate?.assignPublicIp ? 1 + peakWorkers(spec) + (jobInCluster ? 1 : 0) : 0;
  const replacementSeconds = replacements.map((r) => Math.max(0, (now - r.startedAt) / 1000));
  return estimateFargateCost(spec, fargate.architecture, seconds, publicIps, fargate.spotWorkers, {
    jobTask: jobInCluster,
    replacementSeconds,
    replacementPublicIps: handle?.fargate?.assignPublicIp ?? false,
  });
}
