import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { DeleteLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { type AwsClients, createAwsClients, setupRoles } from "@dask-fargate-action/core";
import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { type RunnerStep, runnerStep } from "./integration/runner.js";

// The settings the action gained from the CLI's (core's settings table gives both front ends the same settings),
// followed from the bundled action's inputs to what the Fargate emulator was asked for through the AWS API:
// RunTask's platform version, the task definitions' ephemeral storage and the workers' thread count, and the log
// group keep-logs leaves. `--exec none`: the tasks' requests are the point, not their containers.
const github = {
  GITHUB_REPOSITORY: "org/repo",
  GITHUB_WORKFLOW: "settings",
  GITHUB_JOB: "train",
  GITHUB_RUN_ATTEMPT: "1",
};
let emulator: Emulator;
let observer: AwsClients;
const steps: RunnerStep[] = [];

interface EmulatedTask {
  readonly startedBy?: string;
  readonly group?: string;
  readonly taskDefinitionArn: string;
  readonly platformVersion: string;
  readonly ephemeralStorage: { readonly sizeInGiB: number };
  readonly lastStatus: string;
}

const tasksOf = (clusterId: string) =>
  (emulator.state()["tasks"] as EmulatedTask[]).filter((t) => t.startedBy === clusterId);

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: "fast" });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
  observer = createAwsClients({ region: "us-east-1" });
  await setupRoles(observer);
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  for (const step of steps) await rm(step.dir, { recursive: true, force: true });
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

test("platform-version, ephemeral-storage and worker-threads reach RunTask and the task definitions; keep-logs keeps the log group after post", async () => {
  const clusterId = `settings-${randomBytes(3).toString("hex")}`;
  const step = await runnerStep({ ...emulator.env, ...github, GITHUB_RUN_ID: "3001" });
  steps.push(step);
  const up = await step.main({
    command: "up",
    backend: "fargate",
    image: "dask:settings",
    "cluster-id": clusterId,
    workers: "1",
    "worker-memory": "2GB",
    "scheduler-memory": "2GB",
    "platform-version": "1.3.0",
    "ephemeral-storage": "30",
    "worker-threads": "3",
    "keep-logs": "true",
  });
  expect(up.code, up.stdout + up.stderr).toBe(0);

  const tasks = tasksOf(clusterId);
  expect(tasks.map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
  for (const task of tasks) expect([task.platformVersion, task.ephemeralStorage.sizeInGiB]).toEqual(["1.3.0", 30]);
  const definitions = await Promise.all(
    tasks.map(
      async (t) =>
        (await observer.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.taskDefinitionArn })))
          .taskDefinition,
    ),
  );
  for (const definition of definitions) expect(definition?.ephemeralStorage).toEqual({ sizeInGiB: 30 });
  const workerCommand =
    definitions.flatMap((d) => d?.containerDefinitions ?? []).find((c) => c.command?.includes("--nthreads"))?.command ??
    [];
  expect(workerCommand[workerCommand.indexOf("--nthreads") + 1]).toBe("3");

  // The post step removes the cluster and, as keep-logs asked, leaves its log group, which is then the only thing left.
  const post = await step.post();
  expect(post.code, post.stdout + post.stderr).toBe(0);
  expect(tasksOf(clusterId).map((t) => t.lastStatus)).toEqual(["STOPPED", "STOPPED"]);
  const logGroup = `/dask-fargate-action/${clusterId}`;
  expect(await awsLeftovers(observer, clusterId)).toEqual([`log group ${logGroup}`]);
  await observer.logs.send(new DeleteLogGroupCommand({ logGroupName: logGroup }));
  expect(await awsLeftovers(observer, clusterId)).toEqual([]);
});

test("a bad value of a gained input fails the step before anything is created, naming the input", async () => {
  const clusterId = `settings-${randomBytes(3).toString("hex")}`;
  const step = await runnerStep({ ...emulator.env, ...github, GITHUB_RUN_ID: "3002" });
  steps.push(step);
  const up = await step.main({
    command: "up",
    backend: "fargate",
    image: "dask:settings",
    "cluster-id": clusterId,
    "ephemeral-storage": "lots",
  });
  expect(up.code).toBe(1);
  expect(up.stdout).toContain('::error::ephemeral-storage: "lots" is not a whole number');
  expect(tasksOf(clusterId)).toEqual([]);
  expect(await awsLeftovers(observer, clusterId)).toEqual([]);
});
