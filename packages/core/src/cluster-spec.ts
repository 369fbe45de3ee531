import { randomBytes } from "node:crypto";
import { type AdaptiveWorkers, parseWorkerCount, peakWorkers } from "./adaptive/worker-range.js";
import { assertClusterId } from "./cluster-id.js";
import { DEFAULTS } from "./defaults.js";
import { ClusterConfigError } from "./errors.js";
import { checkCostLimits } from "./internal/cost-limits.js";
import { parseDurationSeconds, parseMemoryMiB, parseVcpu } from "./units.js";

/** How containers start Dask: `module` (python -m distributed.cli.*, works in every era), `dask` (dask scheduler), `legacy` (dask-scheduler). */
export type DaskCli = "module" | "dask" | "legacy";

/** What a user asks for. Field names match the action inputs and CLI flags (`worker-memory` → `workerMemory`). */
export interface ClusterSpecInput {
  /** Lower-case letters, digits and "-", at most 32 characters (ECS startedBy holds 36); default `dfa-` and 8 random hex digits. */
  readonly clusterId?: string;
  readonly image: string;
  readonly schedulerCpu?: number | string;
  readonly schedulerMemory?: number | string;
  /** A whole number, or `MIN-MAX` (e.g. `2-16`): adaptive workers that follow the scheduler's target during a job. */
  readonly workers?: number | string;
  readonly workerCpu?: number | string;
  readonly workerMemory?: number | string;
  /** Threads per worker; default the worker's vCPUs (at least 1). */
  readonly workerThreads?: number | string;
  /** Dask's memory limit per worker; default 90% of the worker's memory, leaving room for the process itself. */
  readonly workerMemoryLimit?: number | string;
  /** The scheduler closes itself after this long without work (default 30m). */
  readonly idleTimeout?: number | string;
  /** Hard limit enforced inside every container, also when the controller is gone (default 6h). */
  readonly maxLifetime?: number | string;
  /** Workers exit when they cannot reach the scheduler for this long (default 2m). */
  readonly deathTimeout?: number | string;
  /** Environment for every container (not for secrets: they would be visible in container metadata). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Mutual TLS between all Dask endpoints with a per-cluster CA (default true). */
  readonly tls?: boolean;
  /** Extra labels (Docker) or tags (AWS) on every resource. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly daskCli?: DaskCli;
  /** The Python executable in the image (default `python3`, present in conda and Debian images alike). */
  readonly python?: string;
  /** Lift the cost limits (max lifetime, idle time, total vCPUs; see internal/cost-limits.ts). Default false. */
  readonly allowUnboundedCost?: boolean;
  /** Workers lost during the job that are replaced, at most (default 2 × workers; 0 turns replacement off). */
  readonly maxWorkerReplacements?: number | string;
}

/** A validated spec with every default filled in; sizes in vCPU and MiB, times in seconds. */
export interface ClusterSpec {
  readonly clusterId: string;
  readonly image: string;
  readonly schedulerCpu: number;
  readonly schedulerMemory: number;
  /** The workers the cluster has (adaptive: starts with the minimum; a scale changes it). */
  readonly workers: number;
  /** With `workers: MIN-MAX`: the range a job's adaptive scaling stays in; absent for a fixed size (and in records of earlier versions). */
  readonly adaptive?: AdaptiveWorkers | undefined;
  readonly workerCpu: number;
  readonly workerMemory: number;
  readonly workerThreads: number;
  readonly workerMemoryLimit: number;
  readonly idleTimeout: number;
  readonly maxLifetime: number;
  readonly deathTimeout: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly tls: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly daskCli: DaskCli;
  readonly python: string;
  readonly allowUnboundedCost: boolean;
  /** Workers lost during the job that are replaced, at most; records saved by earlier versions have none ({@link workerReplacementLimit}). */
  readonly maxWorkerReplacements: number;
}

export { DEFAULTS } from "./defaults.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._\-/:]{0,127}$/;
/** Upper bound on workers per cluster: a guard against typos (e.g. 1000 instead of 10), not an AWS limit. */
export const MAX_WORKERS = 500;

/** A new random cluster id. */
export function newClusterId(random: () => string = () => randomBytes(4).toString("hex")): string {
  return `dfa-${random()}`;
}

/** Validates a cluster spec before anything is created; every error names the setting. */
/**
 * The least memory a scheduler or worker container gets: Fargate's smallest task (0.25 vCPU, 512 MiB).
 * Less would have the Dask process killed at start on either backend; a bare `12` (MiB) usually meant 12GB.
 */
const MIN_PROCESS_MEMORY_MIB = 512;

function processMemoryMiB(value: string | number, field: string): number {
  const mib = parseMemoryMiB(value, field);
  if (mib < MIN_PROCESS_MEMORY_MIB) {
    throw new ClusterConfigError(
      field,
      `${mib} MiB is too little for a Dask process; use at least ${MIN_PROCESS_MEMORY_MIB} MiB (plain numbers are MiB: write e.g. 4GB)`,
    );
  }
  return mib;
}

