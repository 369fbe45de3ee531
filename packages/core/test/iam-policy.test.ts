import { describe, expect, test } from "vitest";
import { EXECUTION_ROLE_POLICY_ARN } from "../src/fargate/fargate-roles.js";
import { findSchedulerPolicy, policyAllowsFindScheduler } from "../src/fargate/find-scheduler-access.js";
import { fargateNames, perRepositoryPolicy, rolesCloudFormationTemplate } from "../src/index.js";
import { LABEL, MANAGED_BY } from "../src/internal/labels.js";
import { type AuthorizationRequest, arnMatches, evaluate, type PolicyDocument } from "./iam-policy-evaluator.js";
import { POLICY_FILES, policyDirectoryFiles, policyFile, policyFilePath, policyFileText } from "./policy-files.js";

/**
 * The IAM policy files users apply (docs/aws/, see policy-files.ts), evaluated against the requests the tool
 * makes and the ones it must never be able to make. The requests are those of an `up`, `scale`, `logs` and
 * `down` against moto (see fargate-moto.itest.ts, which checks the policy's action list against the operations
 * sent), written with the resource ARNs, tags and condition keys AWS authorizes them with. `DFA_AWS_DOCS`
 * points the test at another directory of policy files, e.g. an older one, to see it fail.
 */
const defaultPolicy = policyFile("tool");
const withRoleCreation: PolicyDocument = {
  Statement: [...defaultPolicy.Statement, ...policyFile("ciCreatesRoles").Statement],
};

const account = "123456789012";
const region = "us-east-1";
const id = "dfa-0123abcd";
const ours = { [`aws:ResourceTag/${LABEL.managedBy}`]: MANAGED_BY };
const requestTag = { [`aws:RequestTag/${LABEL.managedBy}`]: MANAGED_BY };
const arn = {
  cluster: `arn:aws:ecs:${region}:${account}:cluster/${id}`,
  taskDefinition: `arn:aws:ecs:${region}:${account}:task-definition/${fargateNames.family(id, "worker")}:1`,
  task: `arn:aws:ecs:${region}:${account}:task/${id}/0123456789abcdef0123456789abcdef`,
  securityGroup: `arn:aws:ec2:${region}:${account}:security-group/sg-0123456789abcdef0`,
  vpc: `arn:aws:ec2:${region}:${account}:vpc/vpc-0123456789abcdef0`,
  logGroup: `arn:aws:logs:${region}:${account}:log-group:${fargateNames.logGroup(id)}`,
  logStream: `arn:aws:logs:${region}:${account}:log-group:${fargateNames.logGroup(id)}:log-stream:dask/dask/0123456789abcdef0123456789abcdef`,
  // Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
  secret: `arn:aws:secretsmanager:${region}:${account}:secret:${fargateNames.tlsSecret(id)}-AbCdEf`,
  executionRole: `arn:aws:iam::${account}:role/${fargateNames.executionRole}`,
  taskRole: `arn:aws:iam::${account}:role/${fargateNames.taskRole}`,
  boundary: `arn:aws:iam::${account}:policy/dask-fargate-action-boundary`,
};
const any = [{ arn: "*" }];

