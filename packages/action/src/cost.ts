import type { ClusterSpec } from "@dask-fargate-action/core";

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

/**
 * Estimates what a cluster cost: Fargate bills each task per second from image pull to stop, with a
 * one-minute minimum; every task is counted for the cluster's whole life (an upper bound), plus the
 * public IPv4 addresses. Spot workers are priced on demand, so the estimate is an upper bound then too.
 */
export function estimateFargateCost(spec: ClusterSpec, architecture: "X86_64" | "ARM64", seconds: number, publicIps: number, spot: boolean): CostEstimate {
  const price = FARGATE_PRICES[architecture];
  const billed = Math.max(60, Math.ceil(seconds)) / 3600;
  const task = (vcpu: number, mib: number) => (vcpu * price.vcpuHour + (mib / 1024) * price.gbHour) * billed;
  const usd =
    task(spec.schedulerCpu, spec.schedulerMemory) + spec.workers * task(spec.workerCpu, spec.workerMemory) + publicIps * FARGATE_PRICES.publicIpv4Hour * billed;
  const text = `$${usd.toFixed(4)}${spot ? " (upper bound: Spot workers priced on demand)" : ""}`;
  return { usd, text, method: `1 scheduler + ${spec.workers} workers × ${Math.ceil(seconds)} s (min. 60 s) at ${FARGATE_PRICES.source}` };
}
