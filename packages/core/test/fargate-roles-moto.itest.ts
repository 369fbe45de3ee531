import { CreateClusterCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from "vitest";
import { EXECUTION_ROLE_POLICY_ARN } from "../src/fargate/fargate-roles.js";
import { FIND_SCHEDULER_POLICY_NAME, findSchedulerPolicy } from "../src/fargate/find-scheduler-access.js";
import {
  type AwsClients,
  AwsResponseError,
  createAwsClients,
  downFargateCluster,
  fargateNames,
  RolesSetupError,
  resolveClusterSpec,
  resolveFargateSpec,
  setupRoles,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";

/**
 * The managed roles against moto: what `dask-fargate setup-roles` creates, that `up` only reads roles
 * that exist, and what `up` says when it may not create them. Also moto's real 500 HTML page, read
 * through the client factory.
 */
const endpoint = inject("motoEndpoint");
const region = "us-east-1";
/** moto's account (its default) and what its STS GetCallerIdentity reports. */
const ACCOUNT = "123456789012";
let admin: AwsClients;

beforeAll(() => {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
  });
  admin = createAwsClients({ region });
});
beforeEach(async () => {
  await resetMoto(endpoint);
});
afterAll(async () => {
  await resetMoto(endpoint);
});

/** A role's trust policy as a document (IAM returns it URL-encoded). */
async function trustPolicy(
  name: string,
): Promise<{ Statement: { Condition?: Record<string, Record<string, string>> }[] }> {
  const role = await admin.iam.send(new GetRoleCommand({ RoleName: name }));
  const raw = role.Role?.AssumeRolePolicyDocument ?? "{}";
  return JSON.parse(raw.startsWith("%7B") ? decodeURIComponent(raw) : raw) as {
    Statement: { Condition?: Record<string, Record<string, string>> }[];
  };
}

/** The IAM and STS operations an identity sent, to show which writes it needed. */
function recordedClients(): { clients: AwsClients; sent: string[] } {
  const sent: string[] = [];
  return {
    clients: createAwsClients({ region, onRequest: (service, operation) => sent.push(`${service}:${operation}`) }),
    sent,
  };
}

const spec = () =>
  resolveClusterSpec({ image: `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/dask:env-0123456789abcdef`, workers: 1 });

describe("setup-roles", () => {
  test("creates both roles with aws:SourceAccount and aws:SourceArn in their trust policies (confused-deputy guard)", async () => {
    const result = await setupRoles(admin, { taskRolePolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] });
    expect(result.changes).toEqual([
      `created the IAM role ${fargateNames.executionRole}`,
      `created the IAM role ${fargateNames.taskRole}`,
      `put the inline policy ${FIND_SCHEDULER_POLICY_NAME} (ecs:DescribeTasks of this tool's scheduler tasks, so workers find their scheduler) on ${fargateNames.taskRole}`,
    ]);
    // The task role's one inline policy: workers find their scheduler (DescribeTasks), nothing else.
    const findScheduler = await admin.iam.send(
      new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }),
    );
    expect(JSON.parse(decodeURIComponent(findScheduler.PolicyDocument ?? "{}"))).toEqual(
      JSON.parse(findSchedulerPolicy()),
    );
    for (const name of [fargateNames.executionRole, fargateNames.taskRole]) {
      expect((await trustPolicy(name)).Statement[0]?.Condition).toEqual({
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:ecs:*:${ACCOUNT}:*` },
      });
    }
    const attached = await admin.iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: fargateNames.executionRole }),
    );
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([EXECUTION_ROLE_POLICY_ARN]);
    const inline = await admin.iam.send(
      new GetRolePolicyCommand({ RoleName: fargateNames.executionRole, PolicyName: "read-cluster-tls-secrets" }),
    );
    expect(decodeURIComponent(inline.PolicyDocument ?? "")).toContain(
      "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*",
    );
    const task = await admin.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: fargateNames.taskRole }));
    expect(task.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual(["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]);
  });

  test("is idempotent, and adds the guard to a role made without it (by an earlier version)", async () => {
    const unguarded = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const old = await admin.iam.send(
      new CreateRoleCommand({ RoleName: fargateNames.taskRole, AssumeRolePolicyDocument: unguarded }),
    );
    const first = await setupRoles(admin);
    expect(first.changes).toEqual([
      `created the IAM role ${fargateNames.executionRole}`,
      `replaced the trust policy of ${fargateNames.taskRole} (statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)); it now admits only ECS tasks of account ${ACCOUNT} (aws:SourceAccount, aws:SourceArn)`,
      `put the inline policy ${FIND_SCHEDULER_POLICY_NAME} (ecs:DescribeTasks of this tool's scheduler tasks, so workers find their scheduler) on ${fargateNames.taskRole}`,
    ]);
    expect(first.taskRoleArn).toBe(old.Role?.Arn);
    expect((await trustPolicy(fargateNames.taskRole)).Statement[0]?.Condition?.["StringEquals"]).toEqual({
      "aws:SourceAccount": ACCOUNT,
    });
    expect((await setupRoles(admin)).changes).toEqual([]);
  });
});

