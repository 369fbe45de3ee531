/**
 * The Fargate backend on the Fargate emulator in timing mode (`--exec none`, realistic preset, seed 1, ECS and
 * Fargate token buckets on): time to ready as a multiple of the slowest task's own start over seeded runs on two
 * presets (realistic, early-secrets), AWS calls by operation for start and teardown, 500 workers against the bound
 * the rate limits set, and the abort (SIGINT) path.
 */

import { appendFile, mkdir, readFile } from "node:fs/promises";
import { DescribeTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import {
  type AwsClients,
  createAwsClients,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  setupRoles,
  upFargateCluster,
} from "@dask-fargate-action/core";
import { FARGATE_LAUNCH_BUCKET, startEmulator, TIMING_PRESETS, type TimingPreset } from "@dask-fargate-action/emulator";
import { type BenchRow, median, seconds } from "./result.js";

const IMAGE_MIB = 300;
const REGION = "us-east-1";
/** ECS: RunTask+StartTask+StopTask bucket (facts.md): burst 100, 40/s. */
const STOP_BUCKET = { burst: 100, perSecond: 40 };

/** Every attempt the SDK sends (retries included), with its end time and whether it was throttled. */
export interface Attempt {
  readonly operation: string;
  readonly sentAt: number;
  readonly endedAt: number;
  readonly throttled: boolean;
  /** DescribeTasks: how many task ARNs the call asked about. */
  readonly tasks: number;
}

export function recordAttempts(clients: AwsClients, attempts: Attempt[], phase: () => string): void {
  for (const client of Object.values(clients) as { middlewareStack: { add: (m: unknown, o: unknown) => void } }[]) {
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const operation = `${phase()}:${(context.commandName ?? "").replace(/Command$/, "")}`;
        const tasks = (args as { input?: { tasks?: unknown[] } }).input?.tasks?.length ?? 0;
        const sentAt = performance.now();
        try {
          const out = await next(args);
          attempts.push({ operation, sentAt, endedAt: performance.now(), throttled: false, tasks });
          return out;
        } catch (error) {
          const name = (error as { name?: string }).name ?? "";
          attempts.push({
            operation,
            sentAt,
            endedAt: performance.now(),
            throttled: /Throttl|RequestLimitExceeded/.test(name),
            tasks,
          });
          throw error;
        }
      },
      // Below the retry middleware (finalizeRequest): every attempt passes here.
      { step: "deserialize", priority: "high", name: "benchAttempts" },
    );
  }
}

interface SizeRun {
  workers: number;
  upMs: number;
  /** The slowest task's own start (startedAt − createdAt): what time to ready would be if every task were launched at once at no cost. */
  oneTaskMs: number;
  schedulerTaskMs: number;
  taskSpanMs: number;
  startCalls: Record<string, number>;
  teardownCalls: Record<string, number>;
  describeRounds: number;
  describeCallsPerRound: number;
  /** Rounds whose calls were more than ⌈asked/100⌉ (a round split into too many calls). */
  oversplitRounds: number;
  /** Rounds that asked about the scheduler alone (waiting for its IP). */
  schedulerRounds: number;
  minRoundGapMs: number;
  throttledAttempts: number;
  throttlingReachedUser: string | undefined;
  runTaskSpanMs: number;
  stopTaskSpanMs: number;
  /** up() start → first RunTask sent (roles, preflight, network, secret, cluster, task definitions). */
  setupMs: number;
  downMs: number;
}

const count = (attempts: readonly Attempt[], phase: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const a of attempts) {
    if (!a.operation.startsWith(`${phase}:`) || a.throttled) continue;
    const op = a.operation.slice(phase.length + 1);
    out[op] = (out[op] ?? 0) + 1;
  }
  return out;
};
const total = (calls: Record<string, number>, skip = ""): number =>
  Object.entries(calls).reduce((n, [op, c]) => n + (op === skip ? 0 : c), 0);
const ms = (d: Date | undefined) => d?.getTime() ?? Number.NaN;

async function describeAll(clients: AwsClients, cluster: string, arns: readonly string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const page = await clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...(page.tasks ?? []));
  }
  return tasks;
}

/**
 * Poll rounds: DescribeTasks attempts of the start grouped by time (a round's calls go out together), each with
 * its calls and the task ARNs it asked about: the scheduler alone while up waits for its IP, then all tasks.
 */