/** Every request the tool makes with the default policy (the managed roles exist), as AWS authorizes it. */
const TOOL_REQUESTS: [string, AuthorizationRequest][] = [
  [
    "ECS CreateCluster, tagged",
    { action: "ecs:CreateCluster", resources: [{ arn: arn.cluster }], context: requestTag },
  ],
  [
    "its tags",
    {
      action: "ecs:TagResource",
      resources: [{ arn: arn.cluster }],
      context: { ...requestTag, "ecs:CreateAction": "CreateCluster" },
    },
  ],
  ["RegisterTaskDefinition", { action: "ecs:RegisterTaskDefinition", resources: any, context: requestTag }],
  [
    "its tags",
    {
      action: "ecs:TagResource",
      resources: [{ arn: arn.taskDefinition }],
      context: { ...requestTag, "ecs:CreateAction": "RegisterTaskDefinition" },
    },
  ],
  [
    "RunTask",
    {
      action: "ecs:RunTask",
      resources: [{ arn: arn.taskDefinition }, { arn: arn.cluster }],
      context: { ...requestTag, "ecs:cluster": arn.cluster },
    },
  ],
  [
    "its tags",
    {
      action: "ecs:TagResource",
      resources: [{ arn: arn.task }],
      context: { ...requestTag, "ecs:CreateAction": "RunTask" },
    },
  ],
  ["DescribeTasks", { action: "ecs:DescribeTasks", resources: [{ arn: arn.task }] }],
  [
    "GetRolePolicy of the task role's find-scheduler policy (which start up can use)",
    { action: "iam:GetRolePolicy", resources: [{ arn: arn.taskRole }] },
  ],
  ["DescribeClusters", { action: "ecs:DescribeClusters", resources: [{ arn: arn.cluster }] }],
  ["DescribeTaskDefinition (teardown reads its tags)", { action: "ecs:DescribeTaskDefinition", resources: any }],
  ["ListClusters", { action: "ecs:ListClusters", resources: any }],
  ["ListTasks", { action: "ecs:ListTasks", resources: any }],
  ["ListTaskDefinitions", { action: "ecs:ListTaskDefinitions", resources: any }],
  ["DeregisterTaskDefinition", { action: "ecs:DeregisterTaskDefinition", resources: any }],
  ["DeleteTaskDefinitions (teardown, after deregistering)", { action: "ecs:DeleteTaskDefinitions", resources: any }],
  [
    "StopTask of our task",
    { action: "ecs:StopTask", resources: [{ arn: arn.task, context: ours }], context: { "ecs:cluster": arn.cluster } },
  ],
  ["DeleteCluster of our cluster", { action: "ecs:DeleteCluster", resources: [{ arn: arn.cluster, context: ours }] }],
  ["EC2 DescribeVpcs", { action: "ec2:DescribeVpcs", resources: any }],
  ["DescribeSubnets", { action: "ec2:DescribeSubnets", resources: any }],
  ["DescribeSecurityGroups", { action: "ec2:DescribeSecurityGroups", resources: any }],
  ["DescribeNetworkInterfaces", { action: "ec2:DescribeNetworkInterfaces", resources: any }],
  ["preflight: DescribeRouteTables", { action: "ec2:DescribeRouteTables", resources: any }],
  ["preflight: DescribeVpcEndpoints", { action: "ec2:DescribeVpcEndpoints", resources: any }],
  [
    "preflight: GetServiceQuota",
    {
      action: "servicequotas:GetServiceQuota",
      resources: [{ arn: "arn:aws:servicequotas:us-east-1:123456789012:fargate/L-3032A538" }],
    },
  ],
  ["preflight: GetAWSDefaultServiceQuota", { action: "servicequotas:GetAWSDefaultServiceQuota", resources: any }],
  ["preflight: ECR GetAuthorizationToken", { action: "ecr:GetAuthorizationToken", resources: any }],
  [
    "preflight: the image's manifest and config through the registry API",
    { action: "ecr:BatchGetImage", resources: [{ arn: "arn:aws:ecr:us-east-1:123456789012:repository/dask" }] },
  ],
  [
    "its config blob",
    {
      action: "ecr:GetDownloadUrlForLayer",
      resources: [{ arn: "arn:aws:ecr:us-east-1:123456789012:repository/dask" }],
    },
  ],
  [
    "CreateSecurityGroup with TagSpecifications",
    {
      action: "ec2:CreateSecurityGroup",
      resources: [{ arn: arn.securityGroup }, { arn: arn.vpc }],
      context: requestTag,
    },
  ],
  [
    "its tags",
    {
      action: "ec2:CreateTags",
      resources: [{ arn: arn.securityGroup }],
      context: { ...requestTag, "ec2:CreateAction": "CreateSecurityGroup" },
    },
  ],
  [
    "AuthorizeSecurityGroupIngress on our group",
    { action: "ec2:AuthorizeSecurityGroupIngress", resources: [{ arn: arn.securityGroup, context: ours }] },
  ],
  [
    "DeleteSecurityGroup of our group",
    { action: "ec2:DeleteSecurityGroup", resources: [{ arn: arn.securityGroup, context: ours }] },
  ],
  [
    "Logs CreateLogGroup, tagged",
    { action: "logs:CreateLogGroup", resources: [{ arn: `${arn.logGroup}:log-stream:` }], context: requestTag },
  ],
  ["its tags", { action: "logs:TagResource", resources: [{ arn: arn.logGroup }], context: requestTag }],
  ["PutRetentionPolicy", { action: "logs:PutRetentionPolicy", resources: [{ arn: `${arn.logGroup}:*` }] }],
  ["DescribeLogGroups", { action: "logs:DescribeLogGroups", resources: any }],
  ["DescribeLogStreams", { action: "logs:DescribeLogStreams", resources: [{ arn: `${arn.logGroup}:*` }] }],
  ["GetLogEvents", { action: "logs:GetLogEvents", resources: [{ arn: arn.logStream }] }],
  [
    "ListTagsForResource of our log group (teardown)",
    { action: "logs:ListTagsForResource", resources: [{ arn: arn.logGroup }] },
  ],
  ["DeleteLogGroup of our group", { action: "logs:DeleteLogGroup", resources: [{ arn: `${arn.logGroup}:*` }] }],
  [
    "Secrets Manager CreateSecret",
    { action: "secretsmanager:CreateSecret", resources: [{ arn: arn.secret }], context: requestTag },
  ],
  ["its tags", { action: "secretsmanager:TagResource", resources: [{ arn: arn.secret }], context: requestTag }],
  ["ListSecrets", { action: "secretsmanager:ListSecrets", resources: any }],
  ["DeleteSecret of our secret", { action: "secretsmanager:DeleteSecret", resources: [{ arn: arn.secret }] }],
  ["IAM GetRole (execution)", { action: "iam:GetRole", resources: [{ arn: arn.executionRole }] }],
  ["GetRole (task)", { action: "iam:GetRole", resources: [{ arn: arn.taskRole }] }],
  [
    "ListAttachedRolePolicies (task): task-role-policy-arns are checked, never attached",
    { action: "iam:ListAttachedRolePolicies", resources: [{ arn: arn.taskRole }] },
  ],
  [
    "PassRole (execution) in RegisterTaskDefinition",
    {
      action: "iam:PassRole",
      resources: [{ arn: arn.executionRole }],
      context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
    },
  ],
  [
    "PassRole (task)",
    {
      action: "iam:PassRole",
      resources: [{ arn: arn.taskRole }],
      context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
    },
  ],
];

