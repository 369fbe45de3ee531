import { describe, expect, test } from "vitest";
import {
  DESCRIBE_TASKS_MAX,
  LIST_TASKS_MAX,
  OVERRIDES_MAX_CHARS,
  RUN_TASK_MAX_COUNT,
  STOP_TIMEOUT_DEFAULT_S,
  STOP_TIMEOUT_MAX_S,
  STOPPED_TASK_RETENTION_MS,
} from "../src/ecs-rules.js";
import { EARLY_SECRETS_TIMING, FAST_TIMING, REALISTIC_TIMING } from "../src/lifecycle.js";
import { NoneExecutor } from "../src/none-executor.js";
import { ECS_BUCKETS, FARGATE_LAUNCH_BUCKET, Throttle } from "../src/token-bucket.js";

// The emulator's timing model is what the benchmarks (npm run bench) measure against. Each documented value sits
// here beside its source, so a change that flatters the numbers (a bigger bucket, a shorter start) fails this test.
// Sources: ECS API reference "Request throttling for the Amazon ECS API"; ECS developer guide "AWS Fargate
// throttling quotas" and "Amazon ECS task lifecycle"; the API_RunTask / API_DescribeTasks / API_ListTasks /
// API_StopTask / API_TaskOverride pages; the project's facts.md, which quotes them.

const THROTTLE = "ECS API reference, Request throttling; facts.md 'Token buckets per account and region'";
const FARGATE_THROTTLE = "ECS developer guide, AWS Fargate throttling quotas; facts.md";
const DOCUMENTED_BUCKETS = [
  {
    bucket: "taskWrites",
    burst: 100,
    perSecond: 40,
    operations: ["RunTask", "StartTask", "StopTask"],
    source: THROTTLE,
  },
  { bucket: "taskReads", burst: 100, perSecond: 20, operations: ["DescribeTasks", "ListTasks"], source: THROTTLE },
  {
    bucket: "taskDefinitions",
    burst: 20,
    perSecond: 1,
    operations: ["RegisterTaskDefinition", "DeregisterTaskDefinition"],
    source: THROTTLE,
  },
  { bucket: "clusters", burst: 20, perSecond: 1, operations: ["CreateCluster", "DeleteCluster"], source: THROTTLE },
  { bucket: "fargateRunTask", burst: 20, perSecond: 20, operations: ["RunTask"], source: FARGATE_THROTTLE },
] as const;

const DOCUMENTED_LIMITS = [
  {
    name: "RunTask count per call",
    value: RUN_TASK_MAX_COUNT,
    documented: 10,
    source: "API_RunTask 'count' 1-10; facts.md",
  },
  {
    name: "DescribeTasks tasks per call",
    value: DESCRIBE_TASKS_MAX,
    documented: 100,
    source: "API_DescribeTasks 'tasks'; facts.md",
  },
  { name: "ListTasks maxResults", value: LIST_TASKS_MAX, documented: 100, source: "API_ListTasks 'maxResults'" },
  { name: "overrides characters", value: OVERRIDES_MAX_CHARS, documented: 8192, source: "API_TaskOverride; facts.md" },
  {
    name: "stopped tasks visible (ms)",
    value: STOPPED_TASK_RETENTION_MS,
    documented: 3_600_000,
    source: "API_DescribeTasks; facts.md 'at least 1 hour'",
  },
  {
    name: "stopTimeout default (s)",
    value: STOP_TIMEOUT_DEFAULT_S,
    documented: 30,
    source: "ContainerDefinition stopTimeout; facts.md",
  },
  {
    name: "stopTimeout max (s)",
    value: STOP_TIMEOUT_MAX_S,
    documented: 120,
    source: "ContainerDefinition stopTimeout; facts.md",
  },
] as const;

/** "New tasks typically take 30–90 s to reach RUNNING; the image pull dominates" (developer guide, task lifecycle; facts.md). */
const RUNNING_WITHIN_S = { min: 30, max: 90 } as const;

