import { ClusterConfigError } from "../errors.js";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import { REPOSITORY_TAG } from "./fargate-ownership.js";

/** `owner/name`, as GitHub spells a repository (and as the action tags it). */
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;

/** Returns `repository` when it is `OWNER/NAME`; a ClusterConfigError naming the `repository` setting otherwise. */
export function checkRepository(repository: string): string {
  if (!REPOSITORY.test(repository))
    throw new ClusterConfigError(
      "repository",
      `"${repository}" is not a GitHub repository; write OWNER/NAME, e.g. octo-org/training`,
    );
  return repository;
}

/**
 * The CI identity's policy for one repository (`dask-fargate setup-roles --repository OWNER/NAME` prints it; the
 * README shows it for `OWNER/NAME`, and a test keeps the two identical and evaluates it). It allows the same
 * actions as the README's default policy, and every call that changes something is limited to resources tagged
 * `github.repository` = the repository (`aws:ResourceTag`), every creation to requests that tag it so
 * (`aws:RequestTag`), and tagging to creation (or to the repository's own resources), so repository A's workflow
 * cannot stop, delete, retag or overwrite repository B's clusters, groups, log groups or secrets.
 * Where a service cannot condition an action on tags, the statement says so in its Sid:
 * ecs:DeregisterTaskDefinition has no resource-level permissions or condition keys (Service Authorization
 * Reference, Amazon ECS), and the reads stay by name prefix.
 */
export function perRepositoryPolicy(repository: string): string {
  checkRepository(repository);
  const resourceTag = { [`aws:ResourceTag/${REPOSITORY_TAG}`]: repository };
  const requestTag = { [`aws:RequestTag/${REPOSITORY_TAG}`]: repository };
  const ours = { [`aws:ResourceTag/${LABEL.managedBy}`]: MANAGED_BY };
  const oursOnCreation = { [`aws:RequestTag/${LABEL.managedBy}`]: MANAGED_BY };
  const statements = [
    {
      Sid: "EcsRead",
      Effect: "Allow",
      Action: [
        "ecs:DescribeClusters",
        "ecs:DescribeTaskDefinition",
        "ecs:DescribeTasks",
        "ecs:ListClusters",
        "ecs:ListTaskDefinitions",
        "ecs:ListTasks",
      ],
      Resource: "*",
    },
    {
      Sid: "EcsCreateOnlyTaggedWithThisRepository",
      Effect: "Allow",
      Action: ["ecs:CreateCluster", "ecs:RegisterTaskDefinition"],
      Resource: "*",
      Condition: { StringEquals: { ...requestTag, ...oursOnCreation } },
    },
    {
      Sid: "EcsRunOnlyThisRepositorysTaskDefinitions",
      Effect: "Allow",
      Action: ["ecs:RunTask"],
      Resource: "arn:aws:ecs:*:*:task-definition/*",
      Condition: { StringEquals: { ...resourceTag, ...requestTag } },
    },
    {
      Sid: "EcsTagOnlyOnCreationWithThisRepository",
      Effect: "Allow",
      Action: ["ecs:TagResource"],
      Resource: "*",
      Condition: {
        StringEquals: { "ecs:CreateAction": ["CreateCluster", "RegisterTaskDefinition", "RunTask"], ...requestTag },
      },
    },
    {
      Sid: "EcsStopAndDeleteOnlyThisRepositorys",
      Effect: "Allow",
      Action: ["ecs:DeleteCluster", "ecs:DeleteTaskDefinitions", "ecs:StopTask"],
      Resource: ["arn:aws:ecs:*:*:cluster/*", "arn:aws:ecs:*:*:task-definition/*", "arn:aws:ecs:*:*:task/*"],
      Condition: { StringEquals: { ...resourceTag, ...ours } },
    },
    {
      Sid: "EcsDeregisterHasNoResourceLevelPermissions",
      Effect: "Allow",
      Action: ["ecs:DeregisterTaskDefinition"],
      Resource: "*",
    },
    {
      Sid: "Ec2Read",
      Effect: "Allow",
      Action: [
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeVpcs",
      ],
      Resource: "*",
    },
    {
      Sid: "PreflightReadQuotasAndImages",
      Effect: "Allow",
      Action: [
        "ecr:BatchGetImage",
        "ecr:GetAuthorizationToken",
        "ecr:GetDownloadUrlForLayer",
        "servicequotas:GetAWSDefaultServiceQuota",
        "servicequotas:GetServiceQuota",
      ],
      Resource: "*",
    },
    {
      Sid: "Ec2CreateOnlyGroupsTaggedWithThisRepository",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: { StringEquals: { ...requestTag, ...oursOnCreation } },
    },
    {
      Sid: "Ec2CreateGroupsInAnyVpc",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup"],
      Resource: "arn:aws:ec2:*:*:vpc/*",
    },
    {
      Sid: "Ec2TagOnlyOnCreationWithThisRepository",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...requestTag } },
    },
    {
      Sid: "Ec2ChangeOnlyThisRepositorysGroups",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: { StringEquals: { ...resourceTag, ...ours } },
    },
    { Sid: "LogsFindGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
    {
      Sid: "LogsReadOurGroupsByName",
      Effect: "Allow",
      Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:ListTagsForResource"],
      Resource: "arn:aws:logs:*:*:log-group:/dask-fargate-action/*",
    },
    {
      Sid: "LogsCreateOnlyGroupsTaggedWithThisRepository",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup"],
      Resource: "arn:aws:logs:*:*:log-group:/dask-fargate-action/*",
      Condition: { StringEquals: requestTag },
    },
    {
      Sid: "LogsTagOnlyWithThisRepositoryAndNeverAnothersGroup",
      Effect: "Allow",
      Action: ["logs:TagResource"],
      Resource: "arn:aws:logs:*:*:log-group:/dask-fargate-action/*",
      Condition: { StringEquals: requestTag, StringEqualsIfExists: resourceTag },
    },
    {
      Sid: "LogsChangeOnlyThisRepositorysGroups",
      Effect: "Allow",
      Action: ["logs:DeleteLogGroup", "logs:PutRetentionPolicy"],
      Resource: "arn:aws:logs:*:*:log-group:/dask-fargate-action/*",
      Condition: { StringEquals: resourceTag },
    },
    { Sid: "SecretsFind", Effect: "Allow", Action: ["secretsmanager:ListSecrets"], Resource: "*" },
    {
      Sid: "SecretsCreateOnlyTaggedWithThisRepository",
      Effect: "Allow",
      Action: ["secretsmanager:CreateSecret"],
      Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*",
      Condition: { StringEquals: { ...requestTag, ...oursOnCreation } },
    },
    {
      Sid: "SecretsTagOnlyWithThisRepositoryAndNeverAnothersSecret",
      Effect: "Allow",
      Action: ["secretsmanager:TagResource"],
      Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*",
      Condition: { StringEquals: requestTag, StringEqualsIfExists: resourceTag },
    },
    {
      Sid: "SecretsWriteOnlyThisRepositorys",
      Effect: "Allow",
      Action: ["secretsmanager:DeleteSecret"],
      Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*",
      Condition: { StringEquals: resourceTag },
    },
    {
      Sid: "IamReadTheManagedRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
      Resource: "arn:aws:iam::*:role/dask-fargate-action-*",
    },
    {
      Sid: "IamPassTheManagedRolesToEcsTasksOnly",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: "arn:aws:iam::*:role/dask-fargate-action-*",
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 2);
}
