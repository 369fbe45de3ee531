import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
} from "@aws-sdk/client-ec2";
import { DescribeTasksCommand } from "@aws-sdk/client-ecs";
import { CreateRoleCommand, DeleteRoleCommand } from "@aws-sdk/client-iam";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { losses, trainingImage } from "@dask-fargate-action/testkit/training";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { fargateClusterLogs } from "../src/fargate/fargate-logs.js";
import {
  type AwsClients,
  type ClusterHandle,
  type ClusterSpecInput,
  createAwsClients,
  downFargateCluster,
  type FargateSpecInput,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  runFargateJob,
  setupRoles,
  upFargateCluster,
} from "../src/index.js";
import { parseRegistrations, type StartTimeline, withRegistrations } from "../src/start-timeline.js";
import { recorder } from "./integration/helpers.js";

// The Fargate backend end to end on the emulator: every task is a container made from our task
// definitions, so the TLS preamble, the lifetime wrapper, workers finding the scheduler at its private
// IP, the job's wait for workers and the awslogs output read back through CloudWatch Logs all run for real.
const region = "us-east-1";
let emulator: Emulator;
let clients: AwsClients;
let image: string;

const small = { schedulerMemory: "2GB", workerCpu: 1, workerMemory: "2GB" } as const;
/** The start timeline of the latest `up`. */
let lastTimeline: StartTimeline | undefined;
async function up(input: Partial<ClusterSpecInput>, fargateInput: Partial<FargateSpecInput> = {}) {
  const spec = resolveClusterSpec({ image, clusterId: newClusterId(), workers: 2, ...small, ...input });
  return upFargateCluster(spec, resolveFargateSpec({ region, ...fargateInput }, spec), {
    clients,
    logger: recorder(),
    onStartTimeline: (timeline) => {
      lastTimeline = timeline;
    },
  });
}
async function down(handle: ClusterHandle) {
  await downFargateCluster(
    { clusterId: handle.clusterId, resources: handle.fargate },
    { clients, tlsDir: handle.tlsDir },
  );
  expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
}
async function train(handle: ClusterHandle, command: string, onLine: (line: string) => void = () => {}) {
  const lines: string[] = [];
  const onOutput = (line: string) => {
    lines.push(line);
    onLine(line);
  };
  const result = await runFargateJob(
    handle,
    { command, runsOn: "cluster", workdir: ".", onOutput },
    { clients, pollMs: 500 },
  );
  return { ...result, lines };
}

beforeAll(async () => {
  image = await trainingImage(inject("daskImage"));
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  await resetEndpoint();
});

/** Points the SDK back at the suite's moto for the test files that follow. */
async function resetEndpoint() {
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
}

