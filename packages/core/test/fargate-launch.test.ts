import { DescribeTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { describe, expect, test } from "vitest";
import type { FargateResources } from "../src/cluster.js";
import type { AwsClients } from "../src/fargate/aws-clients.js";
import { startedBeforeAddress, waitForTasks } from "../src/fargate/fargate-launch.js";

const clock = { now: () => 0, sleep: async () => {} };
const EARLY =
  "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
  "service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key scheduler";

/** ECS whose tasks have the given states (ARN → task fields); unknown ARNs are RUNNING. */
function ecsWith(states: Record<string, Partial<Task>>): AwsClients {
  const ecs = {
    send: async (command: unknown) => {
      if (!(command instanceof DescribeTasksCommand)) throw new Error("unexpected command");
      return { tasks: (command.input.tasks ?? []).map((taskArn) => ({ taskArn, lastStatus: "RUNNING", ...states[taskArn] })) };
    },
  };
  return { ecs } as unknown as AwsClients;
}
const resources = { ecsCluster: "c", schedulerTaskArn: "s", workerTaskArns: ["w1", "w2"] } as unknown as FargateResources;

describe("workers that start before the scheduler's address is stored", () => {
  test("are recognised by the agent's error for the missing key only", () => {
    expect(startedBeforeAddress({ stopCode: "TaskFailedToStart", stoppedReason: EARLY })).toBe(true);
    expect(startedBeforeAddress({ stopCode: "TaskFailedToStart", stoppedReason: EARLY.replace("key scheduler", "key schedulers") })).toBe(false);
    expect(startedBeforeAddress({ stopCode: "EssentialContainerExited", stoppedReason: EARLY })).toBe(false);
  });

  test("are launched again once, and the wait goes on with the new tasks", async () => {
    const relaunched: string[][] = [];
    const tasks = await waitForTasks(ecsWith({ w2: { lastStatus: "STOPPED", stopCode: "TaskFailedToStart", stoppedReason: EARLY } }), resources, 2, {
      clock,
      progress: () => {},
      early: {
        eligible: new Set(["w1", "w2"]),
        relaunch: async (replaced) => {
          relaunched.push([...replaced]);
          return ["w3"];
        },
      },
    });
    expect(relaunched).toEqual([["w2"]]);
    expect(tasks.map((t) => t.taskArn)).toEqual(["s", "w1", "w3"]);
  });

  test("a relaunched worker that fails the same way, or any other stop, fails the start", async () => {
    const stopped = { lastStatus: "STOPPED", stopCode: "TaskFailedToStart" as const, stoppedReason: EARLY };
    const early = { eligible: new Set(["w1", "w2"]), relaunch: async () => ["w3"] };
    await expect(waitForTasks(ecsWith({ w2: stopped, w3: stopped }), resources, 2, { clock, progress: () => {}, early })).rejects.toThrow(/json key scheduler/);
    await expect(waitForTasks(ecsWith({ w2: stopped }), resources, 2, { clock, progress: () => {} })).rejects.toThrow(/json key scheduler/);
  });
});
