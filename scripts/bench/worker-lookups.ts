/**
 * The workers' own DescribeTasks (find-scheduler.ts) against the account's ECS request buckets, on the Fargate
 * emulator in timing mode (`--exec none`: no containers, so the bench plays each worker's bootstrap itself). When a
 * worker task reaches RUNNING (its container starting), one DescribeTasks of the scheduler's task is sent on the
 * same endpoint and account as up's own polling, retried on throttling with the bootstrap's full-jitter backoff
 * (uniform wait up to min(5 s, 0.5 s × 2^attempt)). Reports the workers' attempts and throttled attempts, up's
 * throttled DescribeTasks attempts, and time to ready over the slowest task's own start with that load on.
 *
 *   BENCH_LOOKUP_SEEDS=1-3 BENCH_LOOKUP_WORKERS=200 BENCH_LOOKUP_PRESET=realistic tsx scripts/bench/worker-lookups.ts
 */
import { DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  createAwsClients,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "@dask-fargate-action/core";
import { startEmulator, type TimingPreset } from "@dask-fargate-action/emulator";
import { type Attempt, recordAttempts } from "./fargate-emulator.js";

const REGION = "us-east-1";
const IMAGE_MIB = 300;

interface Lookup {
  attempts: number;
  throttled: number;
  msToAddress: number;
}

async function one(preset: TimingPreset, seed: number, workers: number) {
  const emulator = await startEmulator({ exec: "none", timing: preset, seed, imageSizeBytes: IMAGE_MIB * 2 ** 20 });
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env, { AWS_REGION: REGION });
  try {
    const attempts: Attempt[] = [];
    const clients = createAwsClients({ region: REGION });
    recordAttempts(clients, attempts, () => "start");
    // The workers' client: no SDK retries, the bootstrap's own backoff instead.
    const workerEcs = new ECSClient({
      region: REGION,
      endpoint: emulator.endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const spec = resolveClusterSpec({
      image: "dask:bench",
      clusterId: newClusterId(),
      workers,
      workerCpu: 1,
      workerMemory: "2GB",
      allowUnboundedCost: true,
    });
    const lookups: Promise<Lookup>[] = [];
    const started = new Set<string>();
    let schedulerArn = "";
    let cluster = "";
    let watching = true;
    const lookup = async (): Promise<Lookup> => {
      const from = performance.now();
      let attempt = 0;
      let throttled = 0;
      for (;;) {
        attempt += 1;
        try {
          const answer = await workerEcs.send(new DescribeTasksCommand({ cluster, tasks: [schedulerArn] }));
          const ip = answer.tasks?.[0]?.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value;
          if (ip) return { attempts: attempt, throttled, msToAddress: performance.now() - from };
          await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
        } catch (error) {
          if (!/Throttl/.test((error as Error).name)) throw error;
          throttled += 1;
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(5000, 500 * 2 ** throttled)));
        }
      }
    };
    // Each worker task's bootstrap starts when the task reaches RUNNING (its container starting).
    const watcher = (async () => {
      while (watching) {
        const tasks = (
          emulator.state()["tasks"] as { taskArn: string; startedBy?: string; startedAt?: number }[]
        ).filter((t) => t.startedBy === spec.clusterId);
        for (const t of tasks)
          if (t.startedAt !== undefined && t.taskArn !== schedulerArn && schedulerArn && !started.has(t.taskArn)) {
            started.add(t.taskArn);
            lookups.push(lookup());
          }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const logger = { info: () => {}, debug: () => {}, warn: () => {} };
    const t0 = performance.now();
    const handle = await upFargateCluster(spec, resolveFargateSpec({ region: REGION }, spec), {
      clients,
      logger,
      onResources: (r) => {
        schedulerArn = r.schedulerTaskArn ?? "";
        cluster = r.ecsCluster;
      },
    });
    const upMs = performance.now() - t0;
    // The last workers' bootstraps: every worker asks once it runs.
    while (started.size < workers) await new Promise((r) => setTimeout(r, 100));
    watching = false;
    await watcher;
    const done = await Promise.all(lookups);
    const all = (emulator.state()["tasks"] as { startedBy?: string; createdAt: number; startedAt?: number }[]).filter(
      (t) => t.startedBy === spec.clusterId,
    );
    const oneTaskMs = Math.max(...all.map((t) => ((t.startedAt ?? 0) - t.createdAt) * 1000));
    const controller = attempts.filter((a) => a.operation === "start:DescribeTasks");
    await downFargateCluster(
      { clusterId: handle.clusterId, resources: handle.fargate },
      { clients: createAwsClients({ region: REGION }), logger },
    );
    return {
      seed,
      workers,
      ratio: upMs / oneTaskMs,
      workerAttempts: done.reduce((n, l) => n + l.attempts, 0),
      workerThrottled: done.reduce((n, l) => n + l.throttled, 0),
      maxAttemptsOfAWorker: Math.max(...done.map((l) => l.attempts)),
      maxSecondsToAddress: Math.max(...done.map((l) => l.msToAddress)) / 1000,
      controllerAttempts: controller.length,
      controllerThrottled: controller.filter((a) => a.throttled).length,
    };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const [from, to] = (process.env["BENCH_LOOKUP_SEEDS"] ?? "1-3").split("-").map(Number);
  const workers = Number(process.env["BENCH_LOOKUP_WORKERS"] ?? "200");
  const preset = (process.env["BENCH_LOOKUP_PRESET"] ?? "realistic") as TimingPreset;
  for (let seed = from ?? 1; seed <= (to ?? from ?? 1); seed++)
    process.stdout.write(`${JSON.stringify({ preset, ...(await one(preset, seed, workers)) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
