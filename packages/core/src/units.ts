import { ClusterConfigError } from "./errors.js";

const MEMORY = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(MiB|MB|M|GiB|GB|G)?\s*$/i;

/**
 * Reads a memory size as MiB: a bare number is MiB (as in ECS task definitions); `GB`/`GiB`/`G` are
 * GiB and `MB`/`MiB`/`M` MiB (Fargate's "GB" are GiB).
 */
export function parseMemoryMiB(value: string | number, field: string): number {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value <= 0)
      throw new ClusterConfigError(field, `${value} is not a whole, positive number of MiB`);
    return value;
  }
  const m = MEMORY.exec(value);
  if (!m?.[1])
    throw new ClusterConfigError(field, `"${value}" is not a memory size; write e.g. 4GB, 512MiB or 2048 (MiB)`);
  const amount = Number(m[1]);
  const mib = /^g/i.test(m[2] ?? "") ? amount * 1024 : amount;
  if (!Number.isInteger(mib) || mib <= 0)
    throw new ClusterConfigError(field, `"${value}" is not a whole number of MiB`);
  return mib;
}

/** Reads a vCPU count (e.g. `0.5`, `1`, `4`) or ECS CPU units (`512`, `1024`: numbers ≥ 128) as vCPU. */
export function parseVcpu(value: string | number, field: string): number {
  const n =
    typeof value === "number"
      ? value
      : Number(
          String(value)
            .trim()
            .replace(/\s*vcpu$/i, ""),
        );
  if (!Number.isFinite(n) || n <= 0)
    throw new ClusterConfigError(field, `"${value}" is not a CPU size; write vCPUs such as 0.5, 1, 2, 4`);
  return n >= 128 ? n / 1024 : n;
}

/** Reads a duration: a number of seconds, or `90s`, `30m`, `2h`. */
export function parseDurationSeconds(value: string | number, field: string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0)
      throw new ClusterConfigError(field, `${value} is not a positive number of seconds`);
    return Math.round(value);
  }
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(s|m|h)?\s*$/i.exec(value);
  if (!m?.[1]) throw new ClusterConfigError(field, `"${value}" is not a duration; write e.g. 600, 10m or 2h`);
  const factor = { s: 1, m: 60, h: 3600 }[(m[2] ?? "s").toLowerCase() as "s" | "m" | "h"];
  return Math.round(Number(m[1]) * factor);
}