export function resolveClusterSpec(input: ClusterSpecInput): ClusterSpec {
  const clusterId = assertClusterId(input.clusterId ?? newClusterId());
  if (!input.image || /\s/.test(input.image))
    throw new ClusterConfigError(
      "image",
      `"${input.image ?? ""}" is not an image reference; write e.g. ghcr.io/org/dask:env-0123456789abcdef`,
    );
  const { workers, adaptive } = parseWorkerCount(input.workers ?? DEFAULTS.workers, MAX_WORKERS);
  const workerCpu = parseVcpu(input.workerCpu ?? DEFAULTS.workerCpu, "worker-cpu");
  const workerMemory = processMemoryMiB(input.workerMemory ?? DEFAULTS.workerMemory, "worker-memory");
  const workerThreads = integer(input.workerThreads ?? Math.max(1, Math.floor(workerCpu)), "worker-threads", 1, 256);
  const workerMemoryLimit = parseMemoryMiB(
    input.workerMemoryLimit ?? Math.floor(workerMemory * 0.9),
    "worker-memory-limit",
  );
  if (workerMemoryLimit > workerMemory) {
    throw new ClusterConfigError(
      "worker-memory-limit",
      `${workerMemoryLimit} MiB is more than the worker's memory (${workerMemory} MiB); Dask would never spill before the container is killed`,
    );
  }
  const environment = { ...(input.environment ?? {}) };
  for (const name of Object.keys(environment)) {
    if (!ENV_NAME.test(name))
      throw new ClusterConfigError("environment", `"${name}" is not a valid environment variable name`);
  }
  const labels = { ...(input.labels ?? {}) };
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.startsWith("io.dask-fargate-action."))
      throw new ClusterConfigError(
        "labels",
        `"${key}" is not a usable label key (the io.dask-fargate-action. prefix is reserved)`,
      );
    if (value.length > 256)
      throw new ClusterConfigError("labels", `the value of "${key}" is longer than 256 characters`);
  }
  const python = input.python ?? "python3";
  if (!/^[A-Za-z0-9_./-]+$/.test(python))
    throw new ClusterConfigError("python", `"${python}" is not an executable name or path`);
  const daskCli = input.daskCli ?? "module";
  if (!["module", "dask", "legacy"].includes(daskCli))
    throw new ClusterConfigError("dask-cli", `"${daskCli}" is not module, dask or legacy`);
  const idleTimeout = parseDurationSeconds(input.idleTimeout ?? DEFAULTS.idleTimeout, "idle-timeout");
  const maxLifetime = parseDurationSeconds(input.maxLifetime ?? DEFAULTS.maxLifetime, "max-lifetime");
  const deathTimeout = parseDurationSeconds(input.deathTimeout ?? DEFAULTS.deathTimeout, "death-timeout");
  if (maxLifetime < 300)
    throw new ClusterConfigError("max-lifetime", `${maxLifetime} s is too short to start a cluster; use at least 5m`);
  const schedulerCpu = parseVcpu(input.schedulerCpu ?? DEFAULTS.schedulerCpu, "scheduler-cpu");
  const allowUnboundedCost = input.allowUnboundedCost ?? false;
  // An adaptive cluster is limited at its maximum: that is what it may grow to, unattended.
  checkCostLimits({
    schedulerCpu,
    workers: peakWorkers({ workers, adaptive }),
    workerCpu,
    idleTimeout,
    maxLifetime,
    allowUnboundedCost,
  });
  return {
    clusterId,
    image: input.image,
    schedulerCpu,
    schedulerMemory: processMemoryMiB(input.schedulerMemory ?? DEFAULTS.schedulerMemory, "scheduler-memory"),
    workers,
    ...(adaptive ? { adaptive } : {}),
    workerCpu,
    workerMemory,
    workerThreads,
    workerMemoryLimit,
    idleTimeout,
    maxLifetime,
    deathTimeout,
    environment,
    tls: input.tls ?? true,
    labels,
    daskCli,
    python,
    allowUnboundedCost,
    maxWorkerReplacements: integer(
      input.maxWorkerReplacements ?? 2 * workers,
      "max-worker-replacements",
      0,
      2 * MAX_WORKERS,
    ),
  };
}

/** How many lost workers a cluster replaces during a job: its spec's limit, or 2 × workers for a record without one. */
export function workerReplacementLimit(
  spec: Pick<ClusterSpec, "workers"> & { readonly maxWorkerReplacements?: number | undefined },
): number {
  return spec.maxWorkerReplacements ?? 2 * spec.workers;
}

function integer(value: number | string, field: string, min: number, max: number): number {
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ClusterConfigError(field, `"${value}" is not a whole number from ${min} to ${max}`);
  return n;
}
