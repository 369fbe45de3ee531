import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import { GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { planFargateCluster } from "../src/fargate/fargate-plan.js";
import { FIND_SCHEDULER_POLICY_NAME, findSchedulerPolicy } from "../src/fargate/find-scheduler-access.js";
import {
  type AwsClients,
  createAwsClients,
  downFargateCluster,
  type FargatePlan,
  fargateNames,
  newClusterId,
  PreflightError,
  resolveClusterSpec,
  resolveFargateSpec,
  setupRoles,
  upFargateCluster,
} from "../src/index.js";

// Security defaults (issue 14), asserted on what up really creates in moto and on the plan: with no options,
// nothing is open to 0.0.0.0/0 or ::/0, TLS is on, the managed task role carries no permission at all (the
// output-prefix policy comes only with output-uri: fargate-moto.itest.ts), and the execution role has only
// AWS's task-execution policy (pull the image, write logs) plus reading this tool's TLS secrets.

const endpoint = inject("motoEndpoint");
const region = "us-east-1";
let clients: AwsClients;
const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dask:env-0123456789abcdef";
const WORLD = ["0.0.0.0/0", "::/0"];

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
  });
  await resetMoto(endpoint);
  clients = createAwsClients({ region });
  await setupRoles(clients);
});

/** Every CIDR an ingress rule admits (IPv4 and IPv6). */
const cidrsOf = (
  permissions: readonly {
    IpRanges?: { CidrIp?: string | undefined }[] | undefined;
    Ipv6Ranges?: { CidrIpv6?: string | undefined }[] | undefined;
  }[],
) =>
  permissions.flatMap((p) => [
    ...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ""),
    ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ""),
  ]);

describe("the plan's defaults", () => {
  const spec = resolveClusterSpec({ image, clusterId: "c1" });
  const plan = planFargateCluster(spec, resolveFargateSpec({ region }, spec), {
    ecsCluster: "c1",
    executionRoleArn: "arn:aws:iam::123456789012:role/x",
    taskRoleArn: "arn:aws:iam::123456789012:role/y",
    subnets: ["subnet-0a"],
    securityGroups: ["sg-0c"],
    assignPublicIp: false,
    tlsSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:dask-fargate-action/c1/tls-AbCdEf",
    createdAt: "2026-11-26T00:00:00.000Z",
    expiresAt: "2026-11-26T06:00:00.000Z",
  }) as FargatePlan;
  test("TLS is on by default: a secret for the cluster's certificates, the scheduler on --protocol tls, every member with its key from the secret", () => {
    expect(spec.tls).toBe(true);
    expect(plan.tlsSecret).toBeDefined();
    const scheduler = plan.taskDefinitions.scheduler.containerDefinitions?.[0];
    expect(scheduler?.command?.join(" ")).toContain("--protocol tls");
    for (const definition of Object.values(plan.taskDefinitions))
      expect(definition.containerDefinitions?.[0]?.secrets?.map((s) => s.name)).toEqual(
        expect.arrayContaining(["DFA_TLS_KEY"]),
      );
  });
  test("no ingress from outside the group by default: no client CIDR, no 0.0.0.0/0 or ::/0", () => {
    expect(plan.securityGroup?.clientCidrs).toEqual([]);
    expect(cidrsOf(plan.securityGroup?.ingress ?? []).filter((c) => WORLD.includes(c))).toEqual([]);
    expect(cidrsOf(plan.securityGroup?.ingress ?? [])).toEqual([]);
  });
});

