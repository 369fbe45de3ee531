import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { EcsApi } from "../src/ecs-api.js";
import { Lifecycle, type Timing } from "../src/lifecycle.js";
import type { MotoClients } from "../src/moto-clients.js";
import { NoneExecutor } from "../src/none-executor.js";
import { seededRng } from "../src/rng.js";
import type { TaskRecord, TaskStatus } from "../src/task-record.js";
import { TaskStore } from "../src/task-store.js";
import type { Throttle } from "../src/token-bucket.js";

export const ZERO_TIMING: Timing = {
  connectivityMs: 0,
  provisioningMs: 0,
  secretsAt: "pull-start",
  pullBaseMs: 0,
  pullMsPerMiB: 0,
  activatingMs: 0,
  deactivatingMs: 0,
  deprovisioningMs: 0,
  jitter: 0,
  spotWarningMs: 0,
};

export const CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/c1";

export const taskDefinition = (over: Partial<TaskDefinition> = {}): TaskDefinition => ({
  family: "fam",
  revision: 1,
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/fam:1",
  status: "ACTIVE",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  containerDefinitions: [
    { name: "dask", image: "img", command: ["default"], environment: [{ name: "A", value: "1" }] },
  ],
  ...over,
});

/**
 * A stand-in for moto's ECS and EC2 answers: one ACTIVE cluster "c1", task definitions by family, subnets
 * subnet-1/subnet-2 in vpc-1 and subnet-9 in vpc-9. Commands are told apart by class name.
 */
export const ECS_TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export function fakeMoto(
  defs: Record<string, TaskDefinition> = { fam: taskDefinition() },
  defTags = [{ key: "from-def", value: "yes" }],
  /** Role name → trust policy JSON. */
  roles: Record<string, string> = { exec: ECS_TRUST, "ec2-only": ECS_TRUST.replace("ecs-tasks", "ec2") },
) {
  const subnets = [
    { SubnetId: "subnet-1", VpcId: "vpc-1", CidrBlock: "172.31.0.0/20", AvailabilityZone: "us-east-1a" },
    { SubnetId: "subnet-2", VpcId: "vpc-1", CidrBlock: "172.31.16.0/20", AvailabilityZone: "us-east-1b" },
    { SubnetId: "subnet-9", VpcId: "vpc-9", CidrBlock: "10.9.0.0/24", AvailabilityZone: "us-east-1c" },
  ];
  const fail = (name: string, message: string) => Object.assign(new Error(message), { name });
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const input = command.input;
    switch (command.constructor.name) {
      case "DescribeClustersCommand": {
        const ref = (input["clusters"] as string[])[0];
        return ref === "c1" || ref === CLUSTER_ARN
          ? { clusters: [{ clusterArn: CLUSTER_ARN, clusterName: "c1", status: "ACTIVE" }], failures: [] }
          : { clusters: [], failures: [{ arn: ref, reason: "MISSING" }] };
      }
      case "GetRoleCommand": {
        const document = roles[String(input["RoleName"])];
        if (document === undefined) throw fail("NoSuchEntity", "The role cannot be found.");
        return { Role: { RoleName: input["RoleName"], AssumeRolePolicyDocument: encodeURIComponent(document) } };
      }
      case "ListTaskDefinitionsCommand":
        return {
          taskDefinitionArns: Object.values(defs)
            .filter((d) => d.family === input["familyPrefix"] && d.status === "ACTIVE")
            .map((d) => d.taskDefinitionArn),
        };
      case "DescribeTaskDefinitionCommand": {
        const ref = String(input["taskDefinition"]);
        const def = defs[ref] ?? defs[ref.split(":")[0] ?? ""];
        if (!def) throw fail("ClientException", "Unable to describe task definition.");
        return { taskDefinition: def, tags: defTags };
      }
      case "DescribeSubnetsCommand": {
        const ids = input["SubnetIds"] as string[];
        const missing = ids.find((id) => !subnets.some((s) => s.SubnetId === id));
        if (missing) throw fail("InvalidSubnetID.NotFound", `The subnet ID '${missing}' does not exist`);
        return { Subnets: subnets.filter((s) => ids.includes(s.SubnetId)) };
      }
      case "ListAccountSettingsCommand":
        // One setting a user set (moto keeps those and answers only them).
        return { settings: [{ name: "containerInsights", value: "enabled" }] };
      case "DescribeSecurityGroupsCommand":
        return {
          SecurityGroups: (input["GroupIds"] as string[]).map((GroupId) => ({
            GroupId,
            VpcId: GroupId === "sg-9" ? "vpc-9" : "vpc-1",
          })),
        };
      default:
        throw new Error(`the fake moto has no ${command.constructor.name}`);
    }
  };
  const clients = { ecs: { send }, ec2: { send }, iam: { send } } as unknown as MotoClients;
  return () => clients;
}

/** An EcsApi over the fake moto, a NoneExecutor and instant phases; records every status change. */
export function fakeEcs(
  options: {
    defs?: Record<string, TaskDefinition>;
    capacityFailures?: number;
    throttle?: Throttle;
    now?: () => number;
    timing?: Partial<Timing>;
    /** The secrets resolver the lifecycle calls (default: no secrets). */
    resolveSecrets?: (task: TaskRecord) => Promise<Map<string, Record<string, string>>>;
  } = {},
) {
  const now = options.now ?? Date.now;
  const store = new TaskStore(now);
  const executor = new NoneExecutor();
  const statuses = new Map<string, TaskStatus[]>();
  const lifecycle = new Lifecycle({
    executor,
    timing: { ...ZERO_TIMING, ...options.timing },
    rng: seededRng(7),
    now,
    resolveSecrets: options.resolveSecrets ?? (async () => new Map()),
    prepare: async () => {},
    eni: (task: TaskRecord) => ({
      cidr: task.attachment.subnetId === "subnet-9" ? "10.9.0.0/24" : "172.31.0.0/20",
      eniId: `eni-${task.taskId.slice(0, 8)}`,
      mac: "02:00:00:00:00:01",
    }),
    onStatus: (task, status) => statuses.set(task.taskArn, [...(statuses.get(task.taskArn) ?? []), status]),
  });
  let capacity = options.capacityFailures ?? 0;
  const api = new EcsApi({
    store,
    lifecycle,
    moto: fakeMoto(options.defs),
    rng: seededRng(3),
    now,
    throttle: () => options.throttle,
    subnets: new Map(),
    capacityFailures: () => {
      const n = capacity;
      capacity = 0;
      return n;
    },
  });
  return { api, store, lifecycle, executor, statuses };
}

export const runInput = (over: Record<string, unknown> = {}) => ({
  cluster: "c1",
  taskDefinition: "fam",
  launchType: "FARGATE",
  networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
  ...over,
});

/** Waits until `check` holds (the lifecycle runs on timers). */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
}