function rounds(attempts: readonly Attempt[]): { at: number; calls: number; tasks: number }[] {
  const out: { at: number; calls: number; tasks: number }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const a of attempts.filter((x) => x.operation === "start:DescribeTasks").sort((x, y) => x.sentAt - y.sentAt)) {
    if (a.sentAt - last > 300) out.push({ at: a.sentAt, calls: 0, tasks: 0 });
    const round = out.at(-1);
    if (round) {
      round.calls++;
      round.tasks += a.tasks;
    }
    last = a.sentAt;
  }
  return out;
}

async function runSize(workers: number): Promise<SizeRun> {
  const attempts: Attempt[] = [];
  let phase = "start";
  const clients = createAwsClients({ region: REGION });
  recordAttempts(clients, attempts, () => phase);
  const observer = createAwsClients({ region: REGION });
  const spec = resolveClusterSpec({
    image: "dask:bench",
    clusterId: newClusterId(),
    workers,
    workerCpu: 1,
    workerMemory: "2GB",
    allowUnboundedCost: true,
  });
  const fargate = resolveFargateSpec({ region: REGION }, spec);
  const logger = { info: () => {}, debug: () => {}, warn: () => {} };
  let throttlingReachedUser: string | undefined;
  const started = performance.now();
  const handle = await upFargateCluster(spec, fargate, { clients, logger }).catch((error: Error) => {
    if (/Throttl/.test(`${error.name} ${error.message}`)) throttlingReachedUser = error.message;
    throw error;
  });
  const upMs = performance.now() - started;
  const arns = [handle.fargate?.schedulerTaskArn ?? "", ...(handle.fargate?.workerTaskArns ?? [])];
  const tasks = await describeAll(observer, handle.fargate?.ecsCluster ?? "", arns);
  const scheduler = tasks.find((t) => t.taskArn === arns[0]);
  // The limit of a cluster launched all at once with nothing else to do: its slowest task's own start.
  const oneTaskMs = Math.max(...tasks.map((t) => ms(t.startedAt) - ms(t.createdAt)));
  const schedulerTaskMs = ms(scheduler?.startedAt) - ms(scheduler?.createdAt);
  const taskSpanMs = Math.max(...tasks.map((t) => ms(t.startedAt))) - ms(scheduler?.createdAt);
  phase = "teardown";
  const downStarted = performance.now();
  await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients }).catch(
    (error: Error) => {
      if (/Throttl/.test(`${error.name} ${error.message}`)) throttlingReachedUser = error.message;
      throw error;
    },
  );
  const downMs = performance.now() - downStarted;
  const roundStarts = rounds(attempts);
  const gaps = roundStarts.slice(1).map((r, i) => r.at - (roundStarts[i]?.at ?? 0));
  const okOf = (op: string) => attempts.filter((a) => a.operation === op && !a.throttled);
  const sentOf = (op: string) => attempts.filter((a) => a.operation === op);
  const span = (op: string) =>
    Math.max(...okOf(op).map((a) => a.endedAt)) - Math.min(...sentOf(op).map((a) => a.sentAt));
  const startCalls = count(attempts, "start");
  return {
    workers,
    upMs,
    oneTaskMs,
    schedulerTaskMs,
    taskSpanMs,
    startCalls,
    teardownCalls: count(attempts, "teardown"),
    describeRounds: roundStarts.length,
    describeCallsPerRound: Math.ceil((workers + 1) / 100),
    oversplitRounds: roundStarts.filter((r) => r.calls > Math.ceil(r.tasks / 100)).length,
    schedulerRounds: roundStarts.filter((r) => r.tasks === 1).length,
    minRoundGapMs: gaps.length ? Math.min(...gaps) : Number.NaN,
    throttledAttempts: attempts.filter((a) => a.throttled).length,
    throttlingReachedUser,
    runTaskSpanMs: span("start:RunTask"),
    setupMs: Math.min(...sentOf("start:RunTask").map((a) => a.sentAt)) - started,
    stopTaskSpanMs: span("teardown:StopTask"),
    downMs,
  };
}