describe("a TLS cluster on the emulator trains XGBoost from a job task", () => {
  let handle: ClusterHandle;
  beforeAll(async () => {
    handle = await up({});
  });
  afterAll(async () => {
    if (handle) await down(handle);
  });

  test("the job waits for both workers, trains with falling loss, and its log comes back through CloudWatch Logs", async () => {
    expect(handle.schedulerAddress).toMatch(/^tls:\/\/\d+\.\d+\.\d+\.\d+:8786$/);
    const result = await train(handle, "python3 /opt/train/train_xgboost.py --rows 20000 --rounds 10 --partitions 4");
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(result.lines.join("\n")).toMatch(/connected to tls:\/\/\S+ with 2 workers/);
    const values = losses(result.lines);
    expect(values).toHaveLength(10);
    expect(values.at(-1)).toBeLessThan((values[0] ?? 0) * 0.9);
  });

  test("the start's picture: ECS's timestamps of the 3 tasks, and each worker's registration from the scheduler's real log", async () => {
    const timeline = lastTimeline;
    expect(timeline?.members.map((m) => m.role)).toEqual(["scheduler", "worker", "worker"]);
    // The scheduler's stream alone (its prefix), read through CloudWatch Logs; workers are named by their address.
    const logs = await fargateClusterLogs(clients, handle.clusterId, { tail: 10_000, schedulerOnly: true });
    expect(logs.map((l) => l.member.split("/")[0])).toEqual(["scheduler"]);
    const registrations = parseRegistrations(logs.flatMap((l) => l.lines));
    expect(registrations.length).toBeGreaterThanOrEqual(2);
    const drawn = withRegistrations(timeline ?? { backend: "fargate", startedAt: 0, members: [] }, registrations);
    for (const worker of drawn.members.filter((m) => m.role === "worker")) {
      expect(worker.pullStartedAt, worker.member).toBeGreaterThanOrEqual(worker.createdAt ?? Number.POSITIVE_INFINITY);
      expect(worker.startedAt, worker.member).toBeGreaterThanOrEqual(worker.pullStoppedAt ?? Number.POSITIVE_INFINITY);
      // Dask logs with second-and-millisecond precision, ECS's startedAt is when the container was running.
      expect(worker.registeredAt, worker.member).toBeGreaterThanOrEqual(
        (worker.startedAt ?? Number.POSITIVE_INFINITY) - 2000,
      );
    }
  });

  test("a job over its task's memory is killed: the result carries the container's OutOfMemoryError", async () => {
    // The job task has the scheduler's size; writing past it makes the kernel kill the container, as on Fargate.
    const result = await train(
      handle,
      `python3 -c "print('allocating', flush=True); b = b'x' * (${handle.spec.schedulerMemory * 2} * 1024 * 1024)"`,
    );
    expect(result.exitCode).toBe(137);
    expect(result.reason).toContain("OutOfMemoryError: Container killed due to memory usage");
    expect(result.lines).toContain("allocating");
  });

  test("a failing job returns its exit code", async () => {
    const result = await train(handle, "python3 -c 'import sys; print(\"bad data\"); sys.exit(3)'");
    expect(result.exitCode).toBe(3);
    expect(result.lines).toContain("bad data");
  });
});

test("Spot workers in a user VPC with its own subnets start, train and stop cleanly", async () => {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }));
  const subnet = await clients.ec2.send(
    new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId ?? "", CidrBlock: "10.40.1.0/24" }),
  );
  // A private subnet pulls through a NAT gateway, as on AWS (preflight refuses one without a way out).
  const natSubnet = await clients.ec2.send(
    new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId ?? "", CidrBlock: "10.40.2.0/24" }),
  );
  const address = await clients.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
  const nat = await clients.ec2.send(
    new CreateNatGatewayCommand({
      SubnetId: natSubnet.Subnet?.SubnetId ?? "",
      AllocationId: address.AllocationId ?? "",
    }),
  );
  const table = await clients.ec2.send(new CreateRouteTableCommand({ VpcId: vpc.Vpc?.VpcId ?? "" }));
  const tableId = table.RouteTable?.RouteTableId ?? "";
  await clients.ec2.send(
    new CreateRouteCommand({
      RouteTableId: tableId,
      DestinationCidrBlock: "0.0.0.0/0",
      NatGatewayId: nat.NatGateway?.NatGatewayId ?? "",
    }),
  );
  await clients.ec2.send(
    new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnet.Subnet?.SubnetId ?? "" }),
  );
  const handle = await up(
    { workers: 2 },
    { spotWorkers: true, subnets: [subnet.Subnet?.SubnetId ?? ""], assignPublicIp: false },
  );
  try {
    expect(handle.schedulerAddress).toMatch(/^tls:\/\/\d+\.\d+\.\d+\.\d+:8786$/);
    const result = await train(handle, "python3 /opt/train/train_xgboost.py --rows 10000 --rounds 5 --partitions 4");
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(losses(result.lines)).toHaveLength(5);
    // The workers ran on Spot capacity (the scheduler on demand), in the user's subnet.
    const workers = await clients.ecs.send(
      new DescribeTasksCommand({
        cluster: handle.fargate?.ecsCluster ?? "",
        tasks: [...(handle.fargate?.workerTaskArns ?? [])],
      }),
    );
    expect(workers.tasks?.map((t) => t.capacityProviderName)).toEqual(["FARGATE_SPOT", "FARGATE_SPOT"]);
    const [scheduler] =
      (
        await clients.ecs.send(
          new DescribeTasksCommand({
            cluster: handle.fargate?.ecsCluster ?? "",
            tasks: [handle.fargate?.schedulerTaskArn ?? ""],
          }),
        )
      ).tasks ?? [];
    expect(scheduler?.launchType).toBe("FARGATE");
    expect(scheduler?.capacityProviderName).not.toBe("FARGATE_SPOT");
  } finally {
    await down(handle);
  }
});

