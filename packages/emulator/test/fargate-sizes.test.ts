import { describe, expect, test } from "vitest";
import { FARGATE_TASK_SIZES, isFargateSize, parseCpu, parseMemory } from "../src/fargate-sizes.js";

// facts.md, "Valid Linux task sizes": 256 → 0.5/1/2 GB; 512 → 1–4 GB; 1024 → 2–8 GB; 2048 → 4–16 GB;
// 4096 → 8–30 GB (1 GB steps); 8192 → 16–60 GB (4 GB steps); 16384 → 32–120 GB (8 GB steps).
const GB = 1024;
describe("Fargate task sizes (facts.md)", () => {
  test.each([
    [256, 0.5 * GB, 2 * GB, null, 3],
    [512, 1 * GB, 4 * GB, 1 * GB, 4],
    [1024, 2 * GB, 8 * GB, 1 * GB, 7],
    [2048, 4 * GB, 16 * GB, 1 * GB, 13],
    [4096, 8 * GB, 30 * GB, 1 * GB, 23],
    [8192, 16 * GB, 60 * GB, 4 * GB, 12],
    [16384, 32 * GB, 120 * GB, 8 * GB, 12],
  ])("%i CPU units: %i to %i MiB in steps of %s (%i sizes)", (cpu, min, max, step, n) => {
    const memory = FARGATE_TASK_SIZES.get(cpu) ?? [];
    expect(memory[0]).toBe(min);
    expect(memory.at(-1)).toBe(max);
    expect(memory).toHaveLength(n);
    if (step) for (let i = 1; i < memory.length; i++) expect((memory[i] ?? 0) - (memory[i - 1] ?? 0)).toBe(step);
  });

  test("256 CPU units take exactly 0.5, 1 and 2 GB", () => {
    expect(FARGATE_TASK_SIZES.get(256)).toEqual([512, 1024, 2048]);
  });

  test.each([
    [256, 512, true],
    [256, 4096, false],
    [4096, 30720, true],
    [4096, 31744, false],
    [8192, 20480, true],
    [8192, 18432, false],
    [16384, 40960, true],
    [16384, 36864, false],
    [300, 1024, false],
  ])("%i CPU with %i MiB is valid: %s", (cpu, memory, valid) => {
    expect(isFargateSize(cpu, memory)).toBe(valid);
  });

  test.each([
    ["1024", 1024],
    ["1 vCPU", 1024],
    ["0.25 vcpu", 256],
    [" 2 vCPU ", 2048],
    ["abc", Number.NaN],
    [undefined, undefined],
  ])("cpu %j is %s units", (value, units) => {
    expect(parseCpu(value)).toBe(units);
  });

  test.each([
    ["2048", 2048],
    ["2 GB", 2048],
    ["0.5 GB", 512],
    ["2 TB", Number.NaN],
  ])("memory %j is %s MiB", (value, mib) => {
    expect(parseMemory(value)).toBe(mib);
  });
});
