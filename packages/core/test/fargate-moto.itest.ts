import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, promisify } from "node:util";
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { awsLeftovers, taskDefinitionsLeft } from "@dask-fargate-action/testkit/aws-state";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { fargateClusterLogs } from "../src/fargate/fargate-logs.js";
import {
  LEGACY_OUTPUT_POLICY_PREFIX,
  OUTPUT_POLICY_NAME,
  outputWritePolicy,
} from "../src/fargate/fargate-output-access.js";
import { downloadJobOutputs } from "../src/fargate/fargate-outputs.js";
import { tagMap } from "../src/fargate/fargate-ownership.js";
import { bindPlan, plannedRequests } from "../src/fargate/fargate-plan.js";
import { reapFargateClusters } from "../src/fargate/fargate-reaper.js";
import { scaleFargateCluster } from "../src/fargate/fargate-scale.js";
import { FIND_SCHEDULER_POLICY_NAME, findSchedulerPolicy } from "../src/fargate/find-scheduler-access.js";
import { signManifest } from "../src/fargate/output-manifest.js";
import {
  type AwsClients,
  ClusterConfigError,
  type ClusterSpecInput,
  CoreError,
  createAwsClients,
  createBackend,
  downFargateCluster,
  type FargatePlan,
  type FargateSpecInput,
  fargateNames,
  newClusterId,
  PreflightError,
  resolveClusterSpec,
  resolveFargateSpec,
  runFargateJob,
  setupRoles,
  upFargateCluster,
} from "../src/index.js";
import { injectEcs, stoppedTasksExitWith } from "./integration/aws-faults.js";
import { recorder } from "./integration/helpers.js";
import { recordRequests, type SentRequest } from "./integration/request-log.js";
import { policyFile, policyFilePath, policyFileText } from "./policy-files.js";

const run = promisify(execFile);
const endpoint = inject("motoEndpoint");
const region = "us-east-1";
/** Every AWS operation the code under test sent, to check the documented IAM policy against. */
const operations = new Set<string>();
/** How many requests the code under test sent. */
let requests = 0;
/** The clients handed to the code under test (recorded, and where faults are injected). */
let clients: AwsClients;
/** The test's own clients, to arrange and inspect the account without being recorded. */
let observer: AwsClients;

const clusterSpec = (input: Partial<ClusterSpecInput> = {}) =>
  resolveClusterSpec({
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-0123456789abcdef",
    workers: 3,
    ...input,
  });
const up = (
  input: Partial<ClusterSpecInput> = {},
  fargateInput: Partial<FargateSpecInput> = {},
  logger = recorder(),
) => {
  const spec = clusterSpec(input);
  return upFargateCluster(spec, resolveFargateSpec({ region, ...fargateInput }, spec), { clients, logger });
};

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
  });
  await resetMoto(endpoint);
  clients = createAwsClients({
    region,
    onRequest: (service, operation) => {
      operations.add(`${service}:${operation}`);
      requests += 1;
    },
  });
  observer = createAwsClients({ region });
  // The one-time setup an administrator runs (dask-fargate setup-roles): the identity under test then
  // needs no IAM write, as the README's policy grants none.
  await setupRoles(observer);
});

