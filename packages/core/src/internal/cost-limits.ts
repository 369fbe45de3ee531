import { ClusterConfigError } from "../errors.js";

/**
 * Limits every cluster gets unless `allow-unbounded-cost` is set: a forgotten or mistyped setting must not be
 * able to run up a large bill. 24 h covers any training job on a GitHub-hosted runner (jobs stop at 6 h);
 * 2 h of idling is already waste; 128 vCPUs is about $5 an hour on Fargate x86 before memory
 * (us-east-1 price in facts: $0.04048 per vCPU-hour).
 */
export const COST_LIMITS = {
  maxLifetimeSeconds: 24 * 3600,
  idleTimeoutSeconds: 2 * 3600,
  totalVcpu: 128,
} as const;

/** The parts of a cluster's shape that cost money over time. */
export interface CostShape {
  readonly schedulerCpu: number;
  readonly workers: number;
  readonly workerCpu: number;
  readonly idleTimeout: number;
  readonly maxLifetime: number;
  readonly allowUnboundedCost: boolean;
}

const OPT_OUT = "set allow-unbounded-cost to lift the limit (and set an AWS Budgets alert)";

/** Throws a ClusterConfigError naming the setting when a shape exceeds {@link COST_LIMITS} without the opt-out. */
export function checkCostLimits(shape: CostShape): void {
  if (shape.allowUnboundedCost) return;
  if (shape.maxLifetime > COST_LIMITS.maxLifetimeSeconds)
    throw new ClusterConfigError(
      "max-lifetime",
      `${hours(shape.maxLifetime)} is more than the ${hours(COST_LIMITS.maxLifetimeSeconds)} limit; ${OPT_OUT}`,
    );
  if (shape.idleTimeout > COST_LIMITS.idleTimeoutSeconds)
    throw new ClusterConfigError(
      "idle-timeout",
      `${hours(shape.idleTimeout)} is more than the ${hours(COST_LIMITS.idleTimeoutSeconds)} limit; ${OPT_OUT}`,
    );
  const total = shape.schedulerCpu + shape.workers * shape.workerCpu;
  if (total > COST_LIMITS.totalVcpu)
    throw new ClusterConfigError(
      "workers",
      `1 scheduler of ${shape.schedulerCpu} vCPU + ${shape.workers} workers of ${shape.workerCpu} vCPU is ${total} vCPUs, more than the ${COST_LIMITS.totalVcpu} vCPU limit; use fewer or smaller workers, or ${OPT_OUT}`,
    );
}

function hours(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${(seconds / 3600).toFixed(1)} h`;
}