/** What the default policy must refuse: the paths from CI credentials to other people's resources or to admin. */
const MUST_BE_DENIED: [string, AuthorizationRequest][] = [
  [
    "CreateRole of a role trusting anyone",
    { action: "iam:CreateRole", resources: [{ arn: `arn:aws:iam::${account}:role/dask-fargate-action-anyone` }] },
  ],
  ["CreateRole of the managed role's name", { action: "iam:CreateRole", resources: [{ arn: arn.executionRole }] }],
  [
    "AttachRolePolicy of AdministratorAccess",
    {
      action: "iam:AttachRolePolicy",
      resources: [{ arn: arn.taskRole }],
      context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
  ],
  ["PutRolePolicy on the execution role", { action: "iam:PutRolePolicy", resources: [{ arn: arn.executionRole }] }],
  [
    "UpdateAssumeRolePolicy (trust anyone)",
    { action: "iam:UpdateAssumeRolePolicy", resources: [{ arn: arn.taskRole }] },
  ],
  [
    "PassRole to another service",
    {
      action: "iam:PassRole",
      resources: [{ arn: arn.taskRole }],
      context: { "iam:PassedToService": "lambda.amazonaws.com" },
    },
  ],
  [
    "PassRole of another role",
    {
      action: "iam:PassRole",
      resources: [{ arn: `arn:aws:iam::${account}:role/admin` }],
      context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
    },
  ],
  [
    "DeleteSecret of another secret",
    {
      action: "secretsmanager:DeleteSecret",
      resources: [{ arn: `arn:aws:secretsmanager:${region}:${account}:secret:prod/db-password-AbCdEf` }],
    },
  ],
  // The secret holds the TLS files, written once at its creation; the scheduler's address travels in the workers' RunTasks.
  ["PutSecretValue even of our secret", { action: "secretsmanager:PutSecretValue", resources: [{ arn: arn.secret }] }],
  [
    "PutSecretValue of another secret",
    {
      action: "secretsmanager:PutSecretValue",
      resources: [{ arn: `arn:aws:secretsmanager:${region}:${account}:secret:prod/db-password-AbCdEf` }],
    },
  ],
  [
    "CreateSecret under another name",
    {
      action: "secretsmanager:CreateSecret",
      resources: [{ arn: `arn:aws:secretsmanager:${region}:${account}:secret:prod/x-AbCdEf` }],
    },
  ],
  [
    "DeleteLogGroup of another group",
    {
      action: "logs:DeleteLogGroup",
      resources: [{ arn: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/payments:*` }],
    },
  ],
  [
    "DeleteSecurityGroup of an untagged group",
    { action: "ec2:DeleteSecurityGroup", resources: [{ arn: arn.securityGroup }] },
  ],
  [
    "DeleteSecurityGroup of a group tagged by someone else",
    {
      action: "ec2:DeleteSecurityGroup",
      resources: [{ arn: arn.securityGroup, context: { [`aws:ResourceTag/${LABEL.managedBy}`]: "terraform" } }],
    },
  ],
  [
    "AuthorizeSecurityGroupIngress on an untagged group",
    { action: "ec2:AuthorizeSecurityGroupIngress", resources: [{ arn: arn.securityGroup }] },
  ],
  [
    "CreateSecurityGroup without our tag",
    { action: "ec2:CreateSecurityGroup", resources: [{ arn: arn.securityGroup }, { arn: arn.vpc }] },
  ],
  [
    "CreateTags on an existing group (forging our tag)",
    { action: "ec2:CreateTags", resources: [{ arn: arn.securityGroup }], context: requestTag },
  ],
  [
    "TagResource on an existing ECS cluster (forging our tag)",
    { action: "ecs:TagResource", resources: [{ arn: arn.cluster }], context: requestTag },
  ],
  [
    "StopTask of a task without our tag",
    {
      action: "ecs:StopTask",
      resources: [{ arn: `arn:aws:ecs:${region}:${account}:task/payments/0123456789abcdef0123456789abcdef` }],
      context: { "ecs:cluster": `arn:aws:ecs:${region}:${account}:cluster/payments` },
    },
  ],
  [
    "DeleteCluster of an untagged cluster",
    { action: "ecs:DeleteCluster", resources: [{ arn: `arn:aws:ecs:${region}:${account}:cluster/payments` }] },
  ],
];

const boundary = { "iam:PermissionsBoundary": arn.boundary };

/** What `dask-fargate setup-roles --permissions-boundary` sends when CI creates the roles (the variant). */
const SETUP_REQUESTS: [string, AuthorizationRequest][] = [
  [
    "CreateRole (execution) with the boundary",
    { action: "iam:CreateRole", resources: [{ arn: arn.executionRole }], context: { ...boundary, ...requestTag } },
  ],
  ["its tags", { action: "iam:TagRole", resources: [{ arn: arn.executionRole }], context: requestTag }],
  [
    "CreateRole (task) with the boundary",
    { action: "iam:CreateRole", resources: [{ arn: arn.taskRole }], context: { ...boundary, ...requestTag } },
  ],
  ["its tags", { action: "iam:TagRole", resources: [{ arn: arn.taskRole }], context: requestTag }],
  [
    "AttachRolePolicy of AmazonECSTaskExecutionRolePolicy",
    {
      action: "iam:AttachRolePolicy",
      resources: [{ arn: arn.executionRole, context: boundary }],
      context: { "iam:PolicyARN": EXECUTION_ROLE_POLICY_ARN },
    },
  ],
  [
    "PutRolePolicy of the TLS-secrets read",
    { action: "iam:PutRolePolicy", resources: [{ arn: arn.executionRole, context: boundary }] },
  ],
];

const MUST_BE_DENIED_WHEN_CI_CREATES_ROLES: [string, AuthorizationRequest][] = [
  [
    "CreateRole of a role trusting anyone, without a boundary",
    { action: "iam:CreateRole", resources: [{ arn: arn.taskRole }], context: requestTag },
  ],
  [
    "CreateRole with another boundary",
    {
      action: "iam:CreateRole",
      resources: [{ arn: arn.taskRole }],
      context: { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
  ],
  [
    "CreateRole of another name",
    {
      action: "iam:CreateRole",
      resources: [{ arn: `arn:aws:iam::${account}:role/dask-fargate-action-anyone` }],
      context: boundary,
    },
  ],
  [
    "AttachRolePolicy of AdministratorAccess",
    {
      action: "iam:AttachRolePolicy",
      resources: [{ arn: arn.executionRole, context: boundary }],
      context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
  ],
  [
    "AttachRolePolicy of AdministratorAccess to the task role",
    {
      action: "iam:AttachRolePolicy",
      resources: [{ arn: arn.taskRole, context: boundary }],
      context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
  ],
  [
    "AttachRolePolicy to a role without the boundary",
    {
      action: "iam:AttachRolePolicy",
      resources: [{ arn: arn.executionRole }],
      context: { "iam:PolicyARN": EXECUTION_ROLE_POLICY_ARN },
    },
  ],
  [
    "PutRolePolicy on the task role",
    { action: "iam:PutRolePolicy", resources: [{ arn: arn.taskRole, context: boundary }] },
  ],
  [
    "PutRolePolicy on a role without the boundary",
    { action: "iam:PutRolePolicy", resources: [{ arn: arn.executionRole }] },
  ],
  [
    "DeletePermissionsBoundary",
    { action: "iam:DeleteRolePermissionsBoundary", resources: [{ arn: arn.executionRole, context: boundary }] },
  ],
  [
    "UpdateAssumeRolePolicy",
    { action: "iam:UpdateAssumeRolePolicy", resources: [{ arn: arn.executionRole, context: boundary }] },
  ],
];

test("every file under docs/aws is one of the policy files these tests evaluate, and each of them is there", () => {
  expect(policyDirectoryFiles()).toEqual(Object.values(POLICY_FILES).sort());
});

describe("the default IAM policy, docs/aws/tool-policy.json", () => {
  test("is a file under docs/aws", () => {
    expect(policyFileText("tool"), policyFilePath("tool")).toBeDefined();
  });

  test.each(TOOL_REQUESTS)("allows the tool's %s", (_name, request) => {
    expect(evaluate(defaultPolicy, request)).toMatchObject({ allowed: true });
  });

  test("every action of the policy is exercised by a request above, and every statement allows one", () => {
    const actions = new Set(
      defaultPolicy.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action])),
    );
    expect([...new Set(TOOL_REQUESTS.map(([, r]) => r.action))].sort()).toEqual([...actions].sort());
    const used = new Set(TOOL_REQUESTS.flatMap(([, r]) => evaluate(defaultPolicy, r).allowedBy.flat()));
    expect(defaultPolicy.Statement.map((s, i) => s.Sid ?? `#${i}`).filter((sid) => !used.has(sid))).toEqual([]);
  });

  test.each(MUST_BE_DENIED)("denies %s", (_name, request) => {
    expect(evaluate(defaultPolicy, request)).toMatchObject({ allowed: false });
  });

  test("grants no IAM write at all", () => {
    const iamActions = defaultPolicy.Statement.flatMap((s) =>
      typeof s.Action === "string" ? [s.Action] : [...s.Action],
    ).filter((a) => a.startsWith("iam:"));
    expect(iamActions.sort()).toEqual([
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:PassRole",
    ]);
  });
});

describe("the variant that lets CI create the roles", () => {
  test("is a file under docs/aws", () => {
    expect(policyFileText("ciCreatesRoles"), policyFilePath("ciCreatesRoles")).toBeDefined();
  });

  test.each(SETUP_REQUESTS)("allows setup-roles' %s", (_name, request) => {
    expect(evaluate(withRoleCreation, request)).toMatchObject({ allowed: true });
  });

  test.each([
    ...MUST_BE_DENIED_WHEN_CI_CREATES_ROLES,
    ...MUST_BE_DENIED.filter(([, r]) => !r.action.startsWith("iam:")),
  ])("denies %s", (_name, request) => {
    expect(evaluate(withRoleCreation, request)).toMatchObject({ allowed: false });
  });
});

/** Job outputs with the managed task role: the statements a team adds for output-uri (docs/job-outputs.md). */
const outputsPolicy = policyFile("outputs");
const outputsBucket = "arn:aws:s3:::OUTPUT-BUCKET";
const OUTPUT_REQUESTS: [string, AuthorizationRequest][] = [
  [
    "GetRolePolicy of the static outputs policy (up's check)",
    { action: "iam:GetRolePolicy", resources: [{ arn: arn.taskRole }] },
  ],
  [
    "ListObjectsV2 of the run's prefix",
    {
      action: "s3:ListBucket",
      resources: [{ arn: outputsBucket }],
      context: { "s3:prefix": `OUTPUT-PREFIX/${id}/t0k3n/j0b/` },
    },
  ],
  [
    "GetObject of the manifest",
    { action: "s3:GetObject", resources: [{ arn: `${outputsBucket}/OUTPUT-PREFIX/${id}/t0k3n/j0b/manifest.json` }] },
  ],
  [
    "GetObject of an output file",
    {
      action: "s3:GetObject",
      resources: [{ arn: `${outputsBucket}/OUTPUT-PREFIX/${id}/t0k3n/j0b/files/metrics.json` }],
    },
  ],
];
const MUST_BE_DENIED_WITH_OUTPUTS: [string, AuthorizationRequest][] = [
  // Issue 20, part 1: with PutRolePolicy on the task role, RunTask and PassRole, CI could give the tasks *:* and run any container as them.
  ["PutRolePolicy on the managed task role", { action: "iam:PutRolePolicy", resources: [{ arn: arn.taskRole }] }],
  ["DeleteRolePolicy on the managed task role", { action: "iam:DeleteRolePolicy", resources: [{ arn: arn.taskRole }] }],
  ["AttachRolePolicy on the managed task role", { action: "iam:AttachRolePolicy", resources: [{ arn: arn.taskRole }] }],
  ["PutRolePolicy on the execution role", { action: "iam:PutRolePolicy", resources: [{ arn: arn.executionRole }] }],
  [
    "PutRolePolicy on another role",
    { action: "iam:PutRolePolicy", resources: [{ arn: `arn:aws:iam::${account}:role/admin` }] },
  ],
  [
    "AttachRolePolicy of AdministratorAccess to the task role",
    {
      action: "iam:AttachRolePolicy",
      resources: [{ arn: arn.taskRole }],
      context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
  ],
  [
    "GetObject elsewhere in the bucket",
    { action: "s3:GetObject", resources: [{ arn: `${outputsBucket}/payroll/2026.csv` }] },
  ],
  [
    "ListObjectsV2 of another prefix",
    { action: "s3:ListBucket", resources: [{ arn: outputsBucket }], context: { "s3:prefix": "payroll/" } },
  ],
  [
    "PutObject (the runner only reads; the task role writes)",
    { action: "s3:PutObject", resources: [{ arn: `${outputsBucket}/OUTPUT-PREFIX/${id}/x` }] },
  ],
];

describe("the statements for job outputs with the managed task role, docs/aws/outputs-policy.json", () => {
  const withOutputs: PolicyDocument = { Statement: [...defaultPolicy.Statement, ...outputsPolicy.Statement] };

  test("are a file under docs/aws, and every action is exercised below", () => {
    expect(policyFileText("outputs"), policyFilePath("outputs")).toBeDefined();
    const actions = new Set(
      outputsPolicy.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action])),
    );
    expect([...new Set(OUTPUT_REQUESTS.map(([, r]) => r.action))].sort()).toEqual([...actions].sort());
  });

  test.each(OUTPUT_REQUESTS)("allow the tool's %s", (_name, request) => {
    expect(evaluate(outputsPolicy, request)).toMatchObject({ allowed: true });
  });

  test.each([...MUST_BE_DENIED_WITH_OUTPUTS, ...MUST_BE_DENIED])(
    "together with the default policy deny %s",
    (_name, request) => {
      expect(evaluate(withOutputs, request)).toMatchObject({ allowed: false });
    },
  );

  test("write no IAM: the only IAM action is a read of the managed task role", () => {
    const actions = outputsPolicy.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));
    expect(actions.filter((a) => a.startsWith("iam:"))).toEqual(["iam:GetRolePolicy"]);
    const iam = outputsPolicy.Statement.filter((s) =>
      (typeof s.Action === "string" ? [s.Action] : [...s.Action]).some((a) => a.startsWith("iam:")),
    );
    expect(iam.map((s) => s.Resource)).toEqual([`arn:aws:iam::*:role/${fargateNames.taskRole}`]);
  });
});

