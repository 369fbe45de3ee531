import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  type ClusterHandle,
  createBackend,
  downDockerCluster,
  newClusterId,
  resolveClusterSpec,
  runClusterJob,
  upDockerCluster,
} from "../src/index.js";
import { burstSum, burstThenTailCommand } from "./integration/burst-tail.js";
import { docker, leftovers, recorder } from "./integration/helpers.js";

/**
 * Adaptive workers on the real Docker Engine with real Dask: a cluster of `workers: 1-3` runs a burst of tasks then a
 * long single-threaded tail. The sidecar in the job container reports the scheduler's target; the cluster grows to 3
 * during the burst, the scheduler retires the surplus during the tail (their results move to the worker that stays:
 * the job gathers them again at the end), and their containers are removed. Nothing is left after teardown.
 */
const image = inject("daskImage");
const clusterId = newClusterId();
const TASKS = 120;
let handle: ClusterHandle;
let scratch = "";

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "dfa-adaptive-docker-"));
  handle = await upDockerCluster(
    resolveClusterSpec({
      image,
      clusterId,
      workers: "1-3",
      workerCpu: 0.5,
      workerMemory: "1GB",
      schedulerMemory: "1GB",
      tls: true,
    }),
    { logger: recorder() },
  );
});

afterAll(async () => {
  await downDockerCluster(clusterId, { tlsDir: handle?.tlsDir });
  await rm(scratch, { recursive: true, force: true });
  expect(await leftovers(clusterId)).toEqual([]);
});

describe("adaptive workers on Docker", () => {
  test("a burst grows the cluster to the maximum, the tail shrinks it to the minimum, no result is lost", async () => {
    expect(handle.spec.workers).toBe(1);
    const lines: string[] = [];
    const logger = recorder();
    const result = await runClusterJob(
      createBackend("docker", { docker }),
      handle,
      {
        command: burstThenTailCommand(TASKS, 45),
        runsOn: "cluster",
        workdir: scratch,
        environment: { DFA_ADAPT_INTERVAL: "2" },
        onOutput: (line) => lines.push(line),
      },
      { logger },
    );
    const log = [...lines, ...logger.lines].join("\n");
    expect(result.exitCode, log).toBe(0);
    expect(lines, log).toContain(`sum ${burstSum(TASKS)}`);
    // The sidecar's lines are the controller's, not the job's output.
    expect(lines.some((l) => l.includes("dask-fargate-adapt:"))).toBe(false);
    const report = result.adaptive;
    expect(report, log).toBeDefined();
    if (!report) return;
    process.stderr.write(
      `docker adaptive timeline: ${report.timeline.map((p) => `${p.atSeconds.toFixed(0)}s=${p.workers}`).join(" ")}, ${report.workerSeconds} worker-seconds\n`,
    );
    expect(report.peak, log).toBe(3);
    expect(report.timeline.at(-1)?.workers, log).toBe(1);
    expect(report.retired, log).toBe(2);
    // Retired workers are removed on purpose: not reported as lost members.
    expect(result.stoppedMembers, log).toEqual([]);
    const workers = await docker.listContainers({
      all: true,
      filters: { label: [`io.dask-fargate-action.cluster-id=${clusterId}`, "io.dask-fargate-action.role=worker"] },
    });
    expect(workers.map((c) => c.State)).toEqual(["running"]);
  });

  test("a job on the runner: the controller runs the sidecar beside it with the job's client environment", async () => {
    const lines: string[] = [];
    const logger = recorder();
    const result = await runClusterJob(
      createBackend("docker", { docker }),
      { ...handle, spec: { ...handle.spec, workers: 1 } },
      {
        command: burstThenTailCommand(80, 30),
        runsOn: "runner",
        workdir: scratch,
        // The runner's Python with distributed (the job's and the sidecar's), as a workflow's setup step would put on PATH.
        environment: { DFA_ADAPT_INTERVAL: "2", PATH: "/usr/bin:/bin" },
        onOutput: (line) => lines.push(line),
      },
      { logger },
    );
    const log = [...lines, ...logger.lines].join("\n");
    expect(result.exitCode, log).toBe(0);
    expect(lines, log).toContain(`sum ${burstSum(80)}`);
    const report = result.adaptive;
    process.stderr.write(`docker runner-job adaptive: ${JSON.stringify(report)}\n`);
    expect(report?.peak, log).toBe(3);
    expect(report?.timeline.at(-1)?.workers, log).toBe(1);
  });
});
