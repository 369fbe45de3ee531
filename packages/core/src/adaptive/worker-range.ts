import { ClusterConfigError } from "../errors.js";

/** Workers that follow the scheduler's adaptive target during a job: the cluster starts with `min` and stays within `min`..`max`. */
export interface AdaptiveWorkers {
  readonly min: number;
  readonly max: number;
}

/** A fixed worker count, or a range `MIN-MAX` (e.g. `2-16`) that makes the workers adaptive. */
export type WorkerCount = { readonly workers: number; readonly adaptive: AdaptiveWorkers | undefined };

const RANGE = /^\s*([^-\s]*)\s*-\s*([^-\s]*)\s*$/;

/**
 * Reads the `workers` setting: a whole number (fixed size) or `MIN-MAX` (adaptive, at least 1 worker, MIN below MAX).
 * Every refusal names the setting and says how to write it, before anything is created.
 */
export function parseWorkerCount(value: number | string, maxWorkers: number): WorkerCount {
  const text = String(value).trim();
  // "-1" is a negative number, not a range with no minimum.
  const range = typeof value === "string" && !text.startsWith("-") ? RANGE.exec(text) : null;
  if (!range)
    return {
      workers: whole(value, 0, maxWorkers, `"${value}" is not a whole number from 0 to ${maxWorkers}`),
      adaptive: undefined,
    };
  const [, low = "", high = ""] = range;
  const how = `write a range as MIN-MAX with whole numbers, e.g. 2-16 (adaptive), or one number for a fixed size`;
  const min = whole(low, 0, Number.POSITIVE_INFINITY, `"${text}": "${low}" is not a whole number; ${how}`);
  const max = whole(high, 0, Number.POSITIVE_INFINITY, `"${text}": "${high}" is not a whole number; ${how}`);
  if (min < 1)
    throw new ClusterConfigError(
      "workers",
      `"${text}": an adaptive cluster keeps at least 1 worker (the job's tasks need one to run on); write e.g. 1-${Math.max(2, max)}`,
    );
  if (min >= max)
    throw new ClusterConfigError(
      "workers",
      `"${text}": the minimum (${min}) must be below the maximum (${max}); write the smaller number first, e.g. ${Math.min(min, max)}-${Math.max(min, max)}, or one number for a fixed size`,
    );
  if (max > maxWorkers)
    throw new ClusterConfigError("workers", `"${text}": the maximum ${max} is more than ${maxWorkers} workers`);
  return { workers: min, adaptive: { min, max } };
}

function whole(value: number | string, min: number, max: number, message: string): number {
  const text = String(value).trim();
  const n = typeof value === "number" ? value : text === "" ? Number.NaN : Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new ClusterConfigError("workers", message);
  return n;
}

/** The most workers a cluster can have: the adaptive maximum, else its size. Cost estimates and cost limits use it. */
export function peakWorkers(spec: {
  readonly workers: number;
  readonly adaptive?: AdaptiveWorkers | undefined;
}): number {
  return spec.adaptive ? Math.max(spec.adaptive.max, spec.workers) : spec.workers;
}

/** The workers of a spec for people: `4`, or `1-4 (adaptive)`. */
export function workersText(spec: {
  readonly workers: number;
  readonly adaptive?: AdaptiveWorkers | undefined;
}): string {
  return spec.adaptive ? `${spec.adaptive.min}-${spec.adaptive.max} (adaptive)` : String(spec.workers);
}