/**
 * The per-repository policy (docs/iam.md, "Several repositories in one account"), for repository A = org/a: the tool's
 * requests from A's workflow, with A's tags, are allowed; the same requests on repository B's resources, creations
 * without A's tag and retagging of B's resources are denied.
 */
const REPOSITORY_A = "org/a";
const REPOSITORY_B = "org/b";
const repoTag = (kind: "ResourceTag" | "RequestTag", repository: string) => ({
  [`aws:${kind}/github.repository`]: repository,
});

/** The requests of the tool that create or change something, from a workflow of `repository` on its own resources. */
function repositoryRequests(repository: string): [string, AuthorizationRequest][] {
  const mine = { ...ours, ...repoTag("ResourceTag", repository) };
  const create = { ...requestTag, ...repoTag("RequestTag", repository) };
  return [
    ["ECS CreateCluster", { action: "ecs:CreateCluster", resources: [{ arn: arn.cluster }], context: create }],
    [
      "its tags",
      {
        action: "ecs:TagResource",
        resources: [{ arn: arn.cluster }],
        context: { ...create, "ecs:CreateAction": "CreateCluster" },
      },
    ],
    ["RegisterTaskDefinition", { action: "ecs:RegisterTaskDefinition", resources: any, context: create }],
    [
      "its tags",
      {
        action: "ecs:TagResource",
        resources: [{ arn: arn.taskDefinition }],
        context: { ...create, "ecs:CreateAction": "RegisterTaskDefinition" },
      },
    ],
    // RunTask is authorized on the task definition (ecs:cluster is a condition key), Service Authorization Reference.
    [
      "RunTask",
      {
        action: "ecs:RunTask",
        resources: [{ arn: arn.taskDefinition, context: mine }],
        context: { ...create, "ecs:cluster": arn.cluster },
      },
    ],
    [
      "its tags",
      {
        action: "ecs:TagResource",
        resources: [{ arn: arn.task }],
        context: { ...create, "ecs:CreateAction": "RunTask" },
      },
    ],
    [
      "StopTask",
      {
        action: "ecs:StopTask",
        resources: [{ arn: arn.task, context: mine }],
        context: { "ecs:cluster": arn.cluster },
      },
    ],
    ["DeleteCluster", { action: "ecs:DeleteCluster", resources: [{ arn: arn.cluster, context: mine }] }],
    ["DeregisterTaskDefinition", { action: "ecs:DeregisterTaskDefinition", resources: any }],
    [
      "DeleteTaskDefinitions",
      { action: "ecs:DeleteTaskDefinitions", resources: [{ arn: arn.taskDefinition, context: mine }] },
    ],
    [
      "CreateSecurityGroup",
      { action: "ec2:CreateSecurityGroup", resources: [{ arn: arn.securityGroup }, { arn: arn.vpc }], context: create },
    ],
    [
      "its tags",
      {
        action: "ec2:CreateTags",
        resources: [{ arn: arn.securityGroup }],
        context: { ...create, "ec2:CreateAction": "CreateSecurityGroup" },
      },
    ],
    [
      "AuthorizeSecurityGroupIngress",
      { action: "ec2:AuthorizeSecurityGroupIngress", resources: [{ arn: arn.securityGroup, context: mine }] },
    ],
    [
      "DeleteSecurityGroup",
      { action: "ec2:DeleteSecurityGroup", resources: [{ arn: arn.securityGroup, context: mine }] },
    ],
    [
      "CreateLogGroup",
      { action: "logs:CreateLogGroup", resources: [{ arn: `${arn.logGroup}:log-stream:` }], context: create },
    ],
    ["its tags", { action: "logs:TagResource", resources: [{ arn: arn.logGroup }], context: create }],
    [
      "PutRetentionPolicy",
      { action: "logs:PutRetentionPolicy", resources: [{ arn: `${arn.logGroup}:*`, context: mine }] },
    ],
    ["DeleteLogGroup", { action: "logs:DeleteLogGroup", resources: [{ arn: `${arn.logGroup}:*`, context: mine }] }],
    ["CreateSecret", { action: "secretsmanager:CreateSecret", resources: [{ arn: arn.secret }], context: create }],
    ["its tags", { action: "secretsmanager:TagResource", resources: [{ arn: arn.secret }], context: create }],
    ["DeleteSecret", { action: "secretsmanager:DeleteSecret", resources: [{ arn: arn.secret, context: mine }] }],
  ];
}

