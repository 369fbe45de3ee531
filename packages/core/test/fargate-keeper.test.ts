import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type ListTasksCommandInput,
  RunTaskCommand,
  type RunTaskCommandInput,
  type Task,
} from "@aws-sdk/client-ecs";
import { expect, test } from "vitest";
import type { FargateClusterHandle } from "../src/cluster.js";
import { resolveClusterSpec } from "../src/cluster-spec.js";
import type { AwsClients } from "../src/fargate/aws-clients.js";
import { KEEPER_ROUND_MS, keepFargateWorkers } from "../src/fargate/fargate-keeper.js";
import { factsOf, workerRunInputs } from "../src/fargate/fargate-plan.js";
import { resolveFargateSpec } from "../src/fargate/fargate-spec.js";
import { stoppedOnPurpose } from "../src/worker-keeper.js";

// The keeper against a recording ECS: its pace (⌈N/100⌉ DescribeTasks a round, rounds ≥ 5 s apart), the request a
// replacement is started with (the original's), Spot first then on-demand after capacity errors, and the limit.

const ARN = (id: string) => `arn:aws:ecs:us-east-1:123456789012:task/c1/${id}`;

/** A clock whose 5 s rounds wait for `tick()`; shorter sleeps (RunTask's capacity backoff) pass at once. */
function steppedClock() {
  let now = 0;
  const waiting: (() => void)[] = [];
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (ms < KEEPER_ROUND_MS) {
          now += ms;
          return resolve();
        }
        if (signal?.aborted) return reject(new Error("aborted"));
        signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
        waiting.push(() => {
          now += ms;
          resolve();
        });
      }),
    /** Ends the round's sleep and lets the round run to its end. */
    tick: async () => {
      for (const wake of waiting.splice(0)) wake();
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

function cluster(workers: number | string, spot: boolean, maxWorkerReplacements?: number) {
  const spec = resolveClusterSpec({
    image: "dask:1",
    clusterId: "c1",
    workers,
    allowUnboundedCost: true,
    ...(maxWorkerReplacements !== undefined ? { maxWorkerReplacements } : {}),
  });
  const fargate = resolveFargateSpec({ region: "us-east-1", spotWorkers: spot }, spec);
  const workerTaskArns = Array.from({ length: spec.workers }, (_, i) => ARN(`w${i}`));
  const handle = {
    backend: "fargate",
    clusterId: "c1",
    spec,
    schedulerAddress: "tls://10.0.0.5:8786",
    clientSchedulerAddress: undefined,
    dashboardUrl: undefined,
    clientTlsFiles: undefined,
    memberTlsFiles: undefined,
    tlsDir: "/nonexistent",
    createdAt: "2026-12-07T00:00:00Z",
    expiresAt: "2026-12-07T06:00:00Z",
    fargate: {
      spec: fargate,
      ecsCluster: "c1",
      createdEcsCluster: true,
      createdSecurityGroupId: "sg-1",
      securityGroups: ["sg-1"],
      subnets: ["subnet-1"],
      assignPublicIp: false,
      logGroup: "/dask-fargate-action/c1",
      tlsSecretArn: undefined,
      taskDefinitionArns: [],
      executionRoleArn: "arn:aws:iam::123456789012:role/e",
      taskRoleArn: "arn:aws:iam::123456789012:role/t",
      schedulerTaskArn: ARN("s"),
      workerTaskArns,
    },
  } satisfies FargateClusterHandle;
  return handle;
}

/** An ECS whose tasks run until the test stops them; RunTask on Spot fails for capacity `spotFailures` times. */
function recordingEcs(clock: { now: () => number }, spotFailures = 0) {
  const stopped = new Map<string, Partial<Task>>();
  const describeRounds: { at: number; calls: number; tasks: number }[] = [];
  const runs: RunTaskCommandInput[] = [];
  const lists: ListTasksCommandInput[] = [];
  /** Running tasks ListTasks answers besides the test's cluster (workers grown during the job). */
  const grown: string[] = [];
  let spotLeft = spotFailures;
  let started = 0;
  // An ECSClient by prototype: the SDK's paginators accept no other client.
  const ecs = Object.assign(Object.create(ECSClient.prototype) as ECSClient, {
    send: async (command: unknown) => {
      if (command instanceof ListTasksCommand) {
        lists.push(command.input);
        return { taskArns: grown.filter((arn) => !stopped.has(arn)) };
      }
      if (command instanceof DescribeTasksCommand) {
        const tasks = command.input.tasks ?? [];
        const last = describeRounds.at(-1);
        if (last?.at === clock.now()) {
          last.calls++;
          last.tasks += tasks.length;
        } else describeRounds.push({ at: clock.now(), calls: 1, tasks: tasks.length });
        return {
          tasks: tasks.map((taskArn) => ({
            taskArn,
            lastStatus: "RUNNING",
            group: "family:c1-worker",
            ...stopped.get(taskArn),
          })),
        };
      }
      if (command instanceof RunTaskCommand) {
        runs.push(command.input);
        if (command.input.capacityProviderStrategy && spotLeft > 0) {
          spotLeft--;
          return {
            tasks: [],
            failures: [
              {
                reason:
                  "Capacity is unavailable at this time. Please try again later or in a different availability zone",
              },
            ],
          };
        }
        started++;
        const capacity = command.input.capacityProviderStrategy
          ? { capacityProviderName: "FARGATE_SPOT" }
          : { launchType: "FARGATE" };
        return { tasks: [{ taskArn: ARN(`r${started}`), lastStatus: "PROVISIONING", ...capacity }], failures: [] };
      }
      throw new Error("unexpected call");
    },
  });
  const stop = (id: string, stopCode: Task["stopCode"], stoppedReason: string, exitCode: number, reason?: string) =>
    stopped.set(ARN(id), {
      lastStatus: "STOPPED",
      stopCode,
      stoppedReason,
      containers: [{ name: "dask", exitCode, ...(reason ? { reason } : {}) }],
    });
  const grow = (id: string) => grown.push(ARN(id));
  return { clients: { ecs } as unknown as AwsClients, describeRounds, runs, lists, stop, grow };
}

const quiet = (warnings: string[]) => ({ info: () => {}, debug: () => {}, warn: (m: string) => void warnings.push(m) });

test("500 workers are watched with 6 DescribeTasks a round, rounds 5 s apart, and the watch ends with stop()", async () => {
  const clock = steppedClock();
  const handle = cluster(500, false);
  const ecs = recordingEcs(clock);
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger: quiet([]), clock });
  for (let i = 0; i < 4; i++) await clock.tick();
  await watch.stop();
  await clock.tick();
  expect(ecs.describeRounds).toEqual([
    { at: 5000, calls: 6, tasks: 501 },
    { at: 10000, calls: 6, tasks: 501 },
    { at: 15000, calls: 6, tasks: 501 },
    { at: 20000, calls: 6, tasks: 501 },
  ]);
  expect(ecs.runs).toEqual([]);
  // A fixed size has nothing to find: no ListTasks.
  expect(ecs.lists).toEqual([]);
});

