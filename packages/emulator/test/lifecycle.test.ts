import { describe, expect, test } from "vitest";
import { handleEc2 } from "../src/ec2-api.js";
import { TaskStartError } from "../src/errors.js";
import { NoneExecutor } from "../src/none-executor.js";
import type { TaskRecord } from "../src/task-record.js";
import { fakeEcs, runInput, until } from "./fakes.js";

// biome-ignore lint/suspicious/noExplicitAny: answers are ECS's JSON, checked field by field below
type Json = any;

async function started(ecs: ReturnType<typeof fakeEcs>, over: Record<string, unknown> = {}): Promise<TaskRecord> {
  const arn = ((await ecs.api.handle("RunTask", runInput(over), "us-east-1")) as Json)["tasks"][0].taskArn;
  const task = ecs.store.byArn(arn);
  if (!task) throw new Error("no task");
  return task;
}

// Developer guide, "Amazon ECS task lifecycle"; facts.md "Task lifecycle and addresses".
describe("Fargate task lifecycle", () => {
  test("PROVISIONING → PENDING → ACTIVATING → RUNNING, then DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED on StopTask", async () => {
    const ecs = fakeEcs();
    const task = await started(ecs);
    await until(() => task.lastStatus === "RUNNING");
    expect(task.pullStartedAt).toBeDefined();
    expect(task.pullStoppedAt).toBeDefined();
    expect(task.startedAt).toBeDefined();
    expect(task.containers[0]?.lastStatus).toBe("RUNNING");
    await ecs.api.handle("StopTask", { cluster: "c1", task: task.taskArn }, "us-east-1");
    await ecs.lifecycle.settled(task);
    expect(ecs.statuses.get(task.taskArn)).toEqual([
      "PENDING",
      "ACTIVATING",
      "RUNNING",
      "DEACTIVATING",
      "STOPPING",
      "DEPROVISIONING",
      "STOPPED",
    ]);
    expect(task.stopCode).toBe("UserInitiated");
    expect(task.stoppedReason).toBe("Task stopped by user");
    expect(task.stoppedAt).toBeGreaterThanOrEqual(task.stoppingAt ?? Number.POSITIVE_INFINITY);
    expect(task.attachment.status).toBe("DELETED");
    expect(task.containers[0]).toMatchObject({ lastStatus: "STOPPED", exitCode: 0 });
    expect(ecs.lifecycle.active).toBe(0);
  });

  test("the ENI's id and private IP appear before the task runs, from its subnet's block", async () => {
    const ecs = fakeEcs();
    const task = await started(ecs);
    let atPending: string | undefined;
    await until(() => {
      if (task.lastStatus === "PENDING") atPending = task.attachment.privateIPv4Address;
      return task.lastStatus === "RUNNING";
    });
    expect(atPending ?? task.attachment.privateIPv4Address).toBe("172.31.0.4");
    expect(task.attachment.networkInterfaceId).toMatch(/^eni-/);
  });

  test("an essential container's exit stops the task with EssentialContainerExited and its exit code", async () => {
    const ecs = fakeEcs();
    const task = await started(ecs);
    await until(() => task.lastStatus === "RUNNING");
    ecs.lifecycle.containerExited(task, "dask", { exitCode: 3 });
    await ecs.lifecycle.settled(task);
    expect(task).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    });
    expect(task.containers[0]?.exitCode).toBe(3);
  });

  test("a non-essential container's exit leaves the task running", async () => {
    const ecs = fakeEcs({
      defs: {
        fam: {
          ...(await import("./fakes.js")).taskDefinition(),
          containerDefinitions: [
            { name: "dask", image: "img" },
            { name: "sidecar", image: "img", essential: false },
          ],
        },
      },
    });
    const task = await started(ecs);
    await until(() => task.lastStatus === "RUNNING");
    ecs.lifecycle.containerExited(task, "sidecar", { exitCode: 1 });
    expect(task.desiredStatus).toBe("RUNNING");
    expect(task.containers[1]?.exitCode).toBe(1);
  });

  test("a pull failure stops the task with TaskFailedToStart and CannotPullContainerError, never RUNNING", async () => {
    const ecs = fakeEcs();
    const reason = "CannotPullContainerError: pull image manifest has been retried 1 time(s): not found";
    ecs.executor.pull = async () => {
      throw new TaskStartError(reason);
    };
    const task = await started(ecs);
    await ecs.lifecycle.settled(task);
    expect(ecs.statuses.get(task.taskArn)).toEqual(["PENDING", "DEPROVISIONING", "STOPPED"]);
    expect(task).toMatchObject({ stopCode: "TaskFailedToStart", stoppedReason: reason });
    expect(task.startedAt).toBeUndefined();
    expect(task.containers[0]).toMatchObject({ lastStatus: "STOPPED", reason });
    expect(task.containers[0]?.exitCode).toBeUndefined();
  });

  test("an unforeseen failure while starting (the engine went away) stops the task with an InternalError reason", async () => {
    const ecs = fakeEcs();
    ecs.executor.create = async () => {
      throw new Error("connect ENOENT /var/run/docker.sock");
    };
    const task = await started(ecs);
    await ecs.lifecycle.settled(task);
    expect(task).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: "InternalError: connect ENOENT /var/run/docker.sock",
    });
  });

  test("a Spot interruption stops a FARGATE_SPOT task with SpotInterruption; on-demand tasks cannot be interrupted", async () => {
    const ecs = fakeEcs();
    const spot = await started(ecs, {
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    const onDemand = await started(ecs);
    await until(() => spot.lastStatus === "RUNNING" && onDemand.lastStatus === "RUNNING");
    expect(() => ecs.lifecycle.interruptSpot(onDemand)).toThrow(/not on FARGATE_SPOT/);
    ecs.lifecycle.interruptSpot(spot);
    await ecs.lifecycle.settled(spot);
    expect(spot).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "SpotInterruption",
      stoppedReason: "Your Spot Task was interrupted.",
    });
  });

  test("StopTask during PROVISIONING ends the task without starting it", async () => {
    const ecs = fakeEcs();
    const task = await started(ecs);
    ecs.lifecycle.stop(task, "UserInitiated", "early");
    await ecs.lifecycle.settled(task);
    expect(task.lastStatus).toBe("STOPPED");
    expect(task.startedAt).toBeUndefined();
    expect(ecs.statuses.get(task.taskArn)).not.toContain("RUNNING");
  });

  test("the pull takes longer for bigger images (Fargate caches no images; facts.md)", async () => {
    const ecs = fakeEcs({ timing: { pullBaseMs: 20, pullMsPerMiB: 1 } });
    ecs.executor.pull = async () => ({ sizeBytes: 200 * 1024 * 1024 });
    const task = await started(ecs);
    await until(() => task.lastStatus === "RUNNING");
    expect((task.pullStoppedAt ?? 0) - (task.pullStartedAt ?? 0)).toBeGreaterThanOrEqual(215);
  });

  test("--exec none hands out distinct addresses of a subnet, skipping the 4 AWS reserves", () => {
    const executor = new NoneExecutor();
    const fake = (id: string) => ({ taskArn: id }) as TaskRecord;
    expect([executor.allocateIp(fake("a"), "10.0.1.0/24"), executor.allocateIp(fake("b"), "10.0.1.0/24")]).toEqual([
      "10.0.1.4",
      "10.0.1.5",
    ]);
  });

  test("connectivityAt is set when the ENI is attached, before the pull (sample task event: connectivityAt 4 s, pullStartedAt 18 s)", async () => {
    const ecs = fakeEcs({ timing: { connectivityMs: 20, provisioningMs: 60 } });
    const task = await started(ecs);
    let seen: { connectivityAt?: number; ip?: string | undefined; status?: string } = {};
    await until(() => {
      if (task.connectivityAt !== undefined && seen.connectivityAt === undefined)
        seen = { connectivityAt: task.connectivityAt, ip: task.attachment.privateIPv4Address, status: task.lastStatus };
      return task.lastStatus === "RUNNING";
    }, 2000);
    expect(seen.status).toBe("PROVISIONING");
    expect(seen.ip).toBeDefined();
    expect(task.connectivityAt).toBeLessThan(task.pullStartedAt ?? 0);
    expect(task.connectivityAt).toBeLessThan(task.startedAt ?? 0);
    expect(task.attachment.status).toBe("ATTACHED");
  });

  // agent/engine/task_manager.go progressTask: resource transitions start with the container transitions.
  test.each([
    ["pull-start", "PROVISIONING", 1],
    ["connectivity", "PROVISIONING", 1],
  ] as const)("secretsAt %s: the secrets are read once, before the pull", async (secretsAt, status, times) => {
    const reads: { status: string; ip?: string; pullStarted?: number; elapsed: number }[] = [];
    let createdAt = 0;
    const ecs = fakeEcs({
      timing: { connectivityMs: 10, provisioningMs: 80, secretsAt },
      resolveSecrets: async (task) => {
        reads.push({
          status: task.lastStatus,
          elapsed: Date.now() - createdAt,
          ...(task.attachment.privateIPv4Address ? { ip: task.attachment.privateIPv4Address } : {}),
          ...(task.pullStartedAt ? { pullStarted: task.pullStartedAt } : {}),
        });
        return new Map();
      },
    });
    createdAt = Date.now();
    const task = await started(ecs);
    await until(() => task.lastStatus === "RUNNING", 2000);
    expect(reads).toHaveLength(times);
    expect(reads[0]).toMatchObject({ status });
    expect(reads[0]?.ip).toBeDefined();
    expect(reads[0]?.pullStarted).toBeUndefined();
    // At connectivity: right after the ENI (10 ms); at pull start: after the whole provisioning (80 ms).
    if (secretsAt === "connectivity") expect(reads[0]?.elapsed).toBeLessThan(60);
    else expect(reads[0]?.elapsed).toBeGreaterThanOrEqual(75);
  });

  test("a secret that cannot be read stops the task at once with TaskFailedToStart and the agent's error: no pull, no container, no retry", async () => {
    const reason =
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
      "service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key scheduler";
    let reads = 0;
    const ecs = fakeEcs({
      timing: { connectivityMs: 5, provisioningMs: 200, secretsAt: "connectivity" },
      resolveSecrets: async () => {
        reads++;
        throw new TaskStartError(reason);
      },
    });
    let created = false;
    ecs.executor.create = async () => {
      created = true;
    };
    const task = await started(ecs);
    await ecs.lifecycle.settled(task);
    expect(ecs.statuses.get(task.taskArn)).toEqual(["DEPROVISIONING", "STOPPED"]);
    expect(task).toMatchObject({ stopCode: "TaskFailedToStart", stoppedReason: reason });
    expect(task.pullStartedAt).toBeUndefined();
    expect(task.startedAt).toBeUndefined();
    expect(task.containers[0]).toMatchObject({ lastStatus: "STOPPED", reason });
    expect(created).toBe(false);
    expect(reads).toBe(1);
    // Stopped well before the provisioning delay would have ended: the failure is not held until the pull.
    expect((task.stoppedAt ?? 0) - task.createdAt).toBeLessThan(150);
  });

  // Developer guide "Task lifecycle": DEPROVISIONING detaches and deletes the ENI; EC2 DeleteSecurityGroup answers
  // DependencyViolation while a network interface uses the group.
  test("DeleteSecurityGroup answers DependencyViolation from the ENI's attachment until the task is STOPPED, then goes to moto", async () => {
    const ecs = fakeEcs({ timing: { deprovisioningMs: 150 } });
    const task = await started(ecs, {
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } },
    });
    const del = () => handleEc2(new URLSearchParams({ Action: "DeleteSecurityGroup", GroupId: "sg-1" }), ecs.store);
    await until(() => task.lastStatus === "RUNNING");
    expect(del()).toMatchObject({ status: 400 });
    expect(JSON.stringify(del())).toContain("DependencyViolation");
    await ecs.api.handle("StopTask", { cluster: "c1", task: task.taskArn }, "us-east-1");
    await until(() => task.lastStatus === "DEPROVISIONING");
    expect(JSON.stringify(del())).toContain("DependencyViolation");
    await ecs.lifecycle.settled(task);
    expect(task.attachment.status).toBe("DELETED");
    expect(del()).toBeUndefined();
  });
});
