import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  type IAMClient,
  PutRolePolicyCommand,
  paginateListAttachedRolePolicies,
  type Role,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { ClusterConfigError, RolesSetupError } from "../errors.js";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import { type Logger, silentLogger } from "../logger.js";
import { awsErrorName } from "./aws-clients.js";
import { fargateNames } from "./fargate-names.js";
import { installOutputPolicy, OUTPUT_POLICY_NAME, outputWritePolicy } from "./fargate-output-access.js";
import type { FargateSpec } from "./fargate-spec.js";
import {
  FIND_SCHEDULER_POLICY_NAME,
  findSchedulerPolicy,
  installFindSchedulerPolicy,
} from "./find-scheduler-access.js";
import { trustPolicyProblem } from "./trust-policy.js";

/** The account whose ECS tasks may assume the managed roles, and its partition (`aws`, `aws-cn`, `aws-us-gov`). */
export interface AwsAccount {
  readonly account: string;
  readonly partition: string;
}

/**
 * Lets ECS tasks of one account assume a role, and no one else's: `aws:SourceAccount` and `aws:SourceArn`
 * guard against the confused deputy (another account's task naming this role). The roles are global and
 * reused in every region, hence `ecs:*`.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html ("Task IAM role",
 * trust relationship with `aws:SourceArn` `arn:aws:ecs:region:account:*` and `aws:SourceAccount`);
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function ecsTasksTrustPolicy(owner: AwsAccount): string {
  return JSON.stringify(ecsTasksTrust(owner.account, `arn:${owner.partition}:ecs:*:${owner.account}:*`));
}

/** The trust document both forms share: the values are plain strings, or CloudFormation's `Ref` and `Fn::Sub`. */
function ecsTasksTrust(account: unknown, sourceArn: unknown) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": sourceArn } },
      },
    ],
  };
}

/** Image pull (ECR) and awslogs, as AWS documents for the task execution role. */
export const EXECUTION_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/** The name of the execution role's inline policy (the one inline policy the tool writes). */
export const EXECUTION_ROLE_SECRETS_POLICY_NAME = "read-cluster-tls-secrets";

/** The execution role may read this tool's per-cluster TLS secrets, and nothing else of Secrets Manager. */
export const EXECUTION_ROLE_SECRETS_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*",
    },
  ],
});

/** The account and partition of the caller (STS GetCallerIdentity needs no permission). */
export async function callerAccount(sts: STSClient): Promise<AwsAccount> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  const partition = identity.Arn?.split(":")[1] ?? "aws";
  if (!identity.Account) throw new Error("STS GetCallerIdentity returned no account");
  return { account: identity.Account, partition };
}

/** Options of {@link setupRoles}. */
export interface SetupRolesOptions {
  /** Managed policies for the managed task role (what the Dask code may do, e.g. read S3). */
  readonly taskRolePolicyArns?: readonly string[];
  /**
   * A managed policy set as both roles' permissions boundary when they are created: the variant of the
   * README's IAM policy that lets CI create the roles requires one, so that whatever CI attaches stays
   * within what an administrator allowed.
   */
  readonly permissionsBoundaryArn?: string;
  /** Job outputs (`s3://bucket/prefix`): the one static policy letting job tasks s3:PutObject under it (fargate-output-access.ts). */
  readonly outputUri?: string;
  readonly logger?: Logger;
}

/** What {@link setupRoles} found and did. */
export interface SetupRolesResult {
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  /** One line per change made, e.g. `created the IAM role dask-fargate-action-task`; empty when all was in place. */
  readonly changes: readonly string[];
}

/**
 * The one-time setup behind `dask-fargate setup-roles`, run by an administrator so that the identity CI
 * uses needs no IAM write: creates the two managed roles (trust policy with the confused-deputy guard),
 * attaches AmazonECSTaskExecutionRolePolicy and the TLS-secrets inline policy to the execution role, and
 * the given policies to the task role. Idempotent: an existing role keeps its name and ARN and gets the
 * guarded trust policy if it lacks it; attaching and putting policies again changes nothing.
 */