test("with --permissions-boundary, the roles it creates carry the boundary (the variant where CI creates them)", async () => {
  const policy = await admin.iam.send(
    new CreatePolicyCommand({
      PolicyName: "dask-fargate-action-boundary",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }],
      }),
    }),
  );
  const boundary = policy.Policy?.Arn ?? "";
  await setupRoles(admin, { permissionsBoundaryArn: boundary });
  for (const name of [fargateNames.executionRole, fargateNames.taskRole]) {
    const role = await admin.iam.send(new GetRoleCommand({ RoleName: name }));
    expect(role.Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
  }
});

describe("up with the managed roles", () => {
  test("after setup-roles, up sends no IAM write at all (only reads: iam:GetRole, and iam:GetRolePolicy of the find-scheduler policy)", async () => {
    await setupRoles(admin);
    const { clients, sent } = recordedClients();
    const handle = await upFargateCluster(spec(), resolveFargateSpec({ region }, spec()), {
      clients,
      logger: recorder(),
    });
    try {
      expect(sent.filter((op) => op.startsWith("IAM:") || op.startsWith("STS:"))).toEqual([
        "IAM:GetRole",
        "IAM:GetRole",
        "IAM:GetRolePolicy",
      ]);
    } finally {
      await downFargateCluster(
        { clusterId: handle.clusterId, resources: handle.fargate },
        { clients: admin, tlsDir: handle.tlsDir },
      );
    }
  });

  test("roles created by up itself (an identity that may) carry the guard too", async () => {
    const { clients, sent } = recordedClients();
    const handle = await upFargateCluster(spec(), resolveFargateSpec({ region }, spec()), {
      clients,
      logger: recorder(),
    });
    await downFargateCluster(
      { clusterId: handle.clusterId, resources: handle.fargate },
      { clients: admin, tlsDir: handle.tlsDir },
    );
    expect(sent).toContain("IAM:CreateRole");
    expect(sent).toContain("STS:GetCallerIdentity");
    for (const name of [fargateNames.executionRole, fargateNames.taskRole]) {
      expect((await trustPolicy(name)).Statement[0]?.Condition?.["StringEquals"]).toEqual({
        "aws:SourceAccount": ACCOUNT,
      });
    }
  });

  test("a missing role that the identity may not create: the error says to run setup-roles once, and nothing is created", async () => {
    const { clients } = recordedClients();
    // As IAM answers an identity with the README's default policy (no iam:CreateRole).
    (clients.iam.middlewareStack as unknown as { add: (m: unknown, o: unknown) => void }).add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        if (context.commandName === "CreateRoleCommand") {
          throw Object.assign(
            new Error(
              `User: arn:aws:sts::${ACCOUNT}:assumed-role/ci/run is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${ACCOUNT}:role/${fargateNames.executionRole}`,
            ),
            { name: "AccessDenied", $metadata: { httpStatusCode: 403 } },
          );
        }
        return next(args);
      },
      { step: "initialize", name: "denyCreateRole" },
    );
    const logger = recorder();
    const cluster = spec();
    const error = await upFargateCluster(cluster, resolveFargateSpec({ region }, cluster), { clients, logger }).then(
      () => new Error("up succeeded"),
      (e: unknown) => e as Error,
    );
    expect(RolesSetupError.isInstance(error)).toBe(true);
    expect(error.message).toMatchInlineSnapshot(
      `"the IAM role dask-fargate-action-execution does not exist and this identity may not create it (iam:CreateRole was denied). Run \`dask-fargate setup-roles\` once as an administrator (or create the roles from the CloudFormation template docs/aws/roles-cloudformation.json), or pass execution-role-arn and task-role-arn."`,
    );
    expect((error as RolesSetupError).cause).toMatchObject({ name: "AccessDenied" });
    expect(await awsLeftovers(admin, cluster.clusterId)).toEqual([]);
  });
});

