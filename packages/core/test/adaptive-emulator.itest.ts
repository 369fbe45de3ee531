import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  type AwsClients,
  type ClusterHandle,
  createAwsClients,
  createBackend,
  downFargateCluster,
  type JobResult,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  runClusterJob,
  upFargateCluster,
} from "../src/index.js";
import { burstSum, burstThenTailCommand } from "./integration/burst-tail.js";
import { recorder } from "./integration/helpers.js";

/**
 * Adaptive workers on the emulator (tasks are real containers, real Dask): the same burst-then-tail job runs on a
 * `workers: 1-4` cluster and on a fixed cluster of 4. The adaptive one starts 1 worker, grows to 4 during the burst
 * (RunTask through the backend's scale) and shrinks to 1 during the tail (the scheduler retires the surplus, their
 * tasks are stopped); its workers' seconds during the job (what Fargate bills for workers) are measured against the
 * fixed run's and printed as `adaptive worker-seconds:` (the README's row). Nothing is left in AWS or on the engine.
 */
const region = "us-east-1";
const TASKS = 160;
const TAIL_SECONDS = 60;
const small = { schedulerCpu: 0.5, schedulerMemory: "1GB", workerCpu: 0.5, workerMemory: "1GB" } as const;
let emulator: Emulator;
let clients: AwsClients;
let image = "";

beforeAll(async () => {
  image = inject("daskImage");
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

async function runBurstAndTail(
  workers: number | string,
): Promise<{ result: JobResult; lines: string[]; log: string; handle: ClusterHandle }> {
  const spec = resolveClusterSpec({ image, clusterId: newClusterId(), workers, ...small });
  const handle = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), { clients, logger: recorder() });
  const lines: string[] = [];
  const logger = recorder();
  try {
    const result = await runClusterJob(
      createBackend("fargate", { fargate: { region }, clients }),
      handle,
      {
        command: burstThenTailCommand(TASKS, TAIL_SECONDS),
        runsOn: "cluster",
        workdir: ".",
        environment: { DFA_ADAPT_INTERVAL: "2" },
        onOutput: (line) => lines.push(line),
      },
      { logger },
    );
    return { result, lines, log: [...lines, ...logger.lines].join("\n"), handle };
  } finally {
    await downFargateCluster(
      { clusterId: handle.clusterId, resources: handle.fargate },
      { clients, tlsDir: handle.tlsDir },
    );
    // Every task of the cluster (the workers the scale added included) is stopped, every resource deleted.
    expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
  }
}

describe("adaptive workers on the emulator", () => {
  test("1-4 grows to 4 for the burst, shrinks to 1 for the tail, and bills fewer worker-seconds than a fixed 4", async () => {
    const adaptive = await runBurstAndTail("1-4");
    expect(adaptive.result.exitCode, adaptive.log).toBe(0);
    expect(adaptive.lines, adaptive.log).toContain(`sum ${burstSum(TASKS)}`);
    const report = adaptive.result.adaptive;
    process.stderr.write(`adaptive run: ${JSON.stringify(report)}\n`);
    expect(report, adaptive.log).toBeDefined();
    if (!report) return;
    expect(report.peak, adaptive.log).toBe(4);
    expect(report.timeline.at(-1)?.workers, adaptive.log).toBe(1);
    expect(report.retired, adaptive.log).toBe(3);
    expect(adaptive.result.stoppedMembers, adaptive.log).toEqual([]);

    const fixed = await runBurstAndTail(4);
    expect(fixed.result.exitCode, fixed.log).toBe(0);
    expect(fixed.lines, fixed.log).toContain(`sum ${burstSum(TASKS)}`);
    expect(fixed.result.adaptive).toBeUndefined();
    const fixedSeconds = (4 * fixed.result.durationMs) / 1000;
    const factor = fixedSeconds / report.workerSeconds;
    process.stderr.write(
      `adaptive worker-seconds: 1-4 ${report.workerSeconds} ws in ${(adaptive.result.durationMs / 1000).toFixed(0)} s ` +
        `(timeline ${report.timeline.map((p) => `${p.atSeconds.toFixed(0)}s=${p.workers}`).join(" ")}); ` +
        `fixed 4: ${fixedSeconds.toFixed(1)} ws in ${(fixed.result.durationMs / 1000).toFixed(0)} s; fixed/adaptive = ${factor.toFixed(2)}\n`,
    );
    expect(factor, adaptive.log).toBeGreaterThan(1.3);
  });
});