test("with adaptive workers a worker the cluster grew by during the job is found by ListTasks, watched and replaced", async () => {
  const clock = steppedClock();
  const handle = cluster("2-6", true);
  const ecs = recordingEcs(clock);
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger: quiet([]), clock });
  await clock.tick();
  // The adaptive loop's scale started g1 after the watch began; the handle the watch was given does not name it.
  ecs.grow("g1");
  await clock.tick();
  ecs.stop("g1", "SpotInterruption", "Your Spot Task was interrupted.", 143);
  await clock.tick();
  await clock.tick();
  await watch.stop();
  expect(ecs.lists[0]).toEqual({ cluster: "c1", family: "c1-worker", desiredStatus: "RUNNING" });
  expect(ecs.describeRounds.map((r) => r.tasks)).toEqual([3, 4, 4, 5]);
  expect(watch.replacements?.map((r) => [r.member, r.replacement])).toEqual([["c1-worker g1", "worker r1"]]);
});

test("a Spot-interrupted worker is replaced with the original's request on Spot; the replacement is watched too", async () => {
  const clock = steppedClock();
  const handle = cluster(3, true);
  const ecs = recordingEcs(clock);
  const warnings: string[] = [];
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger: quiet(warnings), clock });
  await clock.tick();
  ecs.stop("w1", "SpotInterruption", "Your Spot Task was interrupted.", 143);
  await clock.tick();
  await clock.tick();
  await watch.stop();

  const [original] = workerRunInputs(
    handle.spec,
    handle.fargate.spec,
    factsOf(handle.fargate, handle.createdAt, handle.expiresAt),
    handle.schedulerAddress,
    0,
    1,
    true,
  );
  expect(ecs.runs).toHaveLength(1);
  const { clientToken, ...request }: RunTaskCommandInput = ecs.runs[0] ?? ({} as RunTaskCommandInput);
  const { clientToken: _token, ...expected }: RunTaskCommandInput = original ?? ({} as RunTaskCommandInput);
  // Same task definition, command override, network, tags and startedBy (teardown and the reaper find it by these).
  expect(request).toEqual(expected);
  expect(request.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
  expect(request.startedBy).toBe("c1");
  expect(clientToken).toMatch(/^c1-r1-/);
  expect(watch.replacements).toEqual([
    {
      member: "c1-worker w1",
      stopCode: "SpotInterruption",
      exitCode: 143,
      reason: "Your Spot Task was interrupted.",
      replacement: "worker r1",
      capacity: "FARGATE_SPOT",
      startedAt: 10000,
    },
  ]);
  expect(watch.stopped).toEqual([
    { member: "c1-worker w1", exitCode: 143, reason: "SpotInterruption: Your Spot Task was interrupted." },
  ]);
  // The replacement's ARN is in the next round's DescribeTasks.
  expect(ecs.describeRounds.at(-1)?.tasks).toBe(5);
  expect(warnings.some((w) => /replaced c1-worker w1 with worker r1 on FARGATE_SPOT \(1\/6\)/.test(w))).toBe(true);
});