/** Aborts a 100-worker start 1 s after its last RunTask was accepted (every task exists) and times the teardown's StopTasks from the abort. */
async function runAbort(workers: number): Promise<{
  workers: number;
  stopTasks: number;
  untilLastStopSentMs: number;
  untilLastStopAcceptedMs: number;
  cancelledMs: number;
}> {
  const attempts: Attempt[] = [];
  const clients = createAwsClients({ region: REGION });
  recordAttempts(clients, attempts, () => "abort");
  const spec = resolveClusterSpec({
    image: "dask:bench",
    clusterId: newClusterId(),
    workers,
    workerCpu: 1,
    workerMemory: "2GB",
    allowUnboundedCost: true,
  });
  const fargate = resolveFargateSpec({ region: REGION }, spec);
  const controller = new AbortController();
  let abortedAt = Number.NaN;
  const timer = setInterval(() => {
    const runs = attempts.filter((a) => a.operation === "abort:RunTask" && !a.throttled);
    const last = runs.at(-1);
    if (
      last &&
      runs.length >= Math.ceil(workers / 10) + 1 &&
      performance.now() - last.endedAt > 1000 &&
      !controller.signal.aborted
    ) {
      abortedAt = performance.now();
      controller.abort();
    }
  }, 20);
  const up = upFargateCluster(spec, fargate, {
    clients,
    logger: { info: () => {}, debug: () => {}, warn: () => {} },
    signal: controller.signal,
  });
  await up.then(
    async (handle) => {
      clearInterval(timer);
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
      throw new Error("the start ended before the abort; the abort benchmark measured nothing");
    },
    () => clearInterval(timer),
  );
  const cancelledMs = performance.now() - abortedAt;
  const stops = attempts.filter((a) => a.operation === "abort:StopTask" && a.sentAt >= abortedAt);
  const accepted = stops.filter((a) => !a.throttled);
  return {
    workers,
    stopTasks: accepted.length,
    untilLastStopSentMs: Math.max(...stops.map((a) => a.sentAt)) - abortedAt,
    untilLastStopAcceptedMs: Math.max(...accepted.map((a) => a.endedAt)) - abortedAt,
    cancelledMs,
  };
}