export async function setupRoles(
  clients: { readonly iam: IAMClient; readonly sts: STSClient },
  options: SetupRolesOptions = {},
): Promise<SetupRolesResult> {
  const { iam } = clients;
  const logger = options.logger ?? silentLogger;
  for (const arn of options.taskRolePolicyArns ?? []) {
    if (!POLICY_ARN.test(arn))
      throw new ClusterConfigError("task-role-policy-arns", `"${arn}" is not an IAM policy ARN`);
  }
  if (options.permissionsBoundaryArn !== undefined && !POLICY_ARN.test(options.permissionsBoundaryArn)) {
    throw new ClusterConfigError(
      "permissions-boundary",
      `"${options.permissionsBoundaryArn}" is not an IAM policy ARN`,
    );
  }
  if (options.outputUri !== undefined) outputWritePolicy(options.outputUri); // a bad URI is refused before any change
  const owner = await callerAccount(clients.sts);
  const changes: string[] = [];
  const note = (change: string) => {
    changes.push(change);
    logger.info(change);
  };
  const converge = async (name: string, description: string): Promise<string> => {
    const found = await getRole(iam, name);
    if (!found) {
      const arn = await createRole(iam, name, description, owner, options.permissionsBoundaryArn);
      note(`created the IAM role ${name}`);
      return arn;
    }
    const problem = trustPolicyProblem(found.AssumeRolePolicyDocument, owner);
    if (problem) {
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: ecsTasksTrustPolicy(owner) }));
      note(
        `replaced the trust policy of ${name} (${problem}); it now admits only ECS tasks of account ${owner.account} (aws:SourceAccount, aws:SourceArn)`,
      );
    }
    return found.Arn ?? "";
  };
  const executionRoleArn = await converge(fargateNames.executionRole, EXECUTION_ROLE_DESCRIPTION);
  await attachExecutionPolicies(iam);
  const taskRoleArn = await converge(fargateNames.taskRole, TASK_ROLE_DESCRIPTION);
  for (const policy of options.taskRolePolicyArns ?? []) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyArn: policy }));
  }
  const findScheduler = await installFindSchedulerPolicy(iam, owner.partition, logger);
  if (findScheduler) note(findScheduler);
  if (options.outputUri !== undefined)
    for (const change of await installOutputPolicy(iam, options.outputUri, owner.partition)) note(change);
  return { executionRoleArn, taskRoleArn, changes };
}

/** A managed policy's ARN (the same rule as `task-role-policy-arns` in fargate-spec.ts). */
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;

const EXECUTION_ROLE_DESCRIPTION = "dask-fargate-action: pulls images, writes logs, reads the per-cluster TLS secrets";
const TASK_ROLE_DESCRIPTION = "dask-fargate-action: what the Dask code may do (empty unless policies are attached)";

/**
 * The roles tasks use: the ARNs given, or the two managed roles. Where `dask-fargate setup-roles` (or the
 * README's CloudFormation snippet) made them, this only reads them (`iam:GetRole`), so the identity needs
 * no IAM write. A missing role is created here when the identity may (moto, an administrator's laptop);
 * when it may not, the error says to run the setup once. Teardown never deletes the roles.
 */