test("when Spot has no capacity the replacement falls back to on-demand Fargate", async () => {
  const clock = steppedClock();
  const handle = cluster(2, true);
  const ecs = recordingEcs(clock, 5);
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger: quiet([]), clock, random: () => 0.5 });
  await clock.tick();
  ecs.stop("w0", "SpotInterruption", "Your Spot Task was interrupted.", 143);
  await clock.tick();
  await watch.stop();
  expect(ecs.runs.map((r) => (r.capacityProviderStrategy ? "spot" : r.launchType))).toEqual([
    "spot",
    "spot",
    "FARGATE",
  ]);
  expect(watch.replacements?.map((r) => [r.replacement, r.capacity])).toEqual([["worker r1", "FARGATE"]]);
});

test("an OOM-killed worker is replaced; past max-worker-replacements a loss is a warning and listed as unreplaced; a lost scheduler is never replaced", async () => {
  const clock = steppedClock();
  const handle = cluster(3, false, 1);
  const ecs = recordingEcs(clock);
  const warnings: string[] = [];
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger: quiet(warnings), clock });
  await clock.tick();
  ecs.stop(
    "w0",
    "EssentialContainerExited",
    "Essential container in task exited",
    137,
    "OutOfMemoryError: Container killed due to memory usage",
  );
  await clock.tick();
  ecs.stop("w2", "EssentialContainerExited", "Essential container in task exited", 1);
  ecs.stop("s", "EssentialContainerExited", "Essential container in task exited", 1);
  await clock.tick();
  await clock.tick();
  await watch.stop();
  expect(ecs.runs).toHaveLength(1);
  expect(ecs.runs[0]?.launchType).toBe("FARGATE");
  expect(watch.replacements?.map((r) => [r.member, r.exitCode, r.reason])).toEqual([
    ["c1-worker w0", 137, "Essential container in task exited: OutOfMemoryError: Container killed due to memory usage"],
  ]);
  expect(watch.unreplaced).toEqual(["c1-worker w2"]);
  expect(watch.stopped.map((s) => s.member)).toEqual(["c1-worker w0", "c1-worker s", "c1-worker w2"]);
  expect(warnings.filter((w) => /max-worker-replacements \(1\) is used up/.test(w))).toHaveLength(1);
});

test("max-worker-replacements 0 turns replacement off", async () => {
  const clock = steppedClock();
  const handle = cluster(2, false, 0);
  const ecs = recordingEcs(clock);
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger: quiet([]), clock });
  await clock.tick();
  ecs.stop("w0", "EssentialContainerExited", "Essential container in task exited", 137);
  await clock.tick();
  await watch.stop();
  expect(ecs.runs).toEqual([]);
  expect(watch.unreplaced).toEqual(["c1-worker w0"]);
});

test("a worker stopped on purpose is not replaced: exit 0 (the scheduler closed it, as adaptive workers retire theirs) or StopTask; a Spot reclaim that exits 0 still is", async () => {
  const clock = steppedClock();
  const handle = cluster(3, true);
  const ecs = recordingEcs(clock);
  const infos: string[] = [];
  const warnings: string[] = [];
  const logger = { ...quiet(warnings), info: (m: string) => infos.push(m) };
  const watch = keepFargateWorkers(handle, { clients: ecs.clients, logger, clock });
  await clock.tick();
  ecs.stop("w0", "EssentialContainerExited", "Essential container in task exited", 0);
  ecs.stop("w1", "UserInitiated", "retired by the scheduler", 143);
  await clock.tick();
  ecs.stop("w2", "SpotInterruption", "Your Spot Task was interrupted.", 0);
  await clock.tick();
  await clock.tick();
  await watch.stop();
  expect(watch.replacements?.map((r) => r.member)).toEqual(["c1-worker w2"]);
  expect(watch.stopped.map((s) => s.member).sort()).toEqual(["c1-worker w0", "c1-worker w1", "c1-worker w2"]);
  expect(infos.filter((m) => /stopped on purpose/.test(m))).toHaveLength(2);
  expect(warnings.some((w) => /c1-worker w0|c1-worker w1/.test(w))).toBe(false);
});

test("stoppedOnPurpose: exit 0 and StopTask are on purpose; losses and Spot reclaims are not", () => {
  expect(stoppedOnPurpose({ exitCode: 0, stopCode: "EssentialContainerExited" })).toMatch(/scheduler closed it/);
  expect(stoppedOnPurpose({ exitCode: 143, stopCode: "UserInitiated" })).toMatch(/StopTask/);
  expect(stoppedOnPurpose({ exitCode: 0, stopCode: "SpotInterruption" })).toBeUndefined();
  expect(stoppedOnPurpose({ exitCode: 137, stopCode: "EssentialContainerExited" })).toBeUndefined();
  expect(stoppedOnPurpose({ exitCode: undefined, stopCode: "TaskFailedToStart" })).toBeUndefined();
});
