import { DeleteSecurityGroupCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { type ECSClient, RunTaskCommand, type RunTaskCommandInput } from "@aws-sdk/client-ecs";
import { describe, expect, test } from "vitest";
import { deleteSecurityGroup } from "../src/fargate/fargate-network.js";
import { runTasks } from "../src/fargate/fargate-tasks.js";
import { retryWhile } from "../src/fargate/retry.js";
import { backoffDelay } from "../src/internal/backoff.js";
import { pollUntil } from "../src/internal/wait.js";
import { recorder } from "./integration/helpers.js";

/** A clock whose sleeps return at once and are recorded. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A fixed sequence of "random" numbers, repeated. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe("backoffDelay: one rule for every retry and poll", () => {
  test.each([
    [0, "none", 0.3, 2000],
    [1, "none", 0.3, 4000],
    [4, "none", 0.3, 30_000],
    [0, "spread", 0, 1000],
    [0, "spread", 0.5, 2000],
    [0, "spread", 0.999, 2998],
    [9, "spread", 0.5, 30_000],
  ] as const)("retry %i with jitter %s and random %d waits %i ms", (attempt, jitter, random, ms) => {
    expect(backoffDelay(attempt, { firstMs: 2000, maxMs: 30_000, jitter, random: () => random })).toBe(ms);
  });
});

describe("the parallel RunTask lanes do not back off in lockstep", () => {
  /** An ECS that has no capacity for each request's first call, then starts its tasks. */
  function ecsShortOfCapacity() {
    const seen = new Set<string>();
    return {
      send: async (command: unknown) => {
        if (!(command instanceof RunTaskCommand)) throw new Error("unexpected command");
        const input = command.input;
        const group = String(input.group);
        if (!seen.has(group)) {
          seen.add(group);
          return { tasks: [], failures: [{ arn: "x", reason: "Capacity is unavailable at this time." }] };
        }
        return {
          tasks: Array.from({ length: input.count ?? 1 }, (_, i) => ({ taskArn: `${group}/${i}` })),
          failures: [],
        };
      },
    } as unknown as ECSClient;
  }
  const inputs: RunTaskCommandInput[] = ["a", "b", "c", "d"].map((lane) => ({
    taskDefinition: "w",
    count: 2,
    group: lane,
    clientToken: lane,
  }));

  test("four lanes that failed together wait four different times before they ask again", async () => {
    const clock = fakeClock();
    const tasks = await runTasks(ecsShortOfCapacity(), inputs, { logger: recorder(), clock });
    expect(tasks).toHaveLength(8);
    expect(clock.sleeps).toHaveLength(4);
    // Nominally 2 s each; the jitter spreads them over 1–3 s.
    expect(new Set(clock.sleeps).size).toBe(4);
    for (const ms of clock.sleeps) {
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThan(3000);
    }
  });

  test("the jitter source is injectable: fixed numbers give fixed delays", async () => {
    const clock = fakeClock();
    await runTasks(ecsShortOfCapacity(), inputs, { logger: recorder(), clock, random: sequence(0, 0.25, 0.5, 0.75) });
    expect([...clock.sleeps].sort()).toEqual([1000, 1500, 2000, 2500]);
  });
});

test("retryWhile spreads its waits and gives up at the limit", async () => {
  const clock = fakeClock();
  const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
  const work = async () => {
    throw throttled;
  };
  const retry = retryWhile("RunTask", work, () => true, {
    limitSeconds: 30,
    logger: recorder(),
    clock,
    random: sequence(0.1, 0.9),
  });
  await expect(retry).rejects.toBe(throttled);
  // 2 s × (0.5 + 0.1), 4 s × (0.5 + 0.9), 8 s × 0.6, then 16 s × 1.4 would pass the 30 s limit.
  expect(clock.sleeps).toEqual([1200, 5600, 4800]);
});

test("deleteSecurityGroup retries DependencyViolation with the same backoff, and says why", async () => {
  const clock = fakeClock();
  let inUse = 2;
  const ec2 = {
    send: async (command: unknown) => {
      if (!(command instanceof DeleteSecurityGroupCommand)) throw new Error("unexpected command");
      if (inUse-- > 0)
        throw Object.assign(new Error("resource sg-1 has a dependent object"), { name: "DependencyViolation" });
      return {};
    },
  } as unknown as EC2Client;
  const logger = recorder();
  expect(await deleteSecurityGroup(ec2, "sg-1", { logger, clock, random: () => 0.5 })).toBe(true);
  expect(clock.sleeps).toEqual([2000, 4000]);
  expect(logger.lines).toContain(
    "DeleteSecurityGroup: security group sg-1 is still in use by network interfaces; retrying in 2 s",
  );
});

test("pollUntil keeps its un-jittered doubling from the first delay up to the cap", async () => {
  const clock = fakeClock();
  let looks = 0;
  const value = await pollUntil({
    waitingFor: "the sixth look",
    timeoutSeconds: 60,
    clock,
    check: async () => (++looks === 6 ? { done: true, value: looks } : { done: false, seen: `look ${looks}` }),
  });
  expect(value).toBe(6);
  expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 2000]);
});
