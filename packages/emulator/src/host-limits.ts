import { readFileSync } from "node:fs";

/** Rows of /proc/self/limits for the ulimit names ECS accepts (API_Ulimit.html). */
const ROWS: Record<string, string> = {
  nofile: "Max open files",
  nproc: "Max processes",
  memlock: "Max locked memory",
  core: "Max core file size",
  stack: "Max stack size",
  fsize: "Max file size",
  msgqueue: "Max msgqueue size",
  sigpending: "Max pending signals",
  rtprio: "Max realtime priority",
};

/**
 * The hard limits of this process by ulimit name (undefined: unlimited or unknown). Containers cannot raise a
 * limit above the engine's own, which on one machine is normally this process's; Fargate allows more (nofile up
 * to 1048576), so the emulator lowers a task's ulimits to these instead of failing the start.
 */
export function hostHardLimits(text = readProcLimits()): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [name, row] of Object.entries(ROWS)) {
    const line = text.split("\n").find((l) => l.startsWith(row));
    const hard = line?.slice(row.length).trim().split(/\s+/)[1];
    if (hard && /^\d+$/.test(hard)) limits[name] = Number(hard);
  }
  return limits;
}

function readProcLimits(): string {
  try {
    return readFileSync("/proc/self/limits", "utf8");
  } catch {
    return "";
  }
}

/** A ulimit lowered to the host's hard limit; `lowered` says whether it was. */
export function clampUlimit(
  name: string,
  soft: number,
  hard: number,
  host: Record<string, number>,
): { soft: number; hard: number; lowered: boolean } {
  const max = host[name];
  if (max === undefined || hard <= max) return { soft, hard, lowered: false };
  return { soft: Math.min(soft, max), hard: max, lowered: true };
}
