import { CreateRoleCommand, DeleteRoleCommand } from "@aws-sdk/client-iam";
import { type Emulator, startEmulator, type Timing } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  createAwsClients,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  setupRoles,
  upFargateCluster,
} from "../src/index.js";
import type { StartTimeline } from "../src/start-timeline.js";

// The emulator's realistic delays divided by 20, with the secrets read at connectivityAt: the earliest moment the
// ECS agent allows (its secrets are task resources with no dependency but the execution role's credentials). A start
// whose workers read the scheduler's address from a secret filled in later loses workers here (the emulator's own
// emulator-none.itest.ts replays it); ours must not lose or relaunch any. Tasks without containers.
const EARLY_SECRETS_SCALED: Partial<Timing> = {
  connectivityMs: 200,
  provisioningMs: 900,
  secretsAt: "connectivity",
  pullBaseMs: 800,
  pullMsPerMiB: 0,
  activatingMs: 25,
  deactivatingMs: 50,
  deprovisioningMs: 100,
  jitter: 0.25,
};

interface Seen {
  readonly taskArn: string;
  readonly startedBy?: string;
  readonly lastStatus: string;
  readonly stopCode?: string;
  readonly createdAt: number;
  readonly connectivityAt?: number;
  readonly taskDefinitionArn: string;
  readonly overrides: { readonly containerOverrides: readonly { readonly command?: readonly string[] }[] };
}

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: EARLY_SECRETS_SCALED, seed: 21 });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
});

afterAll(async () => {
  await emulator?.stop();
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

/** A task role of the user's own, without the find-scheduler policy: `up` cannot know it lets workers look their scheduler up. */
async function ownTaskRole(clients: ReturnType<typeof createAwsClients>): Promise<string> {
  const name = `dfa-own-task-role-${newClusterId()}`;
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  const role = await clients.iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  return role.Role?.Arn ?? "";
}

describe("the start does not depend on when ECS reads the workers' secrets", () => {
  test.each([
    ["the managed task role: workers launched right after the scheduler, before its IP, with its task ARN", "managed"],
    ["a task role of your own: workers launched after the scheduler's IP with it in their overrides", "own"],
  ])("secrets read at connectivityAt: 1+20 all RUNNING, none stopped or launched again; %s", async (_name, role) => {
    const spec = resolveClusterSpec({
      image: "dask:order",
      clusterId: newClusterId(),
      workers: 20,
      workerCpu: 1,
      workerMemory: "2GB",
      allowUnboundedCost: true,
    });
    expect(spec.tls).toBe(true);
    const clients = createAwsClients({ region: "us-east-1" });
    if (role === "managed") await setupRoles(clients, {});
    const taskRoleArn = role === "own" ? await ownTaskRole(clients) : undefined;
    const timelines: StartTimeline[] = [];
    const handle = await upFargateCluster(
      spec,
      resolveFargateSpec({ region: "us-east-1", ...(taskRoleArn ? { taskRoleArn } : {}) }, spec),
      {
        clients,
        onStartTimeline: (t) => timelines.push(t),
      },
    );
    const tasks = (emulator.state()["tasks"] as Seen[]).filter((t) => t.startedBy === spec.clusterId);
    // The start's timeline, once, from ECS's own timestamps of every task (DescribeTasks), in the order of a start.
    expect(timelines).toHaveLength(1);
    const timeline = timelines[0];
    expect(timeline?.members.map((m) => m.role)).toEqual(["scheduler", ...Array(20).fill("worker")]);
    for (const member of timeline?.members ?? []) {
      const task = tasks.find(
        (t) =>
          member.member ===
          (t.taskArn === handle.fargate.schedulerTaskArn ? "scheduler" : `worker ${t.taskArn.split("/").pop()}`),
      );
      // The emulator's state keeps epoch seconds, like the API.
      expect(Math.abs((member.createdAt ?? 0) - (task?.createdAt ?? 0) * 1000), member.member).toBeLessThanOrEqual(1);
      expect(member.createdAt).toBeGreaterThanOrEqual(timeline?.startedAt ?? 0);
      expect(member.pullStartedAt).toBeGreaterThanOrEqual(member.createdAt ?? Number.POSITIVE_INFINITY);
      expect(member.pullStoppedAt).toBeGreaterThanOrEqual(member.pullStartedAt ?? Number.POSITIVE_INFINITY);
      expect(member.startedAt).toBeGreaterThanOrEqual(member.pullStoppedAt ?? Number.POSITIVE_INFINITY);
      expect(member.failure).toBeUndefined();
      if (member.role === "worker") expect(member.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    expect(tasks).toHaveLength(21);
    expect(tasks.filter((t) => t.lastStatus !== "RUNNING" || t.stopCode !== undefined)).toEqual([]);
    const scheduler = tasks.find((t) => t.taskArn === handle.fargate?.schedulerTaskArn);
    const workers = tasks.filter((t) => t !== scheduler);
    const ip = handle.schedulerAddress.replace(/^tls:\/\/|:8786$/g, "");
    for (const worker of workers) {
      const override = JSON.stringify(worker.overrides.containerOverrides);
      expect(override).not.toMatch(/BEGIN|PRIVATE KEY/);
      if (role === "own") {
        // RunTask after the scheduler's ENI had its IP, and the address in the command override.
        expect(worker.createdAt).toBeGreaterThanOrEqual(scheduler?.connectivityAt ?? Number.POSITIVE_INFINITY);
        expect(override).toContain(`tls://${ip}:8786`);
      } else {
        // RunTask before the scheduler had its IP: the override names the scheduler's task, not its address.
        expect(worker.createdAt).toBeLessThan(scheduler?.connectivityAt ?? 0);
        expect(override).toContain(`{"name":"DFA_SCHEDULER_TASK","value":"${scheduler?.taskArn}"}`);
        expect(override).not.toContain(ip);
      }
    }
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
    if (taskRoleArn) await clients.iam.send(new DeleteRoleCommand({ RoleName: taskRoleArn.split("/").pop() ?? "" }));
  });
});