/** The issue's trust policy: ECS tasks with no condition, beside a decoy carrying another account's aws:SourceAccount. */
const decoyTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
    {
      Effect: "Allow",
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": "999999999999" } },
    },
  ],
});

test("up refuses a role whose trust policy admits other accounts' ECS tasks (a decoy aws:SourceAccount does not pass), and creates nothing", async () => {
  for (const name of [fargateNames.executionRole, fargateNames.taskRole]) {
    await admin.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: decoyTrust }));
  }
  const { clients, sent } = recordedClients();
  const cluster = spec();
  const error = await upFargateCluster(cluster, resolveFargateSpec({ region }, cluster), {
    clients,
    logger: recorder(),
  }).then(
    () => new Error("up succeeded"),
    (e: unknown) => e as Error,
  );
  expect(RolesSetupError.isInstance(error)).toBe(true);
  expect(error.message).toMatchInlineSnapshot(
    `"the IAM role dask-fargate-action-execution has a trust policy that does not limit it to ECS tasks of account 123456789012 (statement 1 lets ECS tasks assume the role but has no aws:SourceAccount condition (StringEquals, your account)), so another account's tasks could act as this role (the confused deputy) and the cluster was not started. setup-roles replaces the trust policy with the guarded one (aws:SourceAccount and aws:SourceArn of this account). Run \`dask-fargate setup-roles\` once as an administrator (or create the roles from the CloudFormation template docs/aws/roles-cloudformation.json), or pass execution-role-arn and task-role-arn."`,
  );
  expect(
    sent.filter((op) => !op.startsWith("IAM:GetRole") && !/^(EC2|ServiceQuotas|ECR):(Describe|Get)/.test(op)),
  ).toEqual([]);
  expect(await awsLeftovers(admin, cluster.clusterId)).toEqual([]);
  // setup-roles replaces both trust policies with the guarded one; up then starts.
  const fixed = await setupRoles(admin);
  expect(fixed.changes.filter((c) => c.startsWith("replaced the trust policy"))).toHaveLength(2);
  expect((await trustPolicy(fargateNames.taskRole)).Statement).toHaveLength(1);
  expect((await setupRoles(admin)).changes).toEqual([]);
});

test("a task-role policy that is not attached names the policy and setup-roles", async () => {
  await setupRoles(admin);
  const { clients } = recordedClients();
  const logger = recorder();
  const cluster = spec();
  const policyArn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
  const error = await upFargateCluster(
    cluster,
    resolveFargateSpec({ region, taskRolePolicyArns: [policyArn] }, cluster),
    { clients, logger },
  ).then(
    () => new Error("up succeeded"),
    (e: unknown) => e as Error,
  );
  expect(RolesSetupError.isInstance(error)).toBe(true);
  expect(error.message).toContain(
    `attach them once as an administrator with \`dask-fargate setup-roles --task-role-policy-arns ${policyArn}\``,
  );
  expect(await awsLeftovers(admin, cluster.clusterId)).toEqual([]);
});

test("moto's real 500 (RunTask with a capacity provider strategy) names the operation, the status and the page", async () => {
  // moto treats capacity providers as EC2 and fails with its HTML error page (issue 9); the SDK alone says
  // `Unexpected token '<', "<!doctype "... is not valid JSON`.
  const clients = createAwsClients({ region, maxAttempts: 1 });
  await admin.ecs.send(new CreateClusterCommand({ clusterName: "spot" }));
  await admin.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "spot-worker",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "dask", image: "busybox", essential: true }],
    }),
  );
  const error = await clients.ecs
    .send(
      new RunTaskCommand({
        cluster: "spot",
        taskDefinition: "spot-worker",
        count: 1,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-12345678"] } },
      }),
    )
    .then(
      () => new Error("RunTask succeeded"),
      (e: unknown) => e as Error,
    );
  expect(AwsResponseError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ service: "ECS", operation: "RunTask", statusCode: 500 });
  expect(error.message).toMatch(
    /^ECS RunTask failed: http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 with a body that is not an AWS response \(text\/html[^)]*\): "<!doctype html>/i,
  );
  expect(error.message).not.toContain("Unexpected token");
});