describe("up with no options, in moto", () => {
  const clusterId = newClusterId();
  afterAll(async () => {
    await downFargateCluster({ clusterId }, { clients }).catch(() => undefined);
    expect(await awsLeftovers(clients, clusterId)).toEqual([]);
  });

  test("the created group admits only itself; the managed task role may only find scheduler tasks; the execution role pulls, logs and reads our TLS secrets only", async () => {
    const spec = resolveClusterSpec({ image, clusterId, workers: 1 });
    const handle = await upFargateCluster(spec, resolveFargateSpec({ region }, spec), { clients });
    expect(handle.schedulerAddress).toMatch(/^tls:\/\//);

    const groups = await clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: "group-name", Values: [fargateNames.securityGroup(clusterId)] }],
      }),
    );
    const ingress = groups.SecurityGroups?.[0]?.IpPermissions ?? [];
    expect(ingress.length).toBeGreaterThan(0);
    expect(cidrsOf(ingress)).toEqual([]);
    for (const permission of ingress)
      expect(permission.UserIdGroupPairs?.map((p) => p.GroupId)).toEqual([groups.SecurityGroups?.[0]?.GroupId]);

    // The managed task role: nothing attached and one inline policy, ecs:DescribeTasks of this tool's scheduler tasks
    // (workers find their scheduler), while a cluster without output-uri runs.
    const taskAttached = await clients.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: fargateNames.taskRole }),
    );
    const taskInline = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: fargateNames.taskRole }));
    expect(taskAttached.AttachedPolicies ?? []).toEqual([]);
    expect(taskInline.PolicyNames ?? []).toEqual([FIND_SCHEDULER_POLICY_NAME]);
    const findScheduler = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }),
    );
    expect(JSON.parse(decodeURIComponent(findScheduler.PolicyDocument ?? "{}"))).toEqual(
      JSON.parse(findSchedulerPolicy()),
    );

    // The execution role: AWS's task-execution policy (ECR pull, CloudWatch Logs writes) and one inline read.
    const execAttached = await clients.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: fargateNames.executionRole }),
    );
    expect((execAttached.AttachedPolicies ?? []).map((p) => p.PolicyArn)).toEqual([
      "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    ]);
    const execInline = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: fargateNames.executionRole }));
    expect(execInline.PolicyNames).toEqual(["read-cluster-tls-secrets"]);
    const inline = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: fargateNames.executionRole, PolicyName: "read-cluster-tls-secrets" }),
    );
    const document = JSON.parse(decodeURIComponent(inline.PolicyDocument ?? "")) as {
      Statement: { Effect: string; Action: unknown; Resource: unknown }[];
    };
    expect(document.Statement).toEqual([
      {
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*",
      },
    ]);
    // Every task definition runs with these two roles, and the secret it reads is this cluster's.
    const report = await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients });
    expect(report.removed.length).toBeGreaterThan(0);
  });
});

describe("TLS off with the user's own security groups (issue 20)", () => {
  /** A group of the default VPC with the given ingress rules; `self` in a rule stands for the group itself. */
  const ownGroup = async (name: string, rules: (self: string) => IpPermission[]) => {
    const vpcs = await clients.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    const group = await clients.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: `${name}-${newClusterId()}`,
        Description: "a team's own group",
        VpcId: vpcs.Vpcs?.[0]?.VpcId,
      }),
    );
    const id = group.GroupId ?? "";
    const permissions = rules(id);
    if (permissions.length > 0)
      await clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: permissions }));
    return id;
  };
  const startWith = (clusterId: string, securityGroups: string[]) => {
    const spec = resolveClusterSpec({ image, clusterId, workers: 1, tls: false });
    return upFargateCluster(spec, resolveFargateSpec({ region, securityGroups }, spec), { clients });
  };
  /** Another team's group, which a rule of the cluster's group may name. */
  let other = "";
  beforeAll(async () => {
    other = await ownGroup("another-team", () => []);
  });
  afterAll(async () => {
    await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: other }));
  });

  test.each([
    [
      "a CIDR on the scheduler port",
      (_self: string): IpPermission[] => [
        { IpProtocol: "tcp", FromPort: 8786, ToPort: 8786, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
      ],
      "10.0.0.0/8",
    ],
    [
      "all traffic from an IPv6 range",
      (): IpPermission[] => [{ IpProtocol: "-1", Ipv6Ranges: [{ CidrIpv6: "::/0" }] }],
      "::/0",
    ],
    [
      "a port range holding 8786 from another group",
      (self: string): IpPermission[] => [
        { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: self }] },
        { IpProtocol: "tcp", FromPort: 8000, ToPort: 9000, UserIdGroupPairs: [{ GroupId: other }] },
      ],
      "other",
    ],
  ])("%s: refused before anything is created, naming the group and the source", async (_name, rules, source) => {
    const clusterId = newClusterId();
    const group = await ownGroup("team", rules);
    const error = await startWith(clusterId, [group]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PreflightError);
    const message = (error as Error).message;
    expect(message).toContain(
      "TLS is off while the given security groups open the scheduler port 8786 beyond themselves",
    );
    expect(message).toContain(`${group} admits ${source === "other" ? other : source}`);
    expect(await awsLeftovers(clients, clusterId)).toEqual([]);
    await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: group }));
  });

  test("groups that admit the scheduler port only from themselves (and other ports from anywhere) start the cluster", async () => {
    const clusterId = newClusterId();
    const group = await ownGroup("team-closed", (self) => [
      { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: self }] },
      { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
    ]);
    const handle = await startWith(clusterId, [group]);
    expect(handle.schedulerAddress).toMatch(/^tcp:\/\//);
    await downFargateCluster({ clusterId, resources: handle.fargate }, { clients });
    expect(await awsLeftovers(clients, clusterId)).toEqual([]);
    await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: group }));
  });
});
