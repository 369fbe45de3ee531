import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { expect, test } from "vitest";
import type { AwsClients, ClusterHandle } from "../src/index.js";
import { resolveClusterSpec, resolveFargateSpec, runFargateJob } from "../src/index.js";

// A job that outlives its time limit, against an ECS whose StopTask fails: the stop is sent once, its
// failure is reported, and nothing is left as an unhandled rejection (vitest fails the run on one).
test("a timed-out job task is stopped once, and a failing StopTask is reported instead of thrown away", async () => {
  const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c1", workers: 1 });
  const fargate = resolveFargateSpec({ region: "us-east-1" }, spec);
  let now = 0;
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const calls: string[] = [];
  const jobArn = "arn:aws:ecs:us-east-1:123456789012:task/c1/job";
  const ecs = {
    send: async (command: unknown) => {
      calls.push((command as object).constructor.name);
      if (command instanceof RunTaskCommand)
        return { tasks: [{ taskArn: jobArn, lastStatus: "PROVISIONING" }], failures: [] };
      if (command instanceof StopTaskCommand)
        throw Object.assign(new Error("ECS is having a bad day"), { name: "ServerException" });
      if (command instanceof DescribeTasksCommand) {
        // Still running long after the time limit: the stop never took effect.
        const stopped = now > 60_000;
        return {
          tasks: [
            {
              taskArn: jobArn,
              lastStatus: stopped ? "STOPPED" : "RUNNING",
              containers: [{ name: "dask", exitCode: stopped ? 137 : undefined }],
            },
          ],
        };
      }
      throw new Error(`unexpected ${calls.at(-1)}`);
    },
  };
  const logs = { send: async () => ({ events: [], nextForwardToken: "t" }) };
  const clients = { ecs, logs } as unknown as AwsClients;
  const handle = fargateJobHandle(spec, fargate, "c1", true);
  const warnings: string[] = [];
  const logger = { info: () => {}, debug: () => {}, warn: (m: string) => void warnings.push(m) };

  const result = await runFargateJob(
    handle,
    { command: "python train.py", runsOn: "cluster", workdir: ".", timeoutSeconds: 5 },
    { clients, clock, logger, pollMs: 1000 },
  );

  expect(result.exitCode).toBe(137);
  expect(calls.filter((c) => c === "StopTaskCommand")).toHaveLength(1);
  expect(warnings).toEqual([
    "job timed out after 5 s; stopping it",
    "could not stop job task job: ECS is having a bad day; teardown stops it",
  ]);
});

// After a cancel (SIGINT) the job task takes its stopTimeout to stop: the loop must keep its pace meanwhile,
// not poll DescribeTasks back to back because the aborted signal ends every sleep at once.
test("after a cancel the job is polled at its pace until the task stops", async () => {
  const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c2", workers: 1 });
  const fargate = resolveFargateSpec({ region: "us-east-1" }, spec);
  let now = 0;
  const controller = new AbortController();
  const clock = {
    now: () => now,
    // As the system clock does: an aborted signal ends the sleep at once.
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new Error("aborted");
      now += ms;
    },
  };
  let describes = 0;
  let stoppedAt: number | undefined;
  const jobArn = "arn:aws:ecs:us-east-1:123456789012:task/c2/job";
  const ecs = {
    send: async (command: unknown) => {
      if (command instanceof RunTaskCommand)
        return { tasks: [{ taskArn: jobArn, lastStatus: "PROVISIONING" }], failures: [] };
      if (command instanceof StopTaskCommand) {
        stoppedAt = now;
        return {};
      }
      if (command instanceof DescribeTasksCommand) {
        describes += 1;
        if (describes > 200) throw new Error("DescribeTasks polled without a pause");
        if (describes === 2) controller.abort(new Error("SIGINT"));
        // The container gets its stopTimeout (30 s) to exit after StopTask.
        const stopped = stoppedAt !== undefined && now >= stoppedAt + 30_000;
        return {
          tasks: [
            {
              taskArn: jobArn,
              lastStatus: stopped ? "STOPPED" : "RUNNING",
              containers: [{ name: "dask", exitCode: stopped ? 143 : undefined }],
            },
          ],
        };
      }
      throw new Error("unexpected call");
    },
  };
  const logs = { send: async () => ({ events: [], nextForwardToken: "t" }) };
  const handle = fargateJobHandle(spec, fargate, "c2", false);
  const result = await runFargateJob(
    handle,
    { command: "python train.py", runsOn: "cluster", workdir: "." },
    { clients: { ecs, logs } as unknown as AwsClients, clock, signal: controller.signal, pollMs: 1000 },
  );
  expect(result.exitCode).toBe(143);
  // About one poll a second for the 30 s the task takes to stop.
  expect(describes).toBeGreaterThanOrEqual(30);
  expect(describes).toBeLessThan(40);
});

/** A Fargate cluster's handle as the job sees it: one ECS cluster, one group, one subnet, no members yet. */
function fargateJobHandle(
  spec: ReturnType<typeof resolveClusterSpec>,
  fargate: ReturnType<typeof resolveFargateSpec>,
  clusterId: string,
  assignPublicIp: boolean,
): ClusterHandle {
  return {
    backend: "fargate",
    clusterId,
    spec,
    schedulerAddress: "tls://10.0.0.5:8786",
    fargate: {
      spec: fargate,
      ecsCluster: clusterId,
      createdEcsCluster: true,
      createdSecurityGroupId: "sg-1",
      securityGroups: ["sg-1"],
      subnets: ["subnet-1"],
      assignPublicIp,
      logGroup: `/dask-fargate-action/${clusterId}`,
      tlsSecretArn: undefined,
      taskDefinitionArns: [],
      executionRoleArn: "arn:aws:iam::123456789012:role/e",
      taskRoleArn: "arn:aws:iam::123456789012:role/t",
      schedulerTaskArn: undefined,
      workerTaskArns: [],
    },
  } as unknown as ClusterHandle;
}