const perRepository = policyFile("perRepository");
const forRepositoryA: PolicyDocument = JSON.parse(perRepositoryPolicy(REPOSITORY_A)) as PolicyDocument;
const changes = new Set(repositoryRequests(REPOSITORY_A).map(([, r]) => r.action));
/** What A's workflow sends: its own creations and changes, and the tool's reads (which no tag limits). */
const requestsOfA = [...TOOL_REQUESTS.filter(([, r]) => !changes.has(r.action)), ...repositoryRequests(REPOSITORY_A)];
/** Not scopable by tag: ECS gives DeregisterTaskDefinition no resource-level permissions or condition keys. */
const UNSCOPABLE = new Set(["ecs:DeregisterTaskDefinition"]);

const MUST_BE_DENIED_TO_ANOTHER_REPOSITORY: [string, AuthorizationRequest][] = [
  // Repository B's resources, tagged B, and A's workflow asking with B's tags.
  ...repositoryRequests(REPOSITORY_B)
    .filter(([, r]) => !UNSCOPABLE.has(r.action))
    .map(([name, r]): [string, AuthorizationRequest] => [`${r.action} (${name}) as repository B`, r]),
  [
    "RunTask of B's task definition with A's request tags",
    {
      action: "ecs:RunTask",
      resources: [{ arn: arn.taskDefinition, context: { ...ours, ...repoTag("ResourceTag", REPOSITORY_B) } }],
      context: { ...requestTag, ...repoTag("RequestTag", REPOSITORY_A) },
    },
  ],
  [
    "PutSecretValue on B's secret (steering B's later workers)",
    {
      action: "secretsmanager:PutSecretValue",
      resources: [{ arn: arn.secret, context: { ...ours, ...repoTag("ResourceTag", REPOSITORY_B) } }],
    },
  ],
  [
    "PutSecretValue on a secret without a repository tag",
    { action: "secretsmanager:PutSecretValue", resources: [{ arn: arn.secret, context: ours }] },
  ],
  [
    "TagResource retagging B's secret as A's",
    {
      action: "secretsmanager:TagResource",
      resources: [{ arn: arn.secret, context: repoTag("ResourceTag", REPOSITORY_B) }],
      context: repoTag("RequestTag", REPOSITORY_A),
    },
  ],
  [
    "TagResource retagging B's log group as A's",
    {
      action: "logs:TagResource",
      resources: [{ arn: arn.logGroup, context: repoTag("ResourceTag", REPOSITORY_B) }],
      context: repoTag("RequestTag", REPOSITORY_A),
    },
  ],
  [
    "ECS TagResource on an existing cluster with A's tag",
    {
      action: "ecs:TagResource",
      resources: [{ arn: arn.cluster }],
      context: { ...requestTag, ...repoTag("RequestTag", REPOSITORY_A) },
    },
  ],
  [
    "CreateSecret without the repository tag",
    { action: "secretsmanager:CreateSecret", resources: [{ arn: arn.secret }], context: requestTag },
  ],
  [
    "CreateCluster without the repository tag",
    { action: "ecs:CreateCluster", resources: [{ arn: arn.cluster }], context: requestTag },
  ],
  [
    "CreateSecurityGroup without the repository tag",
    {
      action: "ec2:CreateSecurityGroup",
      resources: [{ arn: arn.securityGroup }, { arn: arn.vpc }],
      context: requestTag,
    },
  ],
  [
    "CreateLogGroup without the repository tag",
    { action: "logs:CreateLogGroup", resources: [{ arn: `${arn.logGroup}:log-stream:` }], context: requestTag },
  ],
];