describe("up and down leave nothing behind", () => {
  test.each([
    [
      "the managed task role: the worker batch carries the scheduler task's ARN for the workers to look its IP up",
      "managed",
    ],
    ["a task role of your own: the worker batch, sent once the scheduler's IP is known, carries its address", "own"],
  ])(
    "3 workers: one scheduler RunTask, then one worker batch; with %s; the secret holds the TLS files only",
    async (_name, role) => {
      const runs: Record<string, unknown>[] = [];
      const remove = injectEcs(clients, "record-runs", "RunTask", (input) => {
        runs.push(input);
        return undefined;
      });
      try {
        const taskRoleArn = (
          await observer.iam.send(new GetRoleCommand({ RoleName: fargateNames.taskRole })).catch(() => undefined)
        )?.Role?.Arn;
        const handle = await up({ clusterId: newClusterId() }, role === "own" && taskRoleArn ? { taskRoleArn } : {});
        expect(handle.schedulerAddress).toMatch(/^tls:\/\/10\.\d+\.\d+\.\d+:8786$/);
        expect(runs.map((r) => [r["taskDefinition"], r["count"]])).toEqual([
          [`${handle.clusterId}-scheduler`, 1],
          [`${handle.clusterId}-worker`, 3],
        ]);
        const overrides = JSON.stringify(runs[1]?.["overrides"]);
        if (role === "own") expect(overrides).toContain(handle.schedulerAddress);
        else {
          expect(overrides).toContain(`{"name":"DFA_SCHEDULER_TASK","value":"${handle.fargate?.schedulerTaskArn}"}`);
          expect(overrides).not.toContain(handle.schedulerAddress);
        }
        // No TLS material in any override.
        expect(overrides).not.toContain("PRIVATE KEY");
        expect(handle.fargate?.workerTaskArns).toHaveLength(3);
        // The key is only referenced by ARN in the task definition, never inlined.
        const definition = await observer.ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: `${handle.clusterId}-worker` }),
        );
        expect(JSON.stringify(definition)).not.toContain("PRIVATE KEY");
        expect(definition.taskDefinition?.containerDefinitions?.[0]?.secrets?.map((s) => s.name)).toEqual([
          "DFA_TLS_CA",
          "DFA_TLS_CERT",
          "DFA_TLS_KEY",
        ]);
        // The secret as created: the TLS files, every key there from the start, whenever ECS reads it.
        const secret = await observer.secrets.send(
          new GetSecretValueCommand({ SecretId: handle.fargate?.tlsSecretArn ?? "" }),
        );
        expect(Object.keys(JSON.parse(secret.SecretString ?? "{}")).sort()).toEqual(["ca", "cert", "key"]);
        const report = await downFargateCluster(
          { clusterId: handle.clusterId, resources: handle.fargate },
          { clients, tlsDir: handle.tlsDir },
        );
        expect(report.removed.filter((r) => r.startsWith("task ") && !r.startsWith("task definition"))).toHaveLength(4);
        expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
        expect((await downFargateCluster({ clusterId: handle.clusterId }, { clients })).removed).toEqual([]);
      } finally {
        remove();
      }
    },
  );

  test("25 workers: batches of 10, 10 and 5 with distinct client tokens, then a clean teardown", async () => {
    const tokens: string[] = [];
    const remove = injectEcs(clients, "record-tokens", "RunTask", (input) => {
      if (String(input["taskDefinition"]).endsWith("-worker")) tokens.push(`${input["count"]}:${input["clientToken"]}`);
      return undefined;
    });
    try {
      const handle = await up({ clusterId: newClusterId(), workers: 25 });
      expect(tokens.map((t) => t.split(":")[0])).toEqual(["10", "10", "5"]);
      expect(new Set(tokens).size).toBe(3);
      expect(handle.fargate?.workerTaskArns).toHaveLength(25);
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
      expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    } finally {
      remove();
    }
  });

  test("bring-your-own subnets, security group, roles and ECS cluster stay intact after down", async () => {
    const subnets = await observer.ec2.send(new DescribeSubnetsCommand({}));
    const subnet = subnets.Subnets?.[0];
    const group = await observer.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "team-dask",
        Description: "the team's own group",
        VpcId: subnet?.VpcId,
      }),
    );
    // The self rule the cluster's tasks need to reach each other (preflight refuses a group without it).
    await observer.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: group.GroupId }] },
        ],
      }),
    );
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const role = await observer.iam.send(
      new CreateRoleCommand({ RoleName: "team-dask-execution", AssumeRolePolicyDocument: trust }),
    );
    await observer.ecs.send(new CreateClusterCommand({ clusterName: "team-cluster" }));
    const handle = await up(
      { clusterId: newClusterId(), workers: 2 },
      {
        subnets: [subnet?.SubnetId ?? ""],
        // A default-VPC subnet: public, so the tasks need public IPs to pull (preflight checks the route).
        assignPublicIp: true,
        securityGroups: [group.GroupId ?? ""],
        executionRoleArn: role.Role?.Arn ?? "",
        taskRoleArn: role.Role?.Arn ?? "",
        ecsCluster: "team-cluster",
      },
    );
    expect(handle.fargate?.createdEcsCluster).toBe(false);
    expect(handle.fargate?.createdSecurityGroupId).toBeUndefined();
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    const clusters = await observer.ecs.send(new DescribeClustersCommand({ clusters: ["team-cluster"] }));
    expect(clusters.clusters?.[0]?.status).toBe("ACTIVE");
    expect(
      (await observer.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group.GroupId ?? ""] }))).SecurityGroups,
    ).toHaveLength(1);
    expect((await observer.iam.send(new GetRoleCommand({ RoleName: "team-dask-execution" }))).Role?.Arn).toBe(
      role.Role?.Arn,
    );
  });

  test("teardown from the serialised handle in another process", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 2 });
    const dir = await mkdtemp(join(tmpdir(), "dfa-handle-"));
    try {
      await writeFile(join(dir, "handle.json"), JSON.stringify(handle));
      const script = fileURLToPath(new URL("./integration/teardown-process.ts", import.meta.url));
      const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
      const { stdout } = await run(tsx, [script, join(dir, "handle.json")], { env: process.env }).catch(async () =>
        run(
          fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url)),
          [script, join(dir, "handle.json")],
          { env: process.env },
        ),
      );
      expect((JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { removed: string[] }).removed).toContain(
        `ECS cluster ${handle.clusterId}`,
      );
      expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a stale record that predates the security group still removes the group (found by its tags)", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 1 });
    const stale = handle.fargate ? { ...handle.fargate, createdSecurityGroupId: undefined } : undefined;
    const report = await downFargateCluster({ clusterId: handle.clusterId, resources: stale }, { clients });
    expect(report.removed).toContain(`security group ${handle.fargate?.createdSecurityGroupId}`);
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("teardown by cluster id alone finds everything by name and tags", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 2 });
    const report = await downFargateCluster({ clusterId: handle.clusterId }, { clients });
    expect(report.removed).toEqual(
      expect.arrayContaining([
        `ECS cluster ${handle.clusterId}`,
        `log group /dask-fargate-action/${handle.clusterId}`,
        `secret dask-fargate-action/${handle.clusterId}/tls`,
      ]),
    );
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("task definitions are deleted, not only deregistered: none of ours is listed ACTIVE or INACTIVE after down", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 1 });
    // An earlier, interrupted teardown deregistered the worker's revision but never deleted it.
    await observer.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${handle.clusterId}-worker:1` }));
    const report = await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(report.removed.filter((r) => r.startsWith("task definition "))).toEqual(
      ["job", "scheduler", "worker"].map((role) => `task definition ${handle.clusterId}-${role}:1`),
    );
    expect(await taskDefinitionsLeft(observer, handle.clusterId)).toEqual([]);
    expect(operations).toContain("ECS:DeleteTaskDefinitions");
  });
});

describe("the plan is what up sends", () => {
  test.each([
    [
      "TLS, a client CIDR with the dashboard, 12 workers in two batches",
      { workers: 12 },
      { clientCidr: "203.0.113.7/32", openDashboard: true },
    ],
    ["no TLS, no outside ingress, 1 worker", { workers: 1, tls: false }, {}],
  ])(
    "%s: every create request moto received is the plan's, in the plan's stages and lanes",
    async (_name, clusterInput, fargateInput) => {
      const sent: SentRequest[] = [];
      let plan: FargatePlan | undefined;
      const stop = recordRequests(clients, sent);
      const spec = clusterSpec({ clusterId: newClusterId(), ...clusterInput });
      let handle: Awaited<ReturnType<typeof upFargateCluster>> | undefined;
      try {
        handle = await upFargateCluster(spec, resolveFargateSpec({ region, ...fargateInput }, spec), {
          clients,
          logger: recorder(),
          onPlan: (p) => {
            plan = p;
          },
        });
      } finally {
        stop();
      }
      const resources = handle.fargate;
      const refs = {
        securityGroupId: resources?.createdSecurityGroupId,
        tlsSecretArn: resources?.tlsSecretArn,
        schedulerAddress: handle.schedulerAddress,
        schedulerTaskArn: resources?.schedulerTaskArn,
      };
      const expected = bindPlan(plannedRequests(plan as FargatePlan), refs);
      const planned = new Set(expected.map((r) => r.operation));
      // The reads (preflight, DescribeTasks, ...) are not planned; every request of a planned operation is.
      const received = sent
        .filter((r) => planned.has(r.operation))
        .map((r) => {
          // The secret's values are made during up and never planned or printed.
          const { SecretString: _value, ...input } = r.input;
          return { operation: r.operation, input: r.operation.startsWith("secretsmanager:") ? input : r.input };
        });
      expect(received).toHaveLength(expected.length);
      // Each planned request was received once (the first unmatched equal one)...
      const used = new Set<number>();
      const at = expected.map((request) => {
        const index = received.findIndex(
          (r, i) => !used.has(i) && r.operation === request.operation && isDeepStrictEqual(r.input, request.input),
        );
        expect(
          index,
          `${request.operation} as planned: ${JSON.stringify(request.input).slice(0, 300)}`,
        ).toBeGreaterThanOrEqual(0);
        used.add(index);
        return index;
      });
      // ...after every request of the stages before it, and after the requests before it in its lane.
      expected.forEach((request, i) => {
        expected.slice(0, i).forEach((earlier, j) => {
          if (earlier.stage < request.stage || earlier.lane === request.lane)
            expect(
              at[j],
              `${earlier.operation} (${earlier.lane}) before ${request.operation} (${request.lane})`,
            ).toBeLessThan(at[i] ?? -1);
        });
      });
      const workerRuns = received.filter((r) => r.operation === "ecs:RunTask").slice(1);
      expect(workerRuns.map((r) => r.input["count"])).toEqual(clusterInput.workers === 12 ? [10, 2] : [1]);
      expect(JSON.stringify(received)).not.toMatch(/<created:|<scheduler address>/);
      await downFargateCluster(
        { clusterId: handle.clusterId, resources: handle.fargate },
        { clients, tlsDir: handle.tlsDir },
      );
      expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    },
  );
});

describe("ingress", () => {
  test("the group admits itself on all TCP and the client CIDR on the scheduler port only; never 0.0.0.0/0 unless asked", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 1 }, { clientCidr: "203.0.113.7/32" });
    const groupId = handle.fargate?.createdSecurityGroupId ?? "";
    const [group] =
      (await observer.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups ?? [];
    const rules = (group?.IpPermissions ?? []).map((p) => ({
      ports: `${p.FromPort}-${p.ToPort}`,
      from: [...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.UserIdGroupPairs ?? []).map((g) => g.GroupId)],
    }));
    expect(rules).toEqual(
      expect.arrayContaining([
        { ports: "0-65535", from: [groupId] },
        { ports: "8786-8786", from: ["203.0.113.7/32"] },
      ]),
    );
    expect(JSON.stringify(group?.IpPermissions)).not.toContain("0.0.0.0/0");
    expect(handle.dashboardUrl).toBeUndefined();
    // moto gives ENIs no public IP, so no address outside the VPC is reported.
    expect(handle.clientSchedulerAddress).toBeUndefined();
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
  });

  test("open-dashboard adds the dashboard port for the client CIDR", async () => {
    const handle = await up(
      { clusterId: newClusterId(), workers: 1 },
      { clientCidr: "203.0.113.7/32", openDashboard: true },
    );
    const groupId = handle.fargate?.createdSecurityGroupId ?? "";
    const [group] =
      (await observer.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups ?? [];
    expect(
      (group?.IpPermissions ?? []).some(
        (p) => p.FromPort === 8786 && p.ToPort === 8787 && p.IpRanges?.[0]?.CidrIp === "203.0.113.7/32",
      ),
    ).toBe(true);
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("allow-public-ingress opens the scheduler port to 0.0.0.0/0 with a warning that TLS is what guards it", async () => {
    const logger = recorder();
    const handle = await up({ clusterId: newClusterId(), workers: 1 }, { allowPublicIngress: true }, logger);
    expect(
      logger.lines.some((l) =>
        l.startsWith("warning: the scheduler port is open to the whole internet (allow-public-ingress): mutual TLS"),
      ),
    ).toBe(true);
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });
});

describe("failures during up remove what was created and report the cause", () => {
  test("a subnet that does not exist is refused by preflight, and nothing of the cluster is created", async () => {
    const clusterId = newClusterId();
    const error = await up({ clusterId }, { subnets: ["subnet-0123456789abcdef0"] }).catch((e: unknown) => e);
    expect(PreflightError.isInstance(error)).toBe(true);
    expect((error as PreflightError).failures.map((f) => f.check)).toEqual(["subnets"]);
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
  });

  test("a worker RunTask error after the scheduler started", async () => {
    const clusterId = newClusterId();
    const remove = injectEcs(clients, "fail-workers", "RunTask", (input) => {
      if (String(input["taskDefinition"]).endsWith("-worker"))
        throw Object.assign(new Error("Tasks provisioning capacity limit exceeded."), {
          name: "LimitExceededException",
        });
      return undefined;
    });
    const logger = recorder();
    try {
      const error = await up({ clusterId }, {}, logger).catch((e: unknown) => e);
      expect((error as Error).message).toContain("Tasks provisioning capacity limit exceeded.");
      expect(logger.lines.some((l) => l.includes("removing what was created"))).toBe(true);
      expect(await awsLeftovers(observer, clusterId)).toEqual([]);
    } finally {
      remove();
    }
  });

  test("a scheduler task that stops is reported with stop code, reason and exit code", async () => {
    const clusterId = newClusterId();
    // The start's wait sees a stopped scheduler; the teardown's own DescribeTasks (with tags) sees moto's real tasks.
    const remove = injectEcs(clients, "stopped-scheduler", "DescribeTasks", (input) =>
      input["include"]
        ? undefined
        : {
            output: {
              tasks: [
                {
                  taskArn: `arn:aws:ecs:us-east-1:123456789012:task/${clusterId}/abc`,
                  lastStatus: "STOPPED",
                  stopCode: "TaskFailedToStart",
                  stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
                  containers: [{ name: "dask", exitCode: undefined, reason: "CannotPullContainerError" }],
                  tags: [{ key: "io.dask-fargate-action.role", value: "scheduler" }],
                },
              ],
              failures: [],
            },
          },
    );
    try {
      const error = await up({ clusterId }).catch((e: unknown) => e);
      expect(CoreError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatchInlineSnapshot(
        `"scheduler abc stopped (TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 5 time(s)): dask: exit none (CannotPullContainerError)"`,
      );
    } finally {
      remove();
    }
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
  });
});

describe("AWS behaviour moto does not produce, injected in front of it", () => {
  test("capacity failures[] are retried until the tasks start", async () => {
    let calls = 0;
    const remove = injectEcs(clients, "capacity-once", "RunTask", (input) => {
      if (!String(input["taskDefinition"]).endsWith("-worker") || calls++ > 0) return undefined;
      return {
        output: {
          tasks: [],
          failures: [
            {
              arn: "x",
              reason:
                "Capacity is unavailable at this time. Please try again later or in a different availability zone",
            },
          ],
        },
      };
    });
    const logger = recorder();
    try {
      const handle = await up({ clusterId: newClusterId(), workers: 2 }, {}, logger);
      expect(handle.fargate?.workerTaskArns).toHaveLength(2);
      expect(logger.lines.some((l) => l.includes("Capacity is unavailable"))).toBe(true);
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    } finally {
      remove();
    }
  });

  test("Spot workers fall back to on-demand when Spot has no capacity", async () => {
    const spot: string[] = [];
    const remove = injectEcs(clients, "no-spot", "RunTask", (input) => {
      if (!input["capacityProviderStrategy"]) return undefined;
      spot.push(String(input["count"]));
      return { output: { tasks: [], failures: [{ arn: "x", reason: "Capacity is unavailable at this time." }] } };
    });
    const logger = recorder();
    try {
      const handle = await up({ clusterId: newClusterId(), workers: 2 }, { spotWorkers: true }, logger);
      expect(spot.length).toBeGreaterThan(1);
      expect(handle.fargate?.workerTaskArns).toHaveLength(2);
      expect(logger.lines.some((l) => l.startsWith("warning: 2 task(s) could not start on Spot"))).toBe(true);
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    } finally {
      remove();
    }
  });

  test("an IAM propagation error on RegisterTaskDefinition is retried", async () => {
    let failures = 1;
    const remove = injectEcs(clients, "passrole-once", "RegisterTaskDefinition", () => {
      if (failures-- > 0)
        throw Object.assign(
          new Error("User: arn:aws:sts::123456789012:assumed-role/ci is not authorized to perform: iam:PassRole"),
          {
            name: "AccessDeniedException",
          },
        );
      return undefined;
    });
    const logger = recorder();
    try {
      const handle = await up({ clusterId: newClusterId(), workers: 1 }, {}, logger);
      expect(logger.lines.some((l) => l.startsWith("RegisterTaskDefinition: AccessDeniedException"))).toBe(true);
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    } finally {
      remove();
    }
  });
});

describe("jobs, scaling and the reaper", () => {
  test("a job task streams its CloudWatch log and returns the container's exit code", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 1 });
    let jobTask: string | undefined;
    const lines: string[] = [];
    const logger = {
      info: (m: string) => {
        jobTask ??= /job task (\S+) started/.exec(m)?.[1];
      },
      warn: () => {},
      debug: () => {},
    };
    // The container "exits" with 3: moto keeps no exit codes, so stopped tasks get one on the way back.
    const removeExitCode = stoppedTasksExitWith(clients, 3);
    try {
      const job = runFargateJob(
        handle,
        { command: "python train.py", runsOn: "cluster", workdir: ".", onOutput: (l) => lines.push(l) },
        { clients, pollMs: 200, logger },
      );
      while (!jobTask) await new Promise((r) => setTimeout(r, 50));
      const logGroupName = `/dask-fargate-action/${handle.clusterId}`;
      const logStreamName = `job/dask/${jobTask}`;
      await observer.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
      await observer.logs.send(
        new PutLogEventsCommand({
          logGroupName,
          logStreamName,
          logEvents: [1, 2, 3].map((i) => ({ timestamp: Date.now(), message: `round ${i}` })),
        }),
      );
      await new Promise((r) => setTimeout(r, 600));
      await observer.logs.send(
        new PutLogEventsCommand({
          logGroupName,
          logStreamName,
          logEvents: [{ timestamp: Date.now(), message: "final 0.25" }],
        }),
      );
      await observer.ecs.send(new StopTaskCommand({ cluster: handle.fargate?.ecsCluster, task: jobTask }));
      const result = await job;
      expect(result.exitCode).toBe(3);
      expect(lines).toEqual(["round 1", "round 2", "round 3", "final 0.25"]);
      const logs = await fargateClusterLogs(clients, handle.clusterId, { tail: 2 });
      expect(logs).toEqual([{ member: `job/dask/${jobTask}`, lines: ["round 3", "final 0.25"] }]);
    } finally {
      removeExitCode();
      await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    }
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("logs reads every log stream, past DescribeLogStreams' page of 50", async () => {
    const clusterId = newClusterId();
    const logGroupName = `/dask-fargate-action/${clusterId}`;
    await observer.logs.send(new CreateLogGroupCommand({ logGroupName }));
    try {
      const members = Array.from({ length: 60 }, (_, i) => `worker/dask/${String(i).padStart(32, "0")}`);
      for (const logStreamName of members) {
        await observer.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
        await observer.logs.send(
          new PutLogEventsCommand({
            logGroupName,
            logStreamName,
            logEvents: [{ timestamp: Date.now(), message: logStreamName }],
          }),
        );
      }
      const logs = await fargateClusterLogs(clients, clusterId, { tail: 5 });
      expect(logs.map((l) => l.member)).toEqual(members);
      expect(logs.every((l) => l.lines.length === 1 && l.lines[0] === l.member)).toBe(true);
    } finally {
      await observer.logs.send(new DeleteLogGroupCommand({ logGroupName }));
    }
  });

  test("scale 3 → 5 → 2", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 3 });
    const bigger = await scaleFargateCluster(handle, 5, { clients });
    expect(bigger.fargate?.workerTaskArns).toHaveLength(5);
    const smaller = await scaleFargateCluster(bigger, 2, { clients });
    expect(smaller.fargate?.workerTaskArns).toEqual(bigger.fargate?.workerTaskArns.slice(0, 2));
    await downFargateCluster({ clusterId: handle.clusterId, resources: smaller.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("scale's cost limit uses the registered worker task definition's vCPUs, not an edited record's", async () => {
    const handle = await up({ clusterId: newClusterId(), workers: 1, workerCpu: 1, workerMemory: "2GB" });
    // The saved record says 0.25 vCPU per worker: 1 + 128 × 0.25 = 33 vCPUs would pass; the task definition has 1 vCPU (129).
    const edited = { ...handle, spec: { ...handle.spec, workerCpu: 0.25, workerMemory: 512 } };
    const backend = createBackend("fargate", { fargate: { region }, clients });
    const sentBefore = requests;
    const error = await backend.scale(edited, 128, { logger: recorder() }).then(
      () => new Error("scale succeeded"),
      (e: unknown) => e as Error,
    );
    expect(ClusterConfigError.isInstance(error)).toBe(true);
    expect(error.message).toMatchInlineSnapshot(
      `"workers: 1 scheduler of 1 vCPU + 128 workers of 1 vCPU is 129 vCPUs, more than the 128 vCPU limit; use fewer or smaller workers, or set allow-unbounded-cost to lift the limit (and set an AWS Budgets alert)"`,
    );
    // One DescribeTaskDefinition per family, and no RunTask.
    expect(requests - sentBefore).toBe(2);
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("Spot workers added by scale fall back to on-demand as at start", async () => {
    const spot: string[] = [];
    const remove = injectEcs(clients, "no-spot-for-scale", "RunTask", (input) => {
      if (!input["capacityProviderStrategy"]) return undefined;
      spot.push(String(input["count"]));
      return { output: { tasks: [], failures: [{ arn: "x", reason: "Capacity is unavailable at this time." }] } };
    });
    const logger = recorder();
    try {
      const handle = await up({ clusterId: newClusterId(), workers: 1 }, { spotWorkers: true });
      const before = spot.length;
      const bigger = await scaleFargateCluster(handle, 3, { clients, logger });
      expect(spot.length).toBeGreaterThan(before);
      expect(bigger.fargate?.workerTaskArns).toHaveLength(3);
      expect(logger.lines.some((l) => l.startsWith("warning: 2 task(s) could not start on Spot"))).toBe(true);
      await downFargateCluster({ clusterId: handle.clusterId, resources: bigger.fargate }, { clients });
      expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    } finally {
      remove();
    }
  });

  test("the reaper removes an expired cluster, spares a live one and anything untagged", async () => {
    const expiredSpec = clusterSpec({ clusterId: newClusterId(), workers: 1, maxLifetime: "1h" });
    const past = {
      now: () => Date.now() - 2 * 3600_000,
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    };
    const expired = await upFargateCluster(expiredSpec, resolveFargateSpec({ region }, expiredSpec), {
      clients,
      clock: past,
    });
    const live = await up({ clusterId: newClusterId(), workers: 1 });
    await observer.ecs.send(new CreateClusterCommand({ clusterName: "untagged-team-cluster" }));
    const dry = await reapFargateClusters({ clients, dryRun: true });
    expect(dry.reaped).toEqual([expired.clusterId]);
    expect(await awsLeftovers(observer, expired.clusterId)).not.toEqual([]);
    const result = await reapFargateClusters({ clients });
    expect(result.reaped).toEqual([expired.clusterId]);
    expect(result.kept).toContain(live.clusterId);
    expect(await awsLeftovers(observer, expired.clusterId)).toEqual([]);
    expect(await awsLeftovers(observer, live.clusterId)).not.toEqual([]);
    const untagged = await observer.ecs.send(new DescribeClustersCommand({ clusters: ["untagged-team-cluster"] }));
    expect(untagged.clusters?.[0]?.status).toBe("ACTIVE");
    await downFargateCluster({ clusterId: live.clusterId }, { clients });
  });
});

describe("teardown and the reaper touch only resources tagged as ours", () => {
  test("a task started by the id in someone else's cluster, a same-named family and a decoy group are left alone", async () => {
    // Another team's untagged ECS cluster runs a task whose startedBy happens to be "etl", from their own
    // untagged family "etl-worker"; someone tagged a security group as ours with cluster id "etl", long expired.
    const subnets = await observer.ec2.send(new DescribeSubnetsCommand({}));
    const subnet = subnets.Subnets?.[0];
    const group = await observer.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "decoy",
        Description: "decoy",
        VpcId: subnet?.VpcId,
        TagSpecifications: [
          {
            ResourceType: "security-group",
            Tags: [
              { Key: "io.dask-fargate-action.managed-by", Value: "dask-fargate-action" },
              { Key: "io.dask-fargate-action.cluster-id", Value: "etl" },
              { Key: "io.dask-fargate-action.expires-at", Value: "2000-01-01T00:00:00Z" },
            ],
          },
        ],
      }),
    );
    await observer.ecs.send(new CreateClusterCommand({ clusterName: "payments" }));
    await observer.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "etl-worker",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: "256",
        memory: "512",
        containerDefinitions: [{ name: "etl", image: "etl:1", memory: 512 }],
      }),
    );
    const started = await observer.ecs.send(
      new RunTaskCommand({
        cluster: "payments",
        taskDefinition: "etl-worker",
        launchType: "FARGATE",
        startedBy: "etl",
        networkConfiguration: {
          awsvpcConfiguration: { subnets: [subnet?.SubnetId ?? ""], securityGroups: [group.GroupId ?? ""] },
        },
      }),
    );
    const paymentsTask = started.tasks?.[0]?.taskArn ?? "";
    const logger = recorder();

    const reaped = await reapFargateClusters({ clients, logger });
    expect(reaped.reaped).toContain("etl");
    await downFargateCluster({ clusterId: "etl" }, { clients, logger });

    const task = await observer.ecs.send(new DescribeTasksCommand({ cluster: "payments", tasks: [paymentsTask] }));
    expect(task.tasks?.[0]?.lastStatus).toBe("RUNNING");
    expect(task.tasks?.[0]?.desiredStatus).toBe("RUNNING");
    const family = await observer.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "etl-worker" }));
    expect(family.taskDefinition?.status).toBe("ACTIVE");
    expect(logger.lines.join("\n")).toContain("leaving task");
    expect(logger.lines.join("\n")).toContain("leaving task definition etl-worker:1 alone");
    await observer.ecs.send(new StopTaskCommand({ cluster: "payments", task: paymentsTask }));
    await observer.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "etl-worker:1" }));
    await observer.ecs.send(new DeleteClusterCommand({ cluster: "payments" }));
  });

  test("a security group forged with a live cluster's id and a past expires-at ends nothing: the cluster's own log group and tasks say it is alive", async () => {
    // The live cluster runs in a team's ECS cluster with the team's own group and TLS off: no ECS cluster, group or
    // secret of ours names it, only its log group, task definitions and tasks. Someone tags a group with its id.
    const subnets = await observer.ec2.send(new DescribeSubnetsCommand({}));
    const vpcId = subnets.Subnets?.[0]?.VpcId;
    await observer.ecs.send(new CreateClusterCommand({ clusterName: "team-ecs" }));
    const team = await observer.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "team-own", Description: "team", VpcId: vpcId }),
    );
    const teamGroup = team.GroupId ?? "";
    await observer.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: teamGroup,
        IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: teamGroup }] }],
      }),
    );
    const live = await up(
      { clusterId: newClusterId(), workers: 1, tls: false },
      { ecsCluster: "team-ecs", securityGroups: [teamGroup] },
    );
    const forged = await observer.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "forged",
        Description: "forged",
        VpcId: vpcId,
        TagSpecifications: [
          {
            ResourceType: "security-group",
            Tags: [
              { Key: "io.dask-fargate-action.managed-by", Value: "dask-fargate-action" },
              { Key: "io.dask-fargate-action.cluster-id", Value: live.clusterId },
              { Key: "io.dask-fargate-action.created-at", Value: "2000-01-01T00:00:00Z" },
              { Key: "io.dask-fargate-action.expires-at", Value: "2000-01-01T00:00:00Z" },
            ],
          },
        ],
      }),
    );
    const logger = recorder();
    for (const olderThanSeconds of [undefined, 60]) {
      const result = await reapFargateClusters({ clients, logger, ...(olderThanSeconds ? { olderThanSeconds } : {}) });
      expect(result.reaped).not.toContain(live.clusterId);
      expect(result.kept).toContain(live.clusterId);
    }
    const running = await observer.ecs.send(
      new ListTasksCommand({ cluster: "team-ecs", startedBy: live.clusterId, desiredStatus: "RUNNING" }),
    );
    expect(running.taskArns).toHaveLength(2);
    expect(await awsLeftovers(observer, live.clusterId)).toEqual(
      expect.arrayContaining([`log group /dask-fargate-action/${live.clusterId}`]),
    );
    const groups = await observer.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [forged.GroupId ?? ""] }));
    expect(groups.SecurityGroups).toHaveLength(1);
    const warning = logger.lines.find((l) => l.startsWith(`warning: leaving cluster ${live.clusterId} whole`)) ?? "";
    expect(warning).toContain(`security group ${forged.GroupId} (expired at 2000-01-01T00:00:00Z)`);
    expect(warning).toContain(`log group /dask-fargate-action/${live.clusterId} (expires at ${live.expiresAt})`);
    await downFargateCluster({ clusterId: live.clusterId }, { clients });
    expect(await awsLeftovers(observer, live.clusterId)).toEqual([]);
    await observer.ec2.send(new DeleteSecurityGroupCommand({ GroupId: teamGroup }));
    await observer.ecs.send(new DeleteClusterCommand({ cluster: "team-ecs" }));
  });

  test("a reaper scoped to one repository spares an expired cluster of another repository", async () => {
    const past = {
      now: () => Date.now() - 2 * 3600_000,
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    };
    const start = async (repository: string) => {
      const spec = clusterSpec({
        clusterId: newClusterId(),
        workers: 1,
        maxLifetime: "1h",
        labels: { "github.repository": repository },
      });
      return upFargateCluster(spec, resolveFargateSpec({ region }, spec), { clients, clock: past });
    };
    const mine = await start("org/mine");
    const theirs = await start("org/theirs");
    const result = await reapFargateClusters({ clients, repository: "org/mine" });
    expect(result.reaped).toEqual([mine.clusterId]);
    expect(await awsLeftovers(observer, mine.clusterId)).toEqual([]);
    expect(await awsLeftovers(observer, theirs.clusterId)).not.toEqual([]);
    // A teardown scoped to another repository (the action's down) removes nothing of it, and says whose it is.
    await expect(
      downFargateCluster({ clusterId: theirs.clusterId }, { clients, repository: "org/mine" }),
    ).rejects.toThrow(
      `cluster-id: cluster ${theirs.clusterId} was not started from org/mine (its resources are tagged github.repository org/theirs)`,
    );
    expect(await awsLeftovers(observer, theirs.clusterId)).not.toEqual([]);
    await downFargateCluster({ clusterId: theirs.clusterId }, { clients });
    expect(await awsLeftovers(observer, theirs.clusterId)).toEqual([]);
  });

  test("with a repository label, everything up creates carries github.repository (what the per-repository IAM policy requires)", async () => {
    const repository = "org/tagged";
    const handle = await up({ clusterId: newClusterId(), workers: 1, labels: { "github.repository": repository } });
    const resources = handle.fargate;
    if (!resources) throw new Error("no Fargate resources");
    const tagged: Record<string, string | undefined> = {};
    const cluster = await observer.ecs.send(
      new DescribeClustersCommand({ clusters: [resources.ecsCluster], include: ["TAGS"] }),
    );
    tagged["ECS cluster"] = tagMap(cluster.clusters?.[0]?.tags)["github.repository"];
    for (const arn of resources.taskDefinitionArns) {
      const definition = await observer.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ["TAGS"] }),
      );
      tagged[`task definition ${arn.split("/").pop()}`] = tagMap(definition.tags)["github.repository"];
    }
    const tasks = await observer.ecs.send(
      new DescribeTasksCommand({
        cluster: resources.ecsCluster,
        tasks: [resources.schedulerTaskArn ?? "", ...resources.workerTaskArns],
        include: ["TAGS"],
      }),
    );
    for (const task of tasks.tasks ?? []) tagged[`task ${task.group}`] = tagMap(task.tags)["github.repository"];
    const groups = await observer.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [resources.createdSecurityGroupId ?? ""] }),
    );
    tagged["security group"] = tagMap(groups.SecurityGroups?.[0]?.Tags)["github.repository"];
    const logTags = await observer.logs.send(
      new ListTagsForResourceCommand({
        resourceArn: `arn:aws:logs:${region}:123456789012:log-group:${resources.logGroup ?? ""}`,
      }),
    );
    tagged["log group"] = logTags.tags?.["github.repository"];
    const secret = await observer.secrets.send(new DescribeSecretCommand({ SecretId: resources.tlsSecretArn ?? "" }));
    tagged["TLS secret"] = tagMap(secret.Tags)["github.repository"];
    expect(Object.keys(tagged)).toHaveLength(
      2 + resources.taskDefinitionArns.length + 1 + (tasks.tasks?.length ?? 0) + 1,
    );
    expect(Object.entries(tagged).filter(([, value]) => value !== repository)).toEqual([]);
    await downFargateCluster({ clusterId: handle.clusterId, resources }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  });

  test("a cluster id that is not well-formed is refused before any request", async () => {
    const before = requests;
    await expect(downFargateCluster({ clusterId: "../../projects" }, { clients })).rejects.toThrow(ClusterConfigError);
    expect(requests).toBe(before);
  });
});

test("task-role-policy-arns never changes the shared managed task role: a policy an administrator did not attach is refused before anything is created", async () => {
  const attached = async () =>
    (
      (await observer.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: fargateNames.taskRole })))
        .AttachedPolicies ?? []
    ).map((p) => p.PolicyArn);
  const created = await observer.iam.send(
    new CreatePolicyCommand({
      PolicyName: `dfa-read-training-data-${newClusterId()}`,
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::training-data/*" }],
      }),
    }),
  );
  const policy = created.Policy?.Arn ?? "";
  const spec = clusterSpec({ clusterId: newClusterId(), workers: 1 });
  const error = await upFargateCluster(spec, resolveFargateSpec({ region, taskRolePolicyArns: [policy] }, spec), {
    clients,
  }).then(
    () => new Error("up succeeded"),
    (e: unknown) => e as Error,
  );
  expect(error.message).toContain(`does not have ${policy} (task-role-policy-arns) attached`);
  expect(await attached()).not.toContain(policy);
  expect(await awsLeftovers(observer, spec.clusterId)).toEqual([]);
  expect(operations).not.toContain("IAM:AttachRolePolicy");
  // Attached once by an administrator (setup-roles), it is used and left as the administrator set it.
  await setupRoles(observer, { taskRolePolicyArns: [policy] });
  const handle = await up({ clusterId: newClusterId(), workers: 1 }, { taskRolePolicyArns: [policy] });
  await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
  expect(await attached()).toContain(policy);
  expect(operations).not.toContain("IAM:AttachRolePolicy");
  await observer.iam.send(new DetachRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyArn: policy }));
});

test("a run that creates the managed roles (both missing) puts the find-scheduler policy on the task role, as setup-roles would", async () => {
  for (const name of [fargateNames.executionRole, fargateNames.taskRole]) {
    for (const policy of (
      await observer.iam.send(new ListRolePoliciesCommand({ RoleName: name })).catch(() => ({ PolicyNames: [] }))
    ).PolicyNames ?? [])
      await observer.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policy }));
    for (const attached of (
      await observer.iam
        .send(new ListAttachedRolePoliciesCommand({ RoleName: name }))
        .catch(() => ({ AttachedPolicies: [] }))
    ).AttachedPolicies ?? [])
      await observer.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: attached.PolicyArn ?? "" }));
    await observer.iam.send(new DeleteRoleCommand({ RoleName: name })).catch(() => undefined);
  }
  const spec = clusterSpec({ clusterId: newClusterId(), workers: 1 });
  let lookup = "";
  // The observer's clients: role creation is not among the documented policy's actions (the last test counts `clients`' calls).
  const handle = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), {
    clients: observer,
    logger: recorder(),
    onPlan: (plan) => {
      lookup = plan.schedulerLookup;
    },
  });
  await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients: observer });
  expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
  expect(lookup).toBe("workers-find-it");
  const policy = await observer.iam.send(
    new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }),
  );
  expect(JSON.parse(decodeURIComponent(policy.PolicyDocument ?? ""))).toEqual(JSON.parse(findSchedulerPolicy()));
});

test("setup-roles puts the find-scheduler policy on the task role; up reads it and launches the workers with the scheduler; with your own task role, after its IP, said once", async () => {
  const findScheduler = () =>
    observer.iam
      .send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }))
      .then(
        (answer) => JSON.parse(decodeURIComponent(answer.PolicyDocument ?? "")),
        (error: Error) => error.name,
      );
  await observer.iam
    .send(new DeleteRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }))
    .catch(() => undefined);
  const lookupOf = async (fargateInput: Partial<FargateSpecInput>) => {
    const logger = recorder();
    const spec = clusterSpec({ clusterId: newClusterId(), workers: 2 });
    let lookup = "";
    const handle = await upFargateCluster(spec, resolveFargateSpec({ region, ...fargateInput }, spec), {
      clients,
      logger,
      onPlan: (plan) => {
        lookup = plan.schedulerLookup;
      },
    });
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    return {
      lookup,
      lines: logger.lines.filter((l) => l.includes("workers are launched once the scheduler has an IP address")),
    };
  };
  // Without the policy (a role set up by an earlier version): the slower start, said once, nothing fails.
  expect(await lookupOf({})).toEqual({
    lookup: "after-ip",
    lines: [expect.stringContaining(`${fargateNames.taskRole} has no ${FIND_SCHEDULER_POLICY_NAME} policy`)],
  });
  const setup = await setupRoles(observer, {});
  expect(setup.changes).toContainEqual(expect.stringContaining(`put the inline policy ${FIND_SCHEDULER_POLICY_NAME}`));
  expect(await findScheduler()).toEqual(JSON.parse(findSchedulerPolicy()));
  expect((await setupRoles(observer, {})).changes).toEqual([]);
  const before = new Set(operations);
  expect(await lookupOf({})).toEqual({ lookup: "workers-find-it", lines: [] });
  expect([...operations].filter((o) => o.startsWith("IAM:") && !before.has(o) && !/^IAM:(Get|List)/.test(o))).toEqual(
    [],
  );
  const taskRoleArn =
    (await observer.iam.send(new GetRoleCommand({ RoleName: fargateNames.taskRole }))).Role?.Arn ?? "";
  expect(await lookupOf({ taskRoleArn })).toEqual({
    lookup: "after-ip",
    lines: [expect.stringContaining("task-role-arn is your own role")],
  });
});

describe("job outputs: one static policy an administrator installs, a signed manifest, the files come back from S3", () => {
  const bucket = "dfa-moto-outputs";
  const policyNamed = (name: string) =>
    observer.iam.send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: name })).then(
      (answer) => decodeURIComponent(answer.PolicyDocument ?? ""),
      (error: Error) => error.name,
    );

  test("up without the static policy is refused before anything is created, naming setup-roles --output-uri", async () => {
    await observer.iam
      .send(new DeleteRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: OUTPUT_POLICY_NAME }))
      .catch(() => undefined);
    const spec = clusterSpec({ clusterId: newClusterId(), workers: 1 });
    await expect(
      upFargateCluster(spec, resolveFargateSpec({ region, outputUri: `s3://${bucket}/nightly` }, spec), { clients }),
    ).rejects.toThrow(
      `has no ${OUTPUT_POLICY_NAME} policy, so job tasks cannot write to s3://${bucket}/nightly: run \`dask-fargate setup-roles --output-uri s3://${bucket}/nightly\``,
    );
    expect(await awsLeftovers(observer, spec.clusterId)).toEqual([]);
  });

  test("setup-roles --output-uri installs the one policy and removes per-cluster ones an earlier version left; up then only reads it", async () => {
    await (observer.s3 as S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
    const legacy = `${LEGACY_OUTPUT_POLICY_PREFIX}dfa-0123abcd`;
    await observer.iam.send(
      new PutRolePolicyCommand({
        RoleName: fargateNames.taskRole,
        PolicyName: legacy,
        PolicyDocument: outputWritePolicy(`s3://${bucket}/old`),
      }),
    );
    const setup = await setupRoles(observer, { outputUri: `s3://${bucket}/nightly` });
    expect(setup.changes).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`put the inline policy ${OUTPUT_POLICY_NAME}`),
        expect.stringContaining(`removed the per-cluster inline policy ${legacy}`),
      ]),
    );
    expect(JSON.parse(await policyNamed(OUTPUT_POLICY_NAME))).toEqual(
      JSON.parse(outputWritePolicy(`s3://${bucket}/nightly`)),
    );
    expect(await policyNamed(legacy)).toMatch(/^NoSuchEntity/);
    // Again: nothing to change.
    expect((await setupRoles(observer, { outputUri: `s3://${bucket}/nightly` })).changes).toEqual([]);

    const before = new Set(operations);
    const handle = await up({ clusterId: newClusterId(), workers: 1 }, { outputUri: `s3://${bucket}/nightly` });
    const iamSent = [...operations].filter((o) => o.startsWith("IAM:") && !before.has(o));
    expect(iamSent.filter((o) => !/^IAM:(Get|List)/.test(o))).toEqual([]);
    expect(operations).toContain("IAM:GetRolePolicy");
    const outputs = handle.fargate.outputs;
    if (!outputs) throw new Error("up saved no outputs prefix");
    // The key is in the cluster's secret for the job task, and in a 0600 file here; the saved handle holds only its path.
    const secret = JSON.parse(
      (await observer.secrets.send(new GetSecretValueCommand({ SecretId: handle.fargate.tlsSecretArn ?? "" })))
        .SecretString ?? "{}",
    );
    const keyHex = (await readFile(outputs.keyFile, "utf8")).trim();
    expect(secret.outputs).toBe(keyHex);
    expect((await stat(outputs.keyFile)).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(handle)).not.toContain(keyHex);
    // What the job task's uploader leaves: five files, one in a subdirectory, and the manifest; listed two per page.
    const jobPrefix = `${outputs.runPrefix}j0b/`;
    const names = ["a.json", "b.json", "c.json", "metrics/run.json", "model.json"];
    for (const name of names)
      await (observer.s3 as S3Client).send(
        new PutObjectCommand({ Bucket: bucket, Key: `${jobPrefix}files/${name}`, Body: name }),
      );
    const manifest = {
      version: 1,
      cluster: handle.clusterId,
      token: outputs.token,
      job: "j0b",
      files: names.map((name) => ({
        path: name,
        size: name.length,
        sha256: createHash("sha256").update(name).digest("hex"),
      })),
      skipped: [],
    };
    const key = Buffer.from(keyHex, "hex");
    await (observer.s3 as S3Client).send(
      new PutObjectCommand({ Bucket: bucket, Key: `${jobPrefix}manifest.json`, Body: signManifest(manifest, key) }),
    );
    const dir = await mkdtemp(join(tmpdir(), "dfa-moto-outputs-"));
    try {
      const outputsBack = await downloadJobOutputs(
        clients.s3 as S3Client,
        { bucket, jobPrefix, expected: { cluster: handle.clusterId, token: outputs.token, job: "j0b" }, key },
        dir,
        { pageSize: 2 },
      );
      expect(outputsBack.files.map((f) => f.path)).toEqual(names);
      expect(outputsBack.ignoredObjects).toBe(0);
      expect(await readFile(join(dir, "metrics", "run.json"), "utf8")).toBe("metrics/run.json");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, handle.clusterId)).toEqual([]);
    // The static policy is the administrator's: down leaves it.
    expect(await policyNamed(OUTPUT_POLICY_NAME)).toContain("s3:PutObject");
  });

  test("with your own task role nothing is checked or put on any role", async () => {
    const spec = clusterSpec({ clusterId: newClusterId(), workers: 1 });
    const taskRoleArn =
      (await observer.iam.send(new GetRoleCommand({ RoleName: fargateNames.taskRole }))).Role?.Arn ?? "";
    // A prefix the static policy does not cover: with task-role-arn granting it is the user's business.
    const fargate = resolveFargateSpec({ region, outputUri: `s3://${bucket}/own-role`, taskRoleArn }, spec);
    const handle = await upFargateCluster(spec, fargate, { clients });
    expect(handle.fargate.outputs?.runPrefix).toMatch(new RegExp(`^own-role/${spec.clusterId}/[0-9a-f]{24}/$`));
    await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(observer, spec.clusterId)).toEqual([]);
  });

  test("a leaked inline policy naming a cluster fails the leftover check", async () => {
    const id = newClusterId();
    await observer.iam.send(
      new PutRolePolicyCommand({
        RoleName: fargateNames.taskRole,
        PolicyName: `${LEGACY_OUTPUT_POLICY_PREFIX}${id}`,
        PolicyDocument: outputWritePolicy(`s3://${bucket}/x`),
      }),
    );
    expect(await awsLeftovers(observer, id)).toEqual([
      `IAM inline policy ${LEGACY_OUTPUT_POLICY_PREFIX}${id} on ${fargateNames.taskRole}`,
    ]);
    await observer.iam.send(
      new DeleteRolePolicyCommand({
        RoleName: fargateNames.taskRole,
        PolicyName: `${LEGACY_OUTPUT_POLICY_PREFIX}${id}`,
      }),
    );
    expect(await awsLeftovers(observer, id)).toEqual([]);
  });
});

