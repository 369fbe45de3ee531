import { describe, expect, test } from "vitest";
import { type ClusterSpecInput, parseDurationSeconds, resolveClusterSpec } from "../src/index.js";
import { parseMemoryMiB, parseVcpu } from "../src/units.js";

const errorOf = (input: Partial<ClusterSpecInput>): string => {
  try {
    resolveClusterSpec({ image: "dask:1", ...input });
  } catch (error) {
    return (error as Error).message;
  }
  return "(no error)";
};

describe("defaults", () => {
  test("a minimal spec gets safe defaults", () => {
    const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c1-test" });
    expect(spec).toMatchInlineSnapshot(`
      {
        "allowUnboundedCost": false,
        "clusterId": "c1-test",
        "daskCli": "module",
        "deathTimeout": 120,
        "environment": {},
        "idleTimeout": 1800,
        "image": "dask:1",
        "labels": {},
        "maxLifetime": 21600,
        "maxWorkerReplacements": 4,
        "python": "python3",
        "schedulerCpu": 1,
        "schedulerMemory": 2048,
        "tls": true,
        "workerCpu": 1,
        "workerMemory": 4096,
        "workerMemoryLimit": 3686,
        "workerThreads": 1,
        "workers": 2,
      }
    `);
  });
  test("threads follow the vCPUs and the memory limit leaves 10% headroom", () => {
    const spec = resolveClusterSpec({ image: "dask:1", workerCpu: 4, workerMemory: "16GB" });
    expect([spec.workerThreads, spec.workerMemory, spec.workerMemoryLimit]).toEqual([4, 16384, 14745]);
  });
  test("a generated cluster id is valid", () => {
    expect(resolveClusterSpec({ image: "dask:1" }).clusterId).toMatch(/^dfa-[0-9a-f]{8}$/);
  });
});

test("validation errors name the setting (all cases in one inline snapshot)", () => {
  const cases: [string, Partial<ClusterSpecInput>][] = [
    ["cluster id with capitals", { clusterId: "My_Cluster" }],
    ["empty image", { image: "" }],
    ["negative workers", { workers: -1 }],
    ["too many workers", { workers: 5000 }],
    ["fractional workers", { workers: "2.5" }],
    ["memory without a number", { workerMemory: "lots" }],
    ["memory in MiB too small", { workerMemory: 12 }],
    ["memory limit above memory", { workerMemory: "2GB", workerMemoryLimit: "3GB" }],
    ["cpu zero", { workerCpu: 0 }],
    ["bad duration", { idleTimeout: "soon" }],
    ["lifetime too short", { maxLifetime: "1m" }],
    ["bad env name", { environment: { "1X": "y" } }],
    ["reserved label", { labels: { "io.dask-fargate-action.role": "x" } }],
    ["bad cli", { daskCli: "conda" as never }],
  ];
  expect(Object.fromEntries(cases.map(([name, input]) => [name, errorOf(input)]))).toMatchInlineSnapshot(`
    {
      "bad cli": "dask-cli: "conda" is not module, dask or legacy",
      "bad duration": "idle-timeout: "soon" is not a duration; write e.g. 600, 10m or 2h",
      "bad env name": "environment: "1X" is not a valid environment variable name",
      "cluster id with capitals": "cluster-id: "My_Cluster" is not a cluster id: use 2-32 lower-case letters, digits and '-', starting with a letter (e.g. dfa-0123abcd)",
      "cpu zero": "worker-cpu: "0" is not a CPU size; write vCPUs such as 0.5, 1, 2, 4",
      "empty image": "image: "" is not an image reference; write e.g. ghcr.io/org/dask:env-0123456789abcdef",
      "fractional workers": "workers: "2.5" is not a whole number from 0 to 500",
      "lifetime too short": "max-lifetime: 60 s is too short to start a cluster; use at least 5m",
      "memory in MiB too small": "worker-memory: 12 MiB is too little for a Dask process; use at least 512 MiB (plain numbers are MiB: write e.g. 4GB)",
      "memory limit above memory": "worker-memory-limit: 3072 MiB is more than the worker's memory (2048 MiB); Dask would never spill before the container is killed",
      "memory without a number": "worker-memory: "lots" is not a memory size; write e.g. 4GB, 512MiB or 2048 (MiB)",
      "negative workers": "workers: "-1" is not a whole number from 0 to 500",
      "reserved label": "labels: "io.dask-fargate-action.role" is not a usable label key (the io.dask-fargate-action. prefix is reserved)",
      "too many workers": "workers: "5000" is not a whole number from 0 to 500",
    }
  `);
});

describe("units", () => {
  test.each([
    ["4GB", 4096],
    ["4 GiB", 4096],
    ["512MiB", 512],
    ["1.5G", 1536],
    ["2048", 2048],
  ])("memory %s → %d MiB", (text, mib) => expect(parseMemoryMiB(text, "m")).toBe(mib));
  test.each([
    ["0.5", 0.5],
    ["2", 2],
    ["1024", 1],
    ["4 vCPU", 4],
  ])("cpu %s → %d vCPU", (text, vcpu) => expect(parseVcpu(text, "c")).toBe(vcpu));
  test.each([
    ["90", 90],
    ["10m", 600],
    ["2h", 7200],
    ["1.5h", 5400],
  ])("duration %s → %d s", (text, seconds) => expect(parseDurationSeconds(text, "d")).toBe(seconds));
});