describe("the per-repository policy", () => {
  test("docs/aws/per-repository-policy.json is what setup-roles --repository OWNER/NAME prints", () => {
    expect(policyFileText("perRepository"), policyFilePath("perRepository")).toBeDefined();
    expect(
      policyFileText("perRepository")?.trim(),
      "regenerate: dask-fargate setup-roles --repository OWNER/NAME > docs/aws/per-repository-policy.json",
    ).toBe(perRepositoryPolicy("OWNER/NAME"));
  });

  test("allows exactly the default policy's actions, so it covers every call the tool makes", () => {
    const actions = (document: PolicyDocument) =>
      [
        ...new Set(document.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]))),
      ].sort();
    expect(actions(perRepository)).toEqual(actions(defaultPolicy));
  });

  test.each(requestsOfA)("allows repository A's %s", (_name, request) => {
    expect(evaluate(forRepositoryA, request)).toMatchObject({ allowed: true });
  });

  test("every statement allows one of A's requests", () => {
    const used = new Set(requestsOfA.flatMap(([, r]) => evaluate(forRepositoryA, r).allowedBy.flat()));
    expect(forRepositoryA.Statement.map((s, i) => s.Sid ?? `#${i}`).filter((sid) => !used.has(sid))).toEqual([]);
  });

  test.each(MUST_BE_DENIED_TO_ANOTHER_REPOSITORY)("denies to repository A: %s", (_name, request) => {
    expect(evaluate(forRepositoryA, request)).toMatchObject({ allowed: false });
  });

  test.each(MUST_BE_DENIED)("denies what the default policy denies: %s", (_name, request) => {
    expect(evaluate(forRepositoryA, request)).toMatchObject({ allowed: false });
  });

  test("the default policy lets repository B change A's clusters, which this one refuses (issue 20, part 4)", () => {
    // Stopping B's tasks and deleting B's secret (its cluster's TLS key): the default policy allows both to any CI identity.
    for (const action of ["ecs:StopTask", "secretsmanager:DeleteSecret"]) {
      const change = MUST_BE_DENIED_TO_ANOTHER_REPOSITORY.find(([name]) => name.startsWith(`${action} (`))?.[1];
      expect(change, action).toBeDefined();
      expect(change && evaluate(defaultPolicy, change).allowed, action).toBe(true);
      expect(change && evaluate(forRepositoryA, change).allowed, action).toBe(false);
    }
  });

  test("a repository that is not OWNER/NAME is refused", () => {
    expect(() => perRepositoryPolicy("org/a,org/b")).toThrow(
      /repository: "org\/a,org\/b" is not a GitHub repository; write OWNER\/NAME/,
    );
  });
});

test("docs/aws/roles-cloudformation.json is what setup-roles --print-cloudformation prints", () => {
  expect(policyFileText("rolesCloudFormation"), policyFilePath("rolesCloudFormation")).toBeDefined();
  expect(
    policyFileText("rolesCloudFormation")?.trim(),
    "regenerate: dask-fargate setup-roles --print-cloudformation > docs/aws/roles-cloudformation.json",
  ).toBe(rolesCloudFormationTemplate());
});