test("the documented IAM policy lists exactly the AWS actions the tests sent, plus the authorization-only ones", async () => {
  expect(policyFileText("tool"), policyFilePath("tool")).toBeDefined();
  expect(policyFileText("outputs"), policyFilePath("outputs")).toBeDefined();
  // The default policy, plus the statements a team adds for job outputs (output-uri with the managed task role).
  const statements = (["tool", "outputs"] as const).flatMap((name) => policyFile(name).Statement);
  const documented = new Set(statements.flatMap((s) => s.Action));
  const prefix: Record<string, string> = {
    ECS: "ecs",
    EC2: "ec2",
    IAM: "iam",
    CloudWatchLogs: "logs",
    SecretsManager: "secretsmanager",
    ServiceQuotas: "servicequotas",
    ECR: "ecr",
    S3: "s3",
  };
  // S3 authorizes ListObjectsV2 as s3:ListBucket (S3's actions, resources and condition keys).
  const authorizedAs: Record<string, string> = { "s3:ListObjectsV2": "s3:ListBucket" };
  const sent = new Set(
    [...operations].map((o) => `${prefix[o.split(":")[0] ?? ""]}:${o.split(":")[1]}`).map((a) => authorizedAs[a] ?? a),
  );
  // Checked by AWS but never sent as requests: passing roles to tasks, and tagging resources on creation.
  // Preflight reads an ECR image's manifest and config through the registry API, which ECR authorizes as
  // ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.
  for (const action of [
    "iam:PassRole",
    "ecs:TagResource",
    "ec2:CreateTags",
    "logs:TagResource",
    "secretsmanager:TagResource",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
  ])
    sent.add(action);
  expect([...documented].sort()).toEqual([...sent].sort());
});

afterAll(async () => {
  await resetMoto(endpoint);
});