/** A task role without the find-scheduler policy, in the emulator's moto (AWS_ENDPOINT_URL points there). */
async function ownTaskRole(): Promise<string> {
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  const role = await createAwsClients({ region: REGION }).iam.send(
    new CreateRoleCommand({ RoleName: "dfa-bench-own-task-role", AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  return role.Role?.Arn ?? "";
}

/** One start of the ratio matrix: model-time durations (the emulator's clock and up's run `scale` times faster than the wall clock). */
interface RatioRun {
  readonly preset: TimingPreset;
  readonly seed: number;
  /** How the workers learned the scheduler's address (runs before this field existed: workers-find-it was not built). */
  readonly start?: "workers-find-it" | "after-ip";
  readonly workers: number;
  readonly upMs: number;
  readonly oneTaskMs: number;
  readonly setupMs: number;
  /** Tasks of the cluster beyond 1 + N (a worker launched again). */
  readonly relaunched: number;
  /** Tasks of the cluster that ECS stopped before they ran (TaskFailedToStart), a missing secret key among them. */
  readonly failedToStart: number;
}

const RATIO_PRESETS: readonly TimingPreset[] = ["realistic", "early-secrets"];

async function runRatio(
  preset: TimingPreset,
  seed: number,
  sizes: readonly number[],
  scale: number,
): Promise<RatioRun[]> {
  const emulator = await startEmulator({
    exec: "none",
    timing: preset,
    seed,
    imageSizeBytes: IMAGE_MIB * 2 ** 20,
    timeScale: scale,
  });
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env, { AWS_REGION: REGION });
  // up's clock in the emulator's time: its polls and launch pacing keep their proportions to the tasks' phases.
  const epoch = Date.now();
  const clock = {
    now: () => epoch + (Date.now() - epoch) * scale,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, Math.max(0, ms / scale));
        signal?.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };
  const out: RatioRun[] = [];
  // BENCH_RATIO_START=after-ip: a task role of our own without the find-scheduler policy, so up launches the workers
  // once the scheduler has its IP (the start before workers looked it up themselves), for a comparison in the same runs.
  const start = process.env["BENCH_RATIO_START"] === "after-ip" ? "after-ip" : "workers-find-it";
  const taskRoleArn = start === "after-ip" ? await ownTaskRole() : undefined;
  // An account is set up once, before its first start (README, "AWS in five steps": setup-roles), so the roles and
  // the task role's policy are in place before the timed starts, as they are in a user's account: the first start of
  // a fresh emulator would otherwise time that one-off setup too.
  if (start === "workers-find-it") await setupRoles(createAwsClients({ region: REGION }), {});
  try {
    for (const workers of sizes) {
      const attempts: Attempt[] = [];
      const clients = createAwsClients({ region: REGION });
      recordAttempts(clients, attempts, () => "start");
      const spec = resolveClusterSpec({
        image: "dask:bench",
        clusterId: newClusterId(),
        workers,
        workerCpu: 1,
        workerMemory: "2GB",
        allowUnboundedCost: true,
      });
      const logger = { info: () => {}, debug: () => {}, warn: () => {} };
      const started = performance.now();
      const handle = await upFargateCluster(
        spec,
        resolveFargateSpec({ region: REGION, ...(taskRoleArn ? { taskRoleArn } : {}) }, spec),
        {
          clients,
          logger,
          clock,
        },
      );
      const upMs = (performance.now() - started) * scale;
      const firstRunTask = Math.min(...attempts.filter((a) => a.operation === "start:RunTask").map((a) => a.sentAt));
      const all = (
        emulator.state()["tasks"] as { startedBy?: string; stopCode?: string; createdAt: number; startedAt?: number }[]
      ).filter((t) => t.startedBy === spec.clusterId);
      const running = all.filter((t) => t.startedAt !== undefined);
      out.push({
        preset,
        seed,
        start,
        workers,
        upMs,
        oneTaskMs: Math.max(...running.map((t) => ((t.startedAt ?? 0) - t.createdAt) * 1000)),
        setupMs: (firstRunTask - started) * scale,
        relaunched: all.length - (workers + 1),
        failedToStart: all.filter((t) => t.stopCode === "TaskFailedToStart").length,
      });
      await downFargateCluster(
        { clusterId: handle.clusterId, resources: handle.fargate },
        { clients: createAwsClients({ region: REGION }), logger, clock },
      );
    }
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await emulator.stop();
  }
  return out;
}

/**
 * Time to ready over the slowest task's own start, seeds `from`..`to` × `sizes` × `presets`; each run's numbers also go
 * to a JSON-lines file as they come. With `fromFile`, the runs are read from such files instead (the matrix split over
 * several processes: BENCH_RATIO_SEEDS=1-10 BENCH_RATIO_PRESETS=realistic, then BENCH_RATIO_FROM=a.jsonl,b.jsonl).
 */
async function ratioRows(
  sizes: readonly number[],
  seeds: { from: number; to: number },
  presets: readonly TimingPreset[],
  scale: number,
  fromFile: readonly string[],
): Promise<BenchRow[]> {
  const dir = new URL("../../bench-results/", import.meta.url);
  await mkdir(dir, { recursive: true });
  const suffix = process.env["BENCH_RATIO_START"] === "after-ip" ? "-after-ip" : "";
  const log = new URL(`start-ratio-${presets.join("+")}-${seeds.from}-${seeds.to}${suffix}.jsonl`, dir);
  const results: RatioRun[] = [];
  if (fromFile.length > 0) {
    for (const file of fromFile)
      for (const line of (await readFile(file, "utf8")).split("\n").filter(Boolean))
        results.push(JSON.parse(line) as RatioRun);
  } else
    for (const preset of presets)
      for (let seed = seeds.from; seed <= seeds.to; seed++) {
        const batch = await runRatio(preset, seed, sizes, scale);
        results.push(...batch);
        await appendFile(log, batch.map((r) => `${JSON.stringify(r)}\n`).join(""));
        process.stderr.write(
          `fargate ratio ${preset} seed ${seed}: ${batch.map((r) => `1+${r.workers} ${(r.upMs / r.oneTaskMs).toFixed(3)}`).join(", ")}\n`,
        );
      }
  const seedsSeen = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  const seedText = seedsSeen.length === 0 ? "none" : `${seedsSeen.length} seeds (${seedsSeen[0]}–${seedsSeen.at(-1)})`;
  const rows: BenchRow[] = [];
  for (const preset of RATIO_PRESETS)
    for (const workers of sizes) {
      if (!results.some((r) => r.preset === preset && r.workers === workers)) continue;
      const mine = results.filter((r) => r.preset === preset && r.workers === workers);
      const ratios = mine.map((r) => r.upMs / r.oneTaskMs);
      const failed = mine.reduce((n, r) => n + r.failedToStart, 0);
      const relaunched = mine.reduce((n, r) => n + r.relaunched, 0);
      const t = TIMING_PRESETS[preset];
      rows.push({
        group: "fargate-emulator",
        measurement: `time to ready / slowest task's own start, 1+${workers}, ${preset} preset`,
        value:
          `median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}, n=${ratios.length}); ` +
          `up median ${seconds(median(mine.map((r) => r.upMs)), 1)}, slowest task's own start median ${seconds(median(mine.map((r) => r.oneTaskMs)), 1)}, before the first RunTask median ${seconds(median(mine.map((r) => r.setupMs)), 1)}; ` +
          `tasks stopped before running: ${failed}; workers launched again: ${relaunched}`,
        target: "≤ 1.15 in every run (aim 1.10); none stopped for a missing key, none launched again",
        met: Math.max(...ratios) <= 1.15 && failed === 0 && relaunched === 0,
        method:
          `Fargate emulator --exec none, ${preset} preset (the ENI at ${t.connectivityMs / 1000} s, the pull from ${t.provisioningMs / 1000} s, ${t.pullBaseMs / 1000} s + ${t.pullMsPerMiB} ms/MiB × ${IMAGE_MIB} MiB, activating ${t.activatingMs / 1000} s, ±${t.jitter * 100} % jitter; secrets read at ${t.secretsAt}), ` +
          `${seedText}, one emulator per seed; ECS and Fargate token buckets on; ${scale === 1 ? "the emulator's and up's clocks the wall clock (timeScale 1)" : `the emulator's clock and up's clock ${scale}× the wall clock (timeScale; bursts unchanged, moto's own latency not sped up, so it weighs ${scale}× in the ratio)`}; ` +
          "up()'s duration over the slowest task's own start (max of startedAt − createdAt over the cluster's tasks); every cluster torn down by downFargateCluster()",
        data: mine,
      });
    }
  return rows;
}

const fmtCalls = (calls: Record<string, number>) =>
  Object.entries(calls)
    .sort(([, a], [, b]) => b - a)
    .map(([op, c]) => `${op} ${c}`)
    .join(", ");

export async function measure(): Promise<BenchRow[]> {
  const ratioSizes = (process.env["BENCH_RATIO_WORKERS"] ?? "4,50,200").split(",").map(Number);
  const [from, to] = (process.env["BENCH_RATIO_SEEDS"] ?? "1-20").split("-").map(Number);
  const presets = (process.env["BENCH_RATIO_PRESETS"]?.split(",") ?? RATIO_PRESETS) as TimingPreset[];
  const fromFile = process.env["BENCH_RATIO_FROM"]?.split(",") ?? [];
  const timeScale = Number(process.env["BENCH_TIME_SCALE"] ?? "1");
  const callSizes = (process.env["BENCH_CALL_WORKERS"] ?? "10,100,500").split(",").map(Number);
  // The ratio matrix first: its runs print as they come.
  const ratio =
    process.env["BENCH_RATIO_SEEDS"] === "0"
      ? []
      : await ratioRows(ratioSizes, { from: from ?? 1, to: to ?? 20 }, presets, timeScale, fromFile);
  // The ratio matrix alone (it is split over processes), without the call counts and the abort.
  if (process.env["BENCH_RATIO_ONLY"]) return ratio;
  const emulator = await startEmulator({
    exec: "none",
    timing: "realistic",
    seed: 1,
    imageSizeBytes: IMAGE_MIB * 2 ** 20,
  });
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env, { AWS_REGION: REGION });
  const runs = new Map<number, SizeRun>();
  const rows: BenchRow[] = [];
  const setup =
    `Fargate emulator --exec none, realistic preset (the ENI at 4 s, the pull from 18 s, 16 s + 25 ms/MiB × ${IMAGE_MIB} MiB, activating 0.5 s, ±25 % seeded jitter, seed 1), ` +
    "ECS and Fargate token buckets on; upFargateCluster() then downFargateCluster(), a new cluster per size";
  try {
    for (const workers of callSizes) {
      const run = await runSize(workers);
      runs.set(workers, run);
      process.stderr.write(`fargate 1+${workers}: up ${seconds(run.upMs, 1)}, down ${seconds(run.downMs, 1)}\n`);
    }
    for (const workers of callSizes) {
      const r = runs.get(workers);
      if (!r) continue;
      const besides = total(r.startCalls, "DescribeTasks");
      const teardown = total(r.teardownCalls);
      const polls = r.startCalls["DescribeTasks"] ?? 0;
      const pollsOk = r.oversplitRounds === 0 && !(r.minRoundGapMs < 1000);
      rows.push({
        group: "fargate-emulator",
        measurement: `AWS calls, start of 1+${workers}`,
        value: `${besides} besides polling; DescribeTasks ${polls} in ${r.describeRounds} rounds (${r.schedulerRounds} of the scheduler alone waiting for its IP, 1 call each; the others ⌈N/100⌉ = ${r.describeCallsPerRound}; rounds with more calls than ⌈asked/100⌉: ${r.oversplitRounds}; rounds ≥ ${seconds(r.minRoundGapMs, 1)} apart) — ${fmtCalls(r.startCalls)}`,
        target:
          workers === 100 ? "≤ 30 besides polling; ⌈N/100⌉ per round, ≥ 1 s apart" : "⌈N/100⌉ per round, ≥ 1 s apart",
        met: (workers === 100 ? besides <= 30 : true) && pollsOk,
        method: `${setup}; accepted SDK attempts per operation (a deserialize-step middleware; throttled attempts counted apart: ${r.throttledAttempts})`,
        data: r.startCalls,
      });
      rows.push({
        group: "fargate-emulator",
        measurement: `AWS calls, teardown of 1+${workers}`,
        value: `${teardown} (N + ${teardown - workers}) — ${fmtCalls(r.teardownCalls)}`,
        target: `≤ N + 15 = ${workers + 15}`,
        met: teardown <= workers + 15,
        method: `${setup}; accepted attempts of downFargateCluster() per operation`,
        data: r.teardownCalls,
      });
    }
    const big = runs.get(Math.max(...callSizes));
    if (big && big.workers + 1 > FARGATE_LAUNCH_BUCKET.burst) {
      const tasks = big.workers + 1;
      const launchBound = (Math.max(0, tasks - FARGATE_LAUNCH_BUCKET.burst) / FARGATE_LAUNCH_BUCKET.perSecond) * 1000;
      const stopBound = (Math.max(0, tasks - STOP_BUCKET.burst) / STOP_BUCKET.perSecond) * 1000;
      rows.push({
        group: "fargate-emulator",
        measurement: `${big.workers} workers launched`,
        value: `RunTask span ${seconds(big.runTaskSpanMs, 1)} = ${(big.runTaskSpanMs / launchBound).toFixed(2)} × bound ${seconds(launchBound, 1)}; throttled attempts ${big.throttledAttempts} (retried), reaching the user: ${big.throttlingReachedUser ? "yes" : "none"}`,
        target: "≤ 1.2 × bound, no ThrottlingException to the user",
        met: big.runTaskSpanMs <= 1.2 * launchBound && !big.throttlingReachedUser,
        method: `${setup}; first RunTask sent → last RunTask accepted; bound = (${tasks} tasks − 100 burst) / 20 per s (Fargate launch bucket, facts.md)`,
      });
      rows.push({
        group: "fargate-emulator",
        measurement: `${big.workers} workers torn down`,
        value: `StopTask span ${seconds(big.stopTaskSpanMs, 1)} = ${(big.stopTaskSpanMs / stopBound).toFixed(2)} × bound ${seconds(stopBound, 1)}; down() ${seconds(big.downMs, 1)}; reaching the user: ${big.throttlingReachedUser ? "yes" : "none"}`,
        target: "≤ 1.2 × bound, no ThrottlingException to the user",
        met: big.stopTaskSpanMs <= 1.2 * stopBound && !big.throttlingReachedUser,
        method: `${setup}; first StopTask sent → last StopTask accepted; bound = (${tasks} − 100 burst) / 40 per s (RunTask+StartTask+StopTask bucket, facts.md)`,
      });
    }
    const abort = await runAbort(100);
    rows.push({
      group: "fargate-emulator",
      measurement: "abort (SIGINT) with 1+100: every StopTask sent",
      value: `${seconds(abort.untilLastStopSentMs)} (last accepted ${seconds(abort.untilLastStopAcceptedMs)}; ${abort.stopTasks} StopTasks; whole cleanup ${seconds(abort.cancelledMs, 1)})`,
      target: "< 2 s",
      met: abort.untilLastStopSentMs < 2000 && abort.stopTasks >= 101,
      method: `${setup}; the AbortSignal the CLI's SIGINT handler fires, aborted 1 s after the last RunTask was accepted (all 101 tasks starting); time from abort() to the last StopTask attempt`,
      data: abort,
    });
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await emulator.stop();
  }
  return [...ratio, ...rows];
}
