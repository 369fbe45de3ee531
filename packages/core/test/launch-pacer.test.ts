import { type ECSClient, RunTaskCommand, type RunTaskCommandInput, StopTaskCommand } from "@aws-sdk/client-ecs";
import { describe, expect, test } from "vitest";
import { FARGATE_LAUNCH_LIMIT, runTasks, stopTasks, TASK_CALL_LIMIT } from "../src/fargate/fargate-tasks.js";
import { launchPacer } from "../src/internal/launch-pacer.js";
import { recorder } from "./integration/helpers.js";

/** A clock whose sleeps advance it at once. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe("launchPacer: a client-side copy of Fargate's launch bucket", () => {
  test("the burst goes at once, then tokens come at the refill rate", async () => {
    const clock = fakeClock();
    const pacer = launchPacer({ burst: 100, perSecond: 20 }, clock);
    const takenAt: number[] = [];
    for (let i = 0; i < 50; i++) await pacer.take(10).then(() => takenAt.push(clock.now()));
    expect(takenAt.slice(0, 10).every((t) => t === 0)).toBe(true);
    // Token k (counting from 1) is available at (k − 100) / 20 s: take i (10 tokens) at (10(i + 1) − 100) / 20 s.
    expect(takenAt).toEqual(takenAt.map((_, i) => Math.max(0, ((10 * (i + 1) - 100) / 20) * 1000)));
  });

  test("a take larger than the burst waits for the whole burst, never for ever", async () => {
    const clock = fakeClock();
    const pacer = launchPacer({ burst: 5, perSecond: 1 }, clock);
    await pacer.take(5);
    await pacer.take(10);
    expect(clock.now()).toBe(5000);
  });

  test("an aborted waiter does not block the ones behind it", async () => {
    let now = 0;
    const clock = {
      now: () => now,
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) throw new Error("cancelled");
        now += ms;
      },
    };
    const pacer = launchPacer({ burst: 1, perSecond: 1 }, clock);
    await pacer.take(1);
    const controller = new AbortController();
    controller.abort();
    await expect(pacer.take(1, controller.signal)).rejects.toThrow("cancelled");
    await pacer.take(1);
    expect(now).toBe(1000);
  });
});

describe("runTasks launches at the rate Fargate allows", () => {
  test("501 tasks in batches of 10: none sent before its token, the last at the bound", async () => {
    const clock = fakeClock();
    const sent: { at: number; count: number }[] = [];
    const ecs = {
      send: async (command: unknown) => {
        if (!(command instanceof RunTaskCommand)) throw new Error("unexpected command");
        const count = command.input.count ?? 1;
        sent.push({ at: clock.now(), count });
        return {
          tasks: Array.from({ length: count }, (_, i) => ({ taskArn: `${command.input.group}/${i}` })),
          failures: [],
        };
      },
    } as unknown as ECSClient;
    const pacer = launchPacer(FARGATE_LAUNCH_LIMIT, clock);
    await runTasks(ecs, [{ taskDefinition: "s", count: 1, group: "s" }], { logger: recorder(), clock, pacer });
    const workers: RunTaskCommandInput[] = Array.from({ length: 50 }, (_, i) => ({
      taskDefinition: "w",
      count: 10,
      group: `w${i}`,
    }));
    const tasks = await runTasks(ecs, workers, { logger: recorder(), clock, pacer });
    expect(tasks).toHaveLength(500);
    let launched = 0;
    for (const call of sent.sort((a, b) => a.at - b.at)) {
      launched += call.count;
      expect(call.at).toBeGreaterThanOrEqual(
        ((launched - FARGATE_LAUNCH_LIMIT.burst) / FARGATE_LAUNCH_LIMIT.perSecond) * 1000 - 1,
      );
    }
    // (501 − 100) / 20 per s = 20.05 s: the last batch goes out then, not later.
    expect(Math.max(...sent.map((s) => s.at))).toBe(20_050);
  });
});

describe("stopTasks stops at the rate the StopTask bucket allows", () => {
  test("501 tasks: 100 at once, then 40 per second, the last at the bound", async () => {
    const clock = fakeClock();
    const sentAt: number[] = [];
    const ecs = {
      send: async (command: unknown) => {
        if (!(command instanceof StopTaskCommand)) throw new Error("unexpected command");
        sentAt.push(clock.now());
        return {};
      },
    } as unknown as ECSClient;
    await stopTasks(
      ecs,
      "c",
      Array.from({ length: 501 }, (_, i) => `t${i}`),
      "test",
      clock,
    );
    expect(sentAt).toHaveLength(501);
    expect(sentAt.filter((t) => t === 0)).toHaveLength(TASK_CALL_LIMIT.burst);
    // (501 − 100) / 40 per s = 10.025 s.
    expect(Math.max(...sentAt)).toBe(10_025);
  });
});