describe("how workers learn the scheduler's address, on real containers with real Dask", () => {
  interface Seen {
    readonly taskArn: string;
    readonly startedBy?: string;
    readonly createdAt: number;
    readonly connectivityAt?: number;
  }
  const seen = (clusterId: string) => (emulator.state()["tasks"] as Seen[]).filter((t) => t.startedBy === clusterId);
  let connectivityMs = 0;
  beforeAll(() => {
    // The scheduler's IP 2 s after its RunTask: workers launched right after it are launched before it has one.
    connectivityMs = (emulator.state()["timing"] as { connectivityMs: number }).connectivityMs;
    emulator.setTiming({ connectivityMs: 2000 });
  });
  afterAll(() => {
    emulator.setTiming({ connectivityMs });
  });

  test("with the managed task role, workers launched before the scheduler has an IP look it up through ECS and join it", async () => {
    await setupRoles(clients, {});
    const handle = await up({ workers: 2 });
    try {
      const tasks = seen(handle.clusterId);
      const scheduler = tasks.find((t) => t.taskArn === handle.fargate?.schedulerTaskArn);
      const workers = tasks.filter((t) => t !== scheduler);
      expect(workers).toHaveLength(2);
      for (const worker of workers) expect(worker.createdAt).toBeLessThan(scheduler?.connectivityAt ?? 0);
      const result = await train(handle, "python3 /opt/train/train_xgboost.py --rows 5000 --rounds 3 --partitions 2");
      expect(result.exitCode, result.lines.join("\n")).toBe(0);
      expect(result.lines.join("\n")).toMatch(/connected to tls:\/\/\S+ with 2 workers/);
    } finally {
      await down(handle);
    }
  });

  test("with a task role of your own (no find-scheduler policy), workers are launched after the scheduler's IP, with it, and join it", async () => {
    const name = `dfa-own-task-role-${newClusterId()}`;
    const trust = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
    const taskRoleArn =
      (
        await clients.iam.send(
          new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
        )
      ).Role?.Arn ?? "";
    const handle = await up({ workers: 2 }, { taskRoleArn });
    try {
      const tasks = seen(handle.clusterId);
      const scheduler = tasks.find((t) => t.taskArn === handle.fargate?.schedulerTaskArn);
      for (const worker of tasks.filter((t) => t !== scheduler))
        expect(worker.createdAt).toBeGreaterThanOrEqual(scheduler?.connectivityAt ?? Number.POSITIVE_INFINITY);
      const result = await train(handle, "python3 /opt/train/train_xgboost.py --rows 5000 --rounds 3 --partitions 2");
      expect(result.exitCode, result.lines.join("\n")).toBe(0);
      expect(result.lines.join("\n")).toMatch(/connected to tls:\/\/\S+ with 2 workers/);
    } finally {
      await down(handle);
      await clients.iam.send(new DeleteRoleCommand({ RoleName: name }));
    }
  });
});

