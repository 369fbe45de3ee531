/**
 * Benchmark of the Fargate backend on the Fargate emulator in timing mode (`--exec none`): Fargate-like
 * provisioning and pull delays from the emulator's realistic preset (seeded, the same every run) and ECS's and
 * Fargate's token buckets on. Prints each number beside its method and writes them to bench/results/.
 *
 *   npm run bench:fargate -w @dask-fargate-action/core
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { DescribeTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { startEmulator } from "@dask-fargate-action/emulator";
import {
  createAwsClients,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";

const SIZES = (process.env["BENCH_WORKERS"] ?? "1,4,10,50,100,200,500").split(",").map(Number);
const IMAGE_MIB = 300;

interface Row {
  workers: number;
  upSeconds: number;
  oneTaskSeconds: number;
  launchRatio: number;
  startCalls: Record<string, number>;
  startCallsBesidesPolling: number;
  describeRounds: number;
  describeCallsPerRound: number;
  teardownCalls: number;
  teardownSeconds: number;
  throttlingSeen: number;
}

const ms = (d: Date | undefined) => d?.getTime() ?? Number.NaN;

async function main(): Promise<void> {
  const emulator = await startEmulator({
    exec: "none",
    timing: "realistic",
    seed: 1,
    imageSizeBytes: IMAGE_MIB * 1024 * 1024,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
  const rows: Row[] = [];
  try {
    for (const workers of SIZES) {
      const calls: Record<string, number> = {};
      let phase: "start" | "teardown" = "start";
      let teardownCalls = 0;
      let throttlingSeen = 0;
      const clients = createAwsClients({
        region: "us-east-1",
        onRequest: (_service, operation) => {
          if (phase === "start") calls[operation] = (calls[operation] ?? 0) + 1;
          else teardownCalls += 1;
        },
      });
      const observer = createAwsClients({ region: "us-east-1" });
      const spec = resolveClusterSpec({
        image: "dask:bench",
        clusterId: newClusterId(),
        workers,
        workerCpu: 1,
        workerMemory: "2GB",
        allowUnboundedCost: true,
      });
      const fargate = resolveFargateSpec({ region: "us-east-1" }, spec);
      const logger = {
        info: () => {},
        debug: () => {},
        warn: (message: string) => {
          if (/throttl/i.test(message)) throttlingSeen += 1;
        },
      };
      const started = performance.now();
      const handle = await upFargateCluster(spec, fargate, { clients, logger });
      const upSeconds = (performance.now() - started) / 1000;
      // Every task's own times as DescribeTasks reports them (createdAt: RunTask; startedAt: RUNNING).
      const arns = [handle.fargate?.schedulerTaskArn ?? "", ...(handle.fargate?.workerTaskArns ?? [])];
      const tasks: Task[] = [];
      for (let i = 0; i < arns.length; i += 100) {
        const page = await observer.ecs.send(
          new DescribeTasksCommand({ cluster: handle.fargate?.ecsCluster ?? "", tasks: arns.slice(i, i + 100) }),
        );
        tasks.push(...(page.tasks ?? []));
      }
      const scheduler = tasks.find((t) => t.taskArn === arns[0]);
      const oneTask = (ms(scheduler?.startedAt) - ms(scheduler?.createdAt)) / 1000;
      const lastRunning = Math.max(...tasks.map((t) => ms(t.startedAt)));
      const launch = (lastRunning - ms(scheduler?.createdAt)) / 1000;
      phase = "teardown";
      const downStarted = performance.now();
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
      const teardownSeconds = (performance.now() - downStarted) / 1000;
      const polling = calls["DescribeTasks"] ?? 0;
      const perRound = Math.ceil((workers + 1) / 100);
      rows.push({
        workers,
        upSeconds,
        oneTaskSeconds: oneTask,
        launchRatio: launch / oneTask,
        startCalls: calls,
        startCallsBesidesPolling: Object.entries(calls).reduce((n, [op, c]) => n + (op === "DescribeTasks" ? 0 : c), 0),
        describeRounds: Math.round(polling / perRound),
        describeCallsPerRound: perRound,
        teardownCalls,
        teardownSeconds,
        throttlingSeen,
      });
      const row = rows.at(-1);
      console.log(
        `1+${workers}: up ${upSeconds.toFixed(1)} s; launch ${launch.toFixed(1)} s = ${row?.launchRatio.toFixed(2)} × one task start (${oneTask.toFixed(1)} s); ` +
          `start calls besides polling ${row?.startCallsBesidesPolling}, DescribeTasks ${polling}; teardown ${teardownCalls} calls in ${teardownSeconds.toFixed(1)} s`,
      );
    }
  } finally {
    await emulator.stop();
  }
  const method = [
    `Fargate emulator, --exec none, realistic timing preset (provisioning 14 s, pull 16 s + 25 ms/MiB of a ${IMAGE_MIB} MiB image, activating 5 s, ±25% seeded jitter), ECS and Fargate token buckets on;`,
    "upFargateCluster() then downFargateCluster() in one process, a new cluster per size;",
    "launch ratio = (last task's startedAt − scheduler's createdAt) / (scheduler's startedAt − createdAt), both from DescribeTasks;",
    "calls counted per SDK command sent (retries not counted) by the client factory's request hook;",
    `${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  ];
  console.log(
    "\n| workers | up (s) | launch ratio | start calls besides polling | DescribeTasks rounds × calls | teardown calls | teardown (s) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.workers} | ${r.upSeconds.toFixed(1)} | ${r.launchRatio.toFixed(2)} | ${r.startCallsBesidesPolling} | ${r.describeRounds} × ${r.describeCallsPerRound} | ${r.teardownCalls} | ${r.teardownSeconds.toFixed(1)} |`,
    );
  }
  console.log(`\nmethod: ${method.join("\n        ")}`);
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(
    new URL("./results/fargate-emulator.json", import.meta.url),
    `${JSON.stringify({ method, rows }, null, 2)}\n`,
  );
}

await main();
