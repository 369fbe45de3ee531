/**
 * Valid Linux Fargate task sizes, CPU units → memory in MiB.
 * Source: AWS ECS developer guide, "Task CPU and memory" (Fargate); the project's facts.md
 * ("Valid Linux task sizes"): 256 → 0.5/1/2 GB; 512 → 1–4 GB; 1024 → 2–8 GB; 2048 → 4–16 GB;
 * 4096 → 8–30 GB (1 GB steps); 8192 → 16–60 GB (4 GB steps); 16384 → 32–120 GB (8 GB steps).
 */
export const FARGATE_TASK_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** CPU units from a task definition value: "1024", "1 vCPU" or "0.25 vcpu" (RegisterTaskDefinition accepts both forms). */
export function parseCpu(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  return match[2] ? Math.round(n * 1024) : n;
}

/** Memory in MiB from a task definition value: "2048" or "2 GB" (RegisterTaskDefinition accepts both forms). */
export function parseMemory(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(value);
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  return match[2] ? Math.round(n * 1024) : n;
}

/** Whether a CPU/memory pair is a Fargate task size. */
export function isFargateSize(cpu: number, memory: number): boolean {
  return FARGATE_TASK_SIZES.get(cpu)?.includes(memory) ?? false;
}