test("the evaluator flags the policy this replaced: its IAM statement let CI attach AdministratorAccess", () => {
  // The statement the documented policy had before (issue 15, item 2), kept as a fixture.
  const before: PolicyDocument = {
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "iam:AttachRolePolicy",
          "iam:CreateRole",
          "iam:GetRole",
          "iam:PassRole",
          "iam:PutRolePolicy",
          "iam:TagRole",
        ],
        Resource: "arn:aws:iam::*:role/dask-fargate-action-*",
      },
    ],
  };
  const attachAdmin = MUST_BE_DENIED.find(([name]) => name === "AttachRolePolicy of AdministratorAccess")?.[1];
  expect(attachAdmin && evaluate(before, attachAdmin).allowed).toBe(true);
  expect(attachAdmin && evaluate(defaultPolicy, attachAdmin).allowed).toBe(false);
});

describe("the evaluator", () => {
  const statement = (extra: object) => ({
    Statement: [{ Effect: "Allow" as const, Action: "ecs:Describe*", Resource: "*", ...extra }],
  });
  test.each([
    ["action wildcards, case-insensitive", statement({}), { action: "ECS:describetasks", resources: any }, true],
    ["another service", statement({}), { action: "ec2:DescribeTasks", resources: any }, false],
    [
      "resource wildcards span / and :",
      statement({ Resource: "arn:aws:logs:*:*:log-group:/a/*" }),
      { action: "ecs:DescribeX", resources: [{ arn: "arn:aws:logs:r:1:log-group:/a/b:log-stream:c/d" }] },
      true,
    ],
    [
      "every resource must be allowed",
      statement({ Resource: "arn:aws:ec2:*:*:vpc/*" }),
      { action: "ecs:DescribeX", resources: [{ arn: "arn:aws:ec2:r:1:vpc/v" }, { arn: "arn:aws:ec2:r:1:subnet/s" }] },
      false,
    ],
    [
      "a missing condition key fails",
      statement({ Condition: { StringEquals: { "aws:ResourceTag/k": "v" } } }),
      { action: "ecs:DescribeX", resources: any },
      false,
    ],
    [
      "condition keys are case-insensitive",
      statement({ Condition: { StringEquals: { "aws:resourcetag/k": "v" } } }),
      { action: "ecs:DescribeX", resources: [{ arn: "*", context: { "aws:ResourceTag/k": "v" } }] },
      true,
    ],
    [
      "condition values are case-sensitive",
      statement({ Condition: { StringEquals: { "aws:ResourceTag/k": "v" } } }),
      { action: "ecs:DescribeX", resources: [{ arn: "*", context: { "aws:ResourceTag/k": "V" } }] },
      false,
    ],
    [
      "any listed value matches",
      statement({ Condition: { StringEquals: { k: ["a", "b"] } } }),
      { action: "ecs:DescribeX", resources: any, context: { k: "b" } },
      true,
    ],
    [
      "StringLike wildcards",
      statement({ Condition: { StringLike: { k: "a*" } } }),
      { action: "ecs:DescribeX", resources: any, context: { k: "abc" } },
      true,
    ],
    [
      "every key must hold",
      statement({ Condition: { StringEquals: { k: "a", l: "b" } } }),
      { action: "ecs:DescribeX", resources: any, context: { k: "a" } },
      false,
    ],
    [
      "an explicit Deny wins",
      { Statement: [...statement({}).Statement, { Effect: "Deny" as const, Action: "*", Resource: "*" }] },
      { action: "ecs:DescribeTasks", resources: any },
      false,
    ],
  ])("%s", (_name, document, request, allowed) => {
    expect(evaluate(document, request).allowed).toBe(allowed);
  });

  test.each([
    ["arn:aws:iam::*:policy/b", "arn:aws:iam::123456789012:policy/b", true],
    [
      "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      "arn:aws:iam::aws:policy/AdministratorAccess",
      false,
    ],
    ["arn:aws:iam::*:policy/b", "arn:aws:iam::123456789012:policy/b2", false],
    ["arn:aws:iam::*:policy/b", "not-an-arn", false],
  ])("ArnEquals/ArnLike %s vs %s: %s", (pattern, value, expected) => {
    expect(arnMatches(pattern, value)).toBe(expected);
  });

  test("an operator or element it does not know throws instead of deciding", () => {
    expect(() =>
      evaluate(statement({ Condition: { NumericLessThan: { k: "1" } } }), {
        action: "ecs:DescribeX",
        resources: any,
        context: { k: "0" },
      }),
    ).toThrow(/NumericLessThan/);
    expect(() => evaluate(statement({ NotResource: "x" }), { action: "ecs:DescribeX", resources: any })).toThrow(
      /NotResource/,
    );
  });
});