export async function ensureRoles(
  clients: { readonly iam: IAMClient; readonly sts: STSClient },
  fargate: FargateSpec,
  logger: Logger,
): Promise<{ executionRoleArn: string; taskRoleArn: string; created: boolean }> {
  const { iam } = clients;
  let created = false;
  let owner: AwsAccount | undefined;
  const madeHere = new Set<string>();
  const ensure = async (name: string, description: string): Promise<string> => {
    const found = await getRole(iam, name);
    if (found) {
      // The role is this account's (it was read by name here), so its ARN names the account its tasks must come from.
      const account = found.Arn?.split(":")[4] ?? "";
      const problem = trustPolicyProblem(found.AssumeRolePolicyDocument, { account });
      if (problem)
        throw new RolesSetupError(
          name,
          `has a trust policy that does not limit it to ECS tasks of account ${account} (${problem}), so another account's tasks could act as this role (the confused deputy) and the cluster was not started. setup-roles replaces the trust policy with the guarded one (aws:SourceAccount and aws:SourceArn of this account)`,
        );
      return found.Arn ?? "";
    }
    logger.info(`creating the IAM role ${name} (once per account; later clusters reuse it)`);
    owner ??= await callerAccount(clients.sts);
    const arn = await createRole(iam, name, description, owner, undefined).catch((error: unknown) => {
      if (isAccessDenied(error))
        throw new RolesSetupError(
          name,
          "does not exist and this identity may not create it (iam:CreateRole was denied)",
          { cause: error },
        );
      throw error;
    });
    created = true;
    madeHere.add(name);
    return arn;
  };
  const executionRoleArn =
    fargate.executionRoleArn ??
    (await (async () => {
      const before = created;
      const arn = await ensure(fargateNames.executionRole, EXECUTION_ROLE_DESCRIPTION);
      // Policies go on with the role's creation; an existing role was set up by setup-roles (or by the run that created it).
      if (created !== before) await attachExecutionPolicies(iam);
      return arn;
    })());
  const taskRoleArn =
    fargate.taskRoleArn ??
    (await (async () => {
      const arn = await ensure(fargateNames.taskRole, TASK_ROLE_DESCRIPTION);
      // As setup-roles does: a role made here gets the policy that lets workers find their scheduler.
      if (madeHere.has(fargateNames.taskRole))
        await installFindSchedulerPolicy(iam, arn.split(":")[1] || "aws", logger);
      if (fargate.taskRolePolicyArns.length > 0) await checkTaskRolePolicies(iam, fargate.taskRolePolicyArns);
      return arn;
    })());
  return { executionRoleArn, taskRoleArn, created };
}

/**
 * `task-role-policy-arns` with the managed task role: every cluster shares that role, so a policy a run attached
 * would stay with every later cluster (issue 10). A run therefore never attaches; it checks
 * (iam:ListAttachedRolePolicies) that an administrator attached them once with `setup-roles`, and refuses before
 * anything is created when one is missing. Per-run permissions belong on your own task role (`task-role-arn`).
 */
async function checkTaskRolePolicies(iam: IAMClient, wanted: readonly string[]): Promise<void> {
  const attached = new Set<string>();
  try {
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: fargateNames.taskRole })) {
      for (const policy of page.AttachedPolicies ?? []) if (policy.PolicyArn) attached.add(policy.PolicyArn);
    }
  } catch (error) {
    if (isAccessDenied(error))
      throw new RolesSetupError(
        fargateNames.taskRole,
        "cannot be checked for task-role-policy-arns: this identity needs iam:ListAttachedRolePolicies on it",
        {
          cause: error,
        },
      );
    throw error;
  }
  const missing = wanted.filter((arn) => !attached.has(arn));
  if (missing.length > 0)
    throw new RolesSetupError(
      fargateNames.taskRole,
      `does not have ${missing.join(", ")} (task-role-policy-arns) attached. The managed task role is shared by every cluster, so runs never attach policies to it (they would stay with every later cluster): attach them once as an administrator with \`dask-fargate setup-roles --task-role-policy-arns ${missing.join(",")}\`, or pass task-role-arn with a role of your own`,
    );
}

async function getRole(iam: IAMClient, name: string): Promise<Role | undefined> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (error) {
    if (awsErrorName(error) === "NoSuchEntityException" || awsErrorName(error) === "NoSuchEntity") return undefined;
    if (isAccessDenied(error))
      throw new RolesSetupError(name, "cannot be read: this identity needs iam:GetRole on it", { cause: error });
    throw error;
  }
}

async function createRole(
  iam: IAMClient,
  name: string,
  description: string,
  owner: AwsAccount,
  permissionsBoundaryArn: string | undefined,
): Promise<string> {
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Description: description,
      AssumeRolePolicyDocument: ecsTasksTrustPolicy(owner),
      Tags: [{ Key: LABEL.managedBy, Value: MANAGED_BY }],
      ...(permissionsBoundaryArn ? { PermissionsBoundary: permissionsBoundaryArn } : {}),
    }),
  );
  return role.Role?.Arn ?? "";
}

