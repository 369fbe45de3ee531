import { DescribeTasksCommand, type Task } from "@aws-sdk/client-ecs";
import { describe, expect, test } from "vitest";
import type { FargateResources } from "../src/cluster.js";
import type { AwsClients } from "../src/fargate/aws-clients.js";
import { waitForTasks } from "../src/fargate/fargate-launch.js";

const clock = { now: () => 0, sleep: async () => {} };
const EARLY =
  "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
  "service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key scheduler";

/** ECS whose tasks have the given states (ARN → task fields); unknown ARNs are RUNNING. */
function ecsWith(states: Record<string, Partial<Task>>): AwsClients {
  const ecs = {
    send: async (command: unknown) => {
      if (!(command instanceof DescribeTasksCommand)) throw new Error("unexpected command");
      return {
        tasks: (command.input.tasks ?? []).map((taskArn) => ({ taskArn, lastStatus: "RUNNING", ...states[taskArn] })),
      };
    },
  };
  return { ecs } as unknown as AwsClients;
}
const resources = {
  ecsCluster: "c",
  schedulerTaskArn: "s",
  workerTaskArns: ["w1", "w2"],
} as unknown as FargateResources;

describe("waiting for the tasks", () => {
  test("every task RUNNING: done", async () => {
    const tasks = await waitForTasks(ecsWith({}), resources, 2, { clock, progress: () => {} });
    expect(tasks.map((t) => t.taskArn)).toEqual(["s", "w1", "w2"]);
  });

  // No task is launched again: a worker's RunTask carries the scheduler's address, so none can stop for want of it.
  test("any stopped task fails the start with its stop code and reason", async () => {
    const stopped = { lastStatus: "STOPPED", stopCode: "TaskFailedToStart" as const, stoppedReason: EARLY };
    await expect(waitForTasks(ecsWith({ w2: stopped }), resources, 2, { clock, progress: () => {} })).rejects.toThrow(
      /json key scheduler/,
    );
  });
});
