import { peakWorkers } from "../adaptive/worker-range.js";
import type { ClusterSpec } from "../cluster-spec.js";

/**
 * AWS Fargate on-demand prices for Linux in us-east-1, in USD. Source: the AWS Fargate pricing page
 * (aws.amazon.com/fargate/pricing), as recorded in the project's facts on 2026-11-01. Other regions
 * differ by a few percent; Spot is up to 70% cheaper and varies.
 */
export const FARGATE_PRICES = {
  X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
  ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
  publicIpv4Hour: 0.005,
  source: "AWS Fargate pricing page, us-east-1 Linux on-demand, recorded 2026-11-01",
} as const;

/** A cost estimate and how it was made. */
export interface CostEstimate {
  readonly usd: number;
  readonly text: string;
  readonly method: string;
}

/** Options of the estimates. */
export interface CostOptions {
  /** A job task runs beside the cluster (a job in the cluster): it has the scheduler's size. */
  readonly jobTask?: boolean;
  /** Replacement workers started during the job: how long each ran (each billed at least a minute). */
  readonly replacementSeconds?: readonly number[];
  /** Each replacement had a public IPv4 address too. */
  readonly replacementPublicIps?: boolean;
}

/** What one hour of the cluster's tasks (scheduler, workers, the job task) and public addresses costs on demand. */
function usdPerHour(
  spec: ClusterSpec,
  architecture: "X86_64" | "ARM64",
  publicIps: number,
  options: CostOptions,
): number {
  const price = FARGATE_PRICES[architecture];
  const task = (vcpu: number, mib: number) => vcpu * price.vcpuHour + (mib / 1024) * price.gbHour;
  const jobTasks = options.jobTask ? 1 : 0;
  return (
    (1 + jobTasks) * task(spec.schedulerCpu, spec.schedulerMemory) +
    // Adaptive workers are priced at their maximum: an upper bound, like the rest of the estimate.
    peakWorkers(spec) * task(spec.workerCpu, spec.workerMemory) +
    publicIps * FARGATE_PRICES.publicIpv4Hour
  );
}

const shapeOf = (spec: ClusterSpec, options: CostOptions) =>
  `1 scheduler + ${spec.adaptive ? `up to ${peakWorkers(spec)} (adaptive ${spec.adaptive.min}-${spec.adaptive.max})` : spec.workers} workers${options.jobTask ? " + 1 job task" : ""}`;

/**
 * The hourly price of the requested shape, and the most the cluster can cost before its hard lifetime ends
 * it: shown by `plan` and before every Fargate start, so a typo in a size is seen before it is billed.
 */
export function hourlyFargateCost(
  spec: ClusterSpec,
  architecture: "X86_64" | "ARM64",
  publicIps: number,
  spot: boolean,
  options: CostOptions = {},
): CostEstimate & { readonly maxLifetimeUsd: number } {
  const usd = usdPerHour(spec, architecture, publicIps, options);
  const maxLifetimeUsd = usd * (spec.maxLifetime / 3600);
  const bound = spot ? " (upper bound: Spot workers priced on demand)" : "";
  return {
    usd,
    maxLifetimeUsd,
    text: `about $${usd.toFixed(2)} per hour${bound}; at most $${maxLifetimeUsd.toFixed(2)} before the ${formatHours(spec.maxLifetime)} max-lifetime ends it`,
    method: `${shapeOf(spec, options)}${publicIps > 0 ? ` + ${publicIps} public IPv4 addresses` : ""} at ${FARGATE_PRICES.source}`,
  };
}

/**
 * Estimates what a cluster cost: Fargate bills each task per second from image pull to stop, with a
 * one-minute minimum; every task is counted for the cluster's whole life (an upper bound), plus the
 * public IPv4 addresses. Spot workers are priced on demand, so the estimate is an upper bound then too.
 */
export function estimateFargateCost(
  spec: ClusterSpec,
  architecture: "X86_64" | "ARM64",
  seconds: number,
  publicIps: number,
  spot: boolean,
  options: CostOptions = {},
): CostEstimate {
  const billed = Math.max(60, Math.ceil(seconds)) / 3600;
  const price = FARGATE_PRICES[architecture];
  const replacementHours = (options.replacementSeconds ?? []).reduce(
    (sum, s) => sum + Math.max(60, Math.ceil(s)) / 3600,
    0,
  );
  const replacementPerHour =
    spec.workerCpu * price.vcpuHour +
    (spec.workerMemory / 1024) * price.gbHour +
    (options.replacementPublicIps ? FARGATE_PRICES.publicIpv4Hour : 0);
  const usd = usdPerHour(spec, architecture, publicIps, options) * billed + replacementPerHour * replacementHours;
  const text = `$${usd.toFixed(4)}${spot ? " (upper bound: Spot workers priced on demand)" : ""}`;
  const replaced = options.replacementSeconds?.length
    ? ` + ${options.replacementSeconds.length} replacement worker(s) × ${Math.ceil(replacementHours * 3600)} s in all (min. 60 s each)`
    : "";
  return {
    usd,
    text,
    method: `${shapeOf(spec, options)} × ${Math.ceil(seconds)} s (min. 60 s)${replaced} at ${FARGATE_PRICES.source}`,
  };
}

function formatHours(seconds: number): string {
  const hours = seconds / 3600;
  return Number.isInteger(hours) ? `${hours} h` : `${Math.round(seconds / 60)} min`;
}