async function attachExecutionPolicies(iam: IAMClient): Promise<void> {
  await iam.send(
    new AttachRolePolicyCommand({ RoleName: fargateNames.executionRole, PolicyArn: EXECUTION_ROLE_POLICY_ARN }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: fargateNames.executionRole,
      PolicyName: EXECUTION_ROLE_SECRETS_POLICY_NAME,
      PolicyDocument: EXECUTION_ROLE_SECRETS_POLICY,
    }),
  );
}

function isAccessDenied(error: unknown): boolean {
  return ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"].includes(awsErrorName(error));
}

/**
 * A CloudFormation template (JSON) that makes the same two roles as {@link setupRoles}, for teams that
 * create IAM through stacks: `dask-fargate setup-roles --print-cloudformation`. The README shows it too,
 * and a test keeps the two identical. Account and partition come from CloudFormation's pseudo parameters.
 */
export function rolesCloudFormationTemplate(options: { readonly outputUri?: string } = {}): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub placeholders, not a JavaScript template.
  const [partition, account] = ["${AWS::Partition}", "${AWS::AccountId}"];
  const trust = ecsTasksTrust({ Ref: "AWS::AccountId" }, { "Fn::Sub": `arn:${partition}:ecs:*:${account}:*` });
  const tags = [{ Key: LABEL.managedBy, Value: MANAGED_BY }];
  return JSON.stringify(
    {
      AWSTemplateFormatVersion: "2010-09-09",
      Description:
        "dask-fargate-action: the two IAM roles its ECS tasks use (made once; CI then needs only iam:GetRole and iam:PassRole)",
      Resources: {
        ExecutionRole: {
          Type: "AWS::IAM::Role",
          Properties: {
            RoleName: fargateNames.executionRole,
            Description: EXECUTION_ROLE_DESCRIPTION,
            AssumeRolePolicyDocument: trust,
            ManagedPolicyArns: [{ "Fn::Sub": EXECUTION_ROLE_POLICY_ARN.replace("arn:aws:", `arn:${partition}:`) }],
            Policies: [
              {
                PolicyName: EXECUTION_ROLE_SECRETS_POLICY_NAME,
                PolicyDocument: JSON.parse(EXECUTION_ROLE_SECRETS_POLICY) as unknown,
              },
            ],
            Tags: tags,
          },
        },
        TaskRole: {
          Type: "AWS::IAM::Role",
          Properties: {
            RoleName: fargateNames.taskRole,
            Description: TASK_ROLE_DESCRIPTION,
            AssumeRolePolicyDocument: trust,
            Policies: [
              { PolicyName: FIND_SCHEDULER_POLICY_NAME, PolicyDocument: cloudFormationFindSchedulerPolicy(partition) },
              ...(options.outputUri !== undefined
                ? [
                    {
                      PolicyName: OUTPUT_POLICY_NAME,
                      PolicyDocument: cloudFormationOutputPolicy(options.outputUri, partition),
                    },
                  ]
                : []),
            ],
            Tags: tags,
          },
        },
      },
      Outputs: {
        ExecutionRoleArn: { Value: { "Fn::GetAtt": ["ExecutionRole", "Arn"] } },
        TaskRoleArn: { Value: { "Fn::GetAtt": ["TaskRole", "Arn"] } },
      },
    },
    null,
    2,
  );
}

/** The static outputs policy with CloudFormation's partition in its resource. */
function cloudFormationOutputPolicy(outputUri: string, partition: string): unknown {
  const policy = JSON.parse(outputWritePolicy(outputUri, "PARTITION")) as { Statement: { Resource: string }[] };
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Resource: { "Fn::Sub": s.Resource.replace("arn:PARTITION:", `arn:${partition}:`) },
    })),
  };
}

/** The find-scheduler policy with CloudFormation's partition in its resource. */
function cloudFormationFindSchedulerPolicy(partition: string): unknown {
  const policy = JSON.parse(findSchedulerPolicy("PARTITION")) as { Statement: { Resource: string }[] };
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Resource: { "Fn::Sub": s.Resource.replace("arn:PARTITION:", `arn:${partition}:`) },
    })),
  };
}
