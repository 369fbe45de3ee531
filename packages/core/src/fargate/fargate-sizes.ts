import { ClusterConfigError } from "../errors.js";

/**
 * Valid Linux Fargate task sizes: CPU units → allowed memory in MiB.
 * Source: AWS ECS developer guide, "Task CPU and memory" (Fargate), checked 2026-11.
 */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
]);

function steps(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** Checks a CPU/memory pair for Fargate and returns the CPU in units; the error lists the memory values valid for that CPU. */
export function fargateTaskSize(
  vcpu: number,
  memoryMiB: number,
  field: "worker" | "scheduler",
): { cpu: number; memory: number } {
  const cpu = Math.round(vcpu * 1024);
  const allowed = FARGATE_SIZES.get(cpu);
  if (!allowed) {
    throw new ClusterConfigError(`${field}-cpu`, `${vcpu} vCPU is not a Fargate size; use 0.25, 0.5, 1, 2, 4, 8 or 16`);
  }
  if (!allowed.includes(memoryMiB)) {
    const shown =
      allowed.length > 8
        ? `${allowed[0]} to ${allowed.at(-1)} MiB in steps of ${(allowed[1] ?? 0) - (allowed[0] ?? 0)}`
        : `${allowed.join(", ")} MiB`;
    throw new ClusterConfigError(
      `${field}-memory`,
      `${memoryMiB} MiB does not fit ${vcpu} vCPU on Fargate; valid memory for ${vcpu} vCPU: ${shown}`,
    );
  }
  return { cpu, memory: memoryMiB };
}