describe("the emulator's timing model equals the documented one", () => {
  test.each(DOCUMENTED_BUCKETS)("bucket $bucket: $burst burst, $perSecond/s ($source)", (doc) => {
    expect(ECS_BUCKETS[doc.bucket]).toEqual({ burst: doc.burst, perSecond: doc.perSecond, operations: doc.operations });
  });

  test("Fargate task launches: 100 burst, 20/s, per capacity provider (ECS developer guide, AWS Fargate throttling quotas; facts.md)", () => {
    expect(FARGATE_LAUNCH_BUCKET).toEqual({ burst: 100, perSecond: 20 });
    let t = 0;
    const throttle = new Throttle(() => t);
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 100)).toBe(true);
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 1)).toBe(false);
    expect(throttle.takeLaunches("us-east-1", "FARGATE_SPOT", 100)).toBe(true);
    t += 1000;
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 20)).toBe(true);
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 1)).toBe(false);
  });

  test("StopTask drains the shared RunTask/StartTask/StopTask bucket: 100 at once, then 40 a second", () => {
    let t = 0;
    const throttle = new Throttle(() => t);
    let sent = 0;
    while (throttle.takeCall("us-east-1", "StopTask")) sent++;
    expect(sent).toBe(100);
    t += 1000;
    sent = 0;
    while (throttle.takeCall("us-east-1", "StopTask")) sent++;
    expect(sent).toBe(40);
    // RunTask shares it: now empty for RunTask too.
    expect(throttle.takeCall("us-east-1", "RunTask")).toBe(false);
  });

  test.each(DOCUMENTED_LIMITS)("$name = $documented ($source)", ({ value, documented }) => {
    expect(value).toBe(documented);
  });

  test("realistic timing: a task of the benchmark's image reaches RUNNING within 30–90 s at either jitter extreme, the pull the longest phase", async () => {
    const { sizeBytes } = await new NoneExecutor().pull();
    expect(sizeBytes).toBe(300 * 1024 * 1024);
    const t = REALISTIC_TIMING;
    const pull = t.pullBaseMs + (sizeBytes / 2 ** 20) * t.pullMsPerMiB;
    const nominal = t.provisioningMs + pull + t.activatingMs;
    expect(nominal * (1 - t.jitter)).toBeGreaterThanOrEqual(RUNNING_WITHIN_S.min * 1000);
    expect(nominal * (1 + t.jitter)).toBeLessThanOrEqual(RUNNING_WITHIN_S.max * 1000);
    expect(pull).toBeGreaterThan(t.provisioningMs);
    expect(pull).toBeGreaterThan(t.activatingMs);
    // Jitter stays a modest spread, not a knob that could shrink starts at will.
    expect(t.jitter).toBeLessThanOrEqual(0.25);
  });

  test("a RunTask task spends no time in ACTIVATING in either preset: that state's steps are service discovery and a service's target groups (developer guide, Amazon ECS task lifecycle), and the agent reports PENDING until the containers run (amazon-ecs-agent TaskStatus.BackendStatus)", () => {
    expect(FAST_TIMING.activatingMs).toBe(0);
    expect(REALISTIC_TIMING.activatingMs).toBe(0);
  });

  // Developer guide, "Amazon ECS task state change events": the sample event's connectivityAt is 4 s and its
  // pullStartedAt 18 s after createdAt.
  test("realistic timing follows AWS's sample task event: the ENI at 4 s, the pull from 18 s", () => {
    expect(REALISTIC_TIMING.connectivityMs).toBe(4_000);
    expect(REALISTIC_TIMING.provisioningMs).toBe(18_000);
    expect(REALISTIC_TIMING.secretsAt).toBe("pull-start");
  });

  test("the early-secrets preset is the realistic one with the secrets read at connectivityAt", () => {
    expect(EARLY_SECRETS_TIMING).toEqual({ ...REALISTIC_TIMING, secretsAt: "connectivity" });
  });
});