/** The README's "AWS in five steps": the policy file applied as is, and the CI role's trust policy. */
describe("docs/aws/ci-policy.json, the policy file the five steps apply", () => {
  const file = policyFile("ci");
  const repository = "arn:aws:ecr:eu-west-1:123456789012:repository/dask";
  const push = (resource: string): [string, AuthorizationRequest][] =>
    [
      "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:PutImage",
      "ecr:DescribeImages",
    ].map((action) => [action, { action, resources: [{ arn: resource }] }]);

  test("is docs/aws/tool-policy.json plus the image push, as scripts/aws-setup-files.mjs writes it", () => {
    expect(policyFileText("ci"), policyFilePath("ci")).toBeDefined();
    const toolSids = defaultPolicy.Statement.map((s) => s.Sid);
    expect(file.Statement.slice(0, toolSids.length), "regenerate: node scripts/aws-setup-files.mjs --write").toEqual(
      defaultPolicy.Statement,
    );
    expect(file.Statement.slice(toolSids.length).map((s) => s.Sid)).toEqual([
      "EcrLogin",
      "EcrPushOnlyTheImageRepository",
    ]);
  });

  test.each(TOOL_REQUESTS)("allows the tool's %s", (_name, request) => {
    expect(evaluate(file, request)).toMatchObject({ allowed: true });
  });

  test.each([
    ["ecr:GetAuthorizationToken", { action: "ecr:GetAuthorizationToken", resources: any }] as [
      string,
      AuthorizationRequest,
    ],
    ...push(repository),
  ])("allows the image push's %s on the repository dask", (_name, request) => {
    expect(evaluate(file, request)).toMatchObject({ allowed: true });
  });

  test.each(push("arn:aws:ecr:eu-west-1:123456789012:repository/another-team"))(
    "denies %s on another repository",
    (_name, request) => {
      expect(evaluate(file, request)).toMatchObject({ allowed: false });
    },
  );

  test("passes the nightly example's own execution role (named dask-fargate-action-…) to ECS tasks, and no other role", () => {
    const passed = (role: string) =>
      evaluate(file, {
        action: "iam:PassRole",
        resources: [{ arn: `arn:aws:iam::${account}:role/${role}` }],
        context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      });
    expect(passed("dask-fargate-action-training-execution")).toMatchObject({ allowed: true });
    expect(passed("admin")).toMatchObject({ allowed: false });
  });

  test.each(MUST_BE_DENIED)("denies %s", (_name, request) => {
    expect(evaluate(file, request)).toMatchObject({ allowed: false });
  });

  test("the trust policy lets only GitHub's OIDC tokens of one repository's main branch assume the role", () => {
    const trust = JSON.parse(policyFileText("githubOidcTrust") ?? "{}") as {
      Statement: {
        Effect: string;
        Principal: { Federated: string };
        Action: string;
        Condition: Record<string, Record<string, string>>;
      }[];
    };
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement?.Principal.Federated).toBe(
      "arn:aws:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com",
    );
    expect(statement?.Action).toBe("sts:AssumeRoleWithWebIdentity");
    // StringEquals, no wildcard: a fork, another repository or branch of the same owner cannot assume it.
    expect(statement?.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:OWNER/NAME:ref:refs/heads/main",
      },
    });
  });
});

/**
 * The managed task role's find-scheduler policy (docs/iam.md, "The task role's one inline policy"): a worker's
 * DescribeTasks of its scheduler task, as ECS authorizes it (the task ARN, with the task's tags), is allowed;
 * anything else a worker could try with it is not.
 */
describe("the task role's find-scheduler policy", () => {
  const taskRolePolicy = policyFile("taskRoleFindScheduler");
  const scheduler = { ...ours, [`aws:ResourceTag/${LABEL.role}`]: "scheduler" };
  const worker = { ...ours, [`aws:ResourceTag/${LABEL.role}`]: "worker" };
  const cluster = { "ecs:cluster": arn.cluster };

  test("docs/aws/task-role-find-scheduler-policy.json is the policy setup-roles puts on the task role", () => {
    expect(policyFileText("taskRoleFindScheduler"), policyFilePath("taskRoleFindScheduler")).toBeDefined();
    expect(JSON.parse(policyFileText("taskRoleFindScheduler") ?? "{}")).toEqual(JSON.parse(findSchedulerPolicy()));
    const template = JSON.parse(rolesCloudFormationTemplate());
    expect(template.Resources.TaskRole.Properties.Policies[0].PolicyName).toBe("dask-fargate-action-find-scheduler");
  });

  test("allows a worker's DescribeTasks of its scheduler task", () => {
    expect(
      evaluate(taskRolePolicy, {
        action: "ecs:DescribeTasks",
        resources: [{ arn: arn.task, context: scheduler }],
        context: cluster,
      }),
    ).toMatchObject({
      allowed: true,
    });
  });

  test.each<[string, AuthorizationRequest]>([
    [
      "DescribeTasks of a worker task",
      { action: "ecs:DescribeTasks", resources: [{ arn: arn.task, context: worker }], context: cluster },
    ],
    [
      "DescribeTasks of another team's task",
      {
        action: "ecs:DescribeTasks",
        resources: [{ arn: `arn:aws:ecs:${region}:${account}:task/payments/0123456789abcdef0123456789abcdef` }],
      },
    ],
    [
      "DescribeTasks of a task tagged role=scheduler by someone else",
      {
        action: "ecs:DescribeTasks",
        resources: [{ arn: arn.task, context: { [`aws:ResourceTag/${LABEL.role}`]: "scheduler" } }],
      },
    ],
    [
      "StopTask of the scheduler",
      { action: "ecs:StopTask", resources: [{ arn: arn.task, context: scheduler }], context: cluster },
    ],
    ["ListTasks", { action: "ecs:ListTasks", resources: any }],
    ["DescribeTaskDefinition", { action: "ecs:DescribeTaskDefinition", resources: any }],
    [
      "RunTask",
      { action: "ecs:RunTask", resources: [{ arn: arn.taskDefinition }, { arn: arn.cluster }], context: cluster },
    ],
    [
      "GetSecretValue of the cluster's TLS secret",
      { action: "secretsmanager:GetSecretValue", resources: [{ arn: arn.secret }] },
    ],
  ])("denies %s", (_name, request) => {
    expect(evaluate(taskRolePolicy, request)).toMatchObject({ allowed: false });
  });

  test("up's check accepts this policy and refuses one that does not cover scheduler tasks", () => {
    const probe = "arn:aws:ecs:us-east-1:000000000000:task/probe/0123456789abcdef0123456789abcdef";
    expect(policyAllowsFindScheduler(findSchedulerPolicy(), probe)).toBe(true);
    expect(policyAllowsFindScheduler(encodeURIComponent(findSchedulerPolicy()), probe)).toBe(true);
    const onlyWorkers = findSchedulerPolicy().replace('"scheduler"', '"worker"');
    expect(policyAllowsFindScheduler(onlyWorkers, probe)).toBe(false);
    const otherAction = findSchedulerPolicy().replace("ecs:DescribeTasks", "ecs:ListTasks");
    expect(policyAllowsFindScheduler(otherAction, probe)).toBe(false);
    const denied = JSON.stringify({
      Statement: [...JSON.parse(findSchedulerPolicy()).Statement, { Effect: "Deny", Action: "ecs:*", Resource: "*" }],
    });
    expect(policyAllowsFindScheduler(denied, probe)).toBe(false);
    expect(policyAllowsFindScheduler("not json", probe)).toBe(false);
  });
});