describe("faults are reported with the task, its stop code and reason, and leave nothing", () => {
  // The job reports when it runs (after its wait for the workers), then outlives the fault.
  const waitJob = 'python3 -c \'import time; print("job running", flush=True); time.sleep(20); print("job done")\'';
  /** Runs the job and applies `fault` once the job's first line arrived (read back from CloudWatch Logs). */
  const jobWithFault = (handle: ClusterHandle, fault: () => unknown) => {
    let faulted = false;
    return train(handle, waitJob, (line) => {
      if (line === "job running" && !faulted) {
        faulted = true;
        void fault();
      }
    });
  };

  test("a worker killed during the job is reported and replaced", async () => {
    const handle = await up({ workers: 2 });
    try {
      const victim = handle.fargate?.workerTaskArns[0] ?? "";
      const result = await jobWithFault(handle, () => emulator.killTask(victim, 137));
      expect(result.exitCode, result.lines.join("\n")).toBe(0);
      expect(result.stoppedMembers).toEqual([
        expect.objectContaining({
          member: `${handle.clusterId}-worker ${victim.split("/").pop()}`,
          exitCode: 137,
          reason: expect.stringMatching(/^EssentialContainerExited/),
        }),
      ]);
      // Replaced on demand (not a Spot cluster); teardown then removes the replacement too (down() checks).
      expect(result.replacements).toEqual([
        expect.objectContaining({
          member: `${handle.clusterId}-worker ${victim.split("/").pop()}`,
          exitCode: 137,
          capacity: "FARGATE",
        }),
      ]);
    } finally {
      await down(handle);
    }
  });

  test("a Spot interruption of a worker during the job", async () => {
    const handle = await up({ workers: 1 }, { spotWorkers: true });
    try {
      const victim = handle.fargate?.workerTaskArns[0] ?? "";
      const result = await jobWithFault(handle, () => emulator.interruptSpot(victim));
      expect(result.stoppedMembers).toEqual([
        expect.objectContaining({
          member: `${handle.clusterId}-worker ${victim.split("/").pop()}`,
          reason: expect.stringMatching(/^SpotInterruption/),
        }),
      ]);
    } finally {
      await down(handle);
    }
  });

  test("a scheduler image that cannot be pulled fails the start with CannotPullContainerError, and everything is removed", async () => {
    const clusterId = newClusterId();
    const spec = resolveClusterSpec({ image: "127.0.0.1:9/missing/dask:1", clusterId, workers: 1, ...small });
    const error = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), {
      clients,
      logger: recorder(),
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/scheduler \S+ stopped .*TaskFailedToStart: CannotPullContainerError/);
    expect(await awsLeftovers(clients, clusterId)).toEqual([]);
  });

  test("the hard lifetime inside the containers ends a cluster whose idle timeout is far off", async () => {
    // resolveClusterSpec refuses lifetimes under 5 minutes; the wrapper itself is what is under test here,
    // so the validated spec is shortened after validation.
    const validated = resolveClusterSpec({
      image,
      clusterId: newClusterId(),
      workers: 1,
      ...small,
      idleTimeout: "30m",
    });
    const spec = { ...validated, maxLifetime: 15 };
    const handle = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), { clients, logger: recorder() });
    try {
      const arns = [handle.fargate?.schedulerTaskArn ?? "", ...(handle.fargate?.workerTaskArns ?? [])];
      const statuses = await untilStopped(handle, arns, 90_000);
      // coreutils timeout exits 124 when it ended the command.
      expect(statuses).toEqual(["STOPPED 124", "STOPPED 124"]);
    } finally {
      await down(handle);
    }
  });

  test("the scheduler's idle timeout ends an abandoned cluster on its own", async () => {
    const handle = await up({ workers: 1, idleTimeout: "10s", deathTimeout: "20s" });
    try {
      const arns = [handle.fargate?.schedulerTaskArn ?? "", ...(handle.fargate?.workerTaskArns ?? [])];
      const statuses = await untilStopped(handle, arns, 120_000);
      expect(statuses.map((s) => s.split(" ")[0])).toEqual(["STOPPED", "STOPPED"]);
    } finally {
      await down(handle);
    }
  });
});

/** Polls the tasks (nothing else touches them) until all are STOPPED; "STATUS EXITCODE" per task. */
async function untilStopped(handle: ClusterHandle, arns: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let statuses: string[] = [];
  while (Date.now() < deadline) {
    const described = await clients.ecs.send(
      new DescribeTasksCommand({ cluster: handle.fargate?.ecsCluster ?? "", tasks: arns }),
    );
    statuses = arns.map((arn) => {
      const task = described.tasks?.find((t) => t.taskArn === arn);
      return `${task?.lastStatus} ${task?.containers?.[0]?.exitCode ?? ""}`.trim();
    });
    if (statuses.every((s) => s.startsWith("STOPPED"))) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return statuses;
}
