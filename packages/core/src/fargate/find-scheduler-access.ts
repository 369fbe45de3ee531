import { GetRolePolicyCommand, type IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import { asList, matchesIamPattern, parsePolicyDocument } from "../internal/policy-document.js";
import type { Logger } from "../logger.js";
import { awsErrorName } from "./aws-clients.js";
import { fargateNames } from "./fargate-names.js";

/**
 * The inline policy of the managed task role that lets a worker find its scheduler (find-scheduler.ts):
 * ecs:DescribeTasks of this tool's scheduler tasks, nothing else. Put there by `setup-roles` (and its
 * CloudFormation template), or with the role when a run creates it; `up` only reads it (iam:GetRolePolicy).
 */
export const FIND_SCHEDULER_POLICY_NAME = "dask-fargate-action-find-scheduler";

/**
 * The policy: DescribeTasks on task ARNs, only of tasks tagged as this tool's schedulers. ECS authorizes
 * DescribeTasks on the `task` resource with `aws:ResourceTag/${TagKey}` and `ecs:cluster` (Service Authorization
 * Reference, "Actions, resources, and condition keys for Amazon Elastic Container Service"). Cluster names are
 * the cluster ids, with no fixed prefix, so the tags narrow it, not the ARN: every scheduler task carries the
 * managed-by tag and `role=scheduler` from its RunTask (fargate-plan.ts runTaskInput).
 */
export function findSchedulerPolicy(partition = "aws"): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DescribeTheSchedulerTasks",
        Effect: "Allow",
        Action: "ecs:DescribeTasks",
        Resource: `arn:${partition}:ecs:*:*:task/*`,
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/${LABEL.managedBy}`]: MANAGED_BY,
            [`aws:ResourceTag/${LABEL.role}`]: "scheduler",
          },
        },
      },
    ],
  });
}

/** The tags every scheduler task has, which a statement's StringEquals may require. */
const SCHEDULER_TAGS: Readonly<Record<string, string>> = {
  [`aws:ResourceTag/${LABEL.managedBy}`]: MANAGED_BY,
  [`aws:ResourceTag/${LABEL.role}`]: "scheduler",
};

/**
 * Whether a policy document allows ecs:DescribeTasks of a scheduler task (`taskArn`): an Allow statement whose action
 * and resource match and whose condition, if any, is a StringEquals on tags the scheduler task has; no Deny on the
 * action. A document that is not JSON allows nothing.
 */
export function policyAllowsFindScheduler(document: string, taskArn: string): boolean {
  const statements = asList(parsePolicyDocument(document)?.Statement) as Record<string, unknown>[];
  const strings = (v: unknown) => asList(v).map(String);
  const matches = (s: Record<string, unknown>) =>
    strings(s["Action"]).some((a) => matchesIamPattern(a, "ecs:DescribeTasks", { ignoreCase: true })) &&
    strings(s["Resource"]).some((r) => matchesIamPattern(r, taskArn));
  const onlySchedulerTags = (condition: unknown) => {
    if (condition === undefined) return true;
    const entries = Object.entries(condition as Record<string, unknown>);
    if (entries.length !== 1 || entries[0]?.[0] !== "StringEquals") return false;
    return Object.entries((entries[0]?.[1] ?? {}) as Record<string, unknown>).every(([key, value]) =>
      strings(value).includes(SCHEDULER_TAGS[key] ?? "\u0000not a scheduler tag"),
    );
  };
  if (statements.some((s) => s["Effect"] === "Deny" && matches(s))) return false;
  return statements.some((s) => s["Effect"] === "Allow" && matches(s) && onlySchedulerTags(s["Condition"]));
}

/** How workers learn the scheduler's address: from ECS themselves (launched at once), or in their overrides (launched once it has an IP). */
export type SchedulerLookup = "workers-find-it" | "after-ip";

/**
 * Which start `up` can use, decided before anything is created: `workers-find-it` only when the managed task role
 * carries {@link FIND_SCHEDULER_POLICY_NAME} allowing it (iam:GetRolePolicy, a read). With a task role of the
 * user's own, or the policy missing or unreadable, `after-ip`, said once at info level: it is a slower start, not
 * a failure.
 */
export async function schedulerLookup(
  iam: IAMClient,
  taskRoleArn: string,
  ownTaskRole: boolean,
  logger: Logger,
): Promise<SchedulerLookup> {
  const slower = "workers are launched once the scheduler has an IP address (a few seconds later than they could be)";
  if (ownTaskRole) {
    logger.info(`task-role-arn is your own role, which may not let workers look up their scheduler: ${slower}`);
    return "after-ip";
  }
  const partition = taskRoleArn.split(":")[1] || "aws";
  const probe = `arn:${partition}:ecs:us-east-1:000000000000:task/probe/0123456789abcdef0123456789abcdef`;
  const fix = "run `dask-fargate setup-roles` once as an administrator to add it";
  try {
    const answer = await iam.send(
      new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }),
    );
    if (policyAllowsFindScheduler(answer.PolicyDocument ?? "{}", probe)) return "workers-find-it";
    logger.info(
      `${fargateNames.taskRole}'s ${FIND_SCHEDULER_POLICY_NAME} policy does not allow ecs:DescribeTasks of the scheduler: ${slower}; ${fix}`,
    );
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "NoSuchEntity" || name === "NoSuchEntityException")
      logger.info(`${fargateNames.taskRole} has no ${FIND_SCHEDULER_POLICY_NAME} policy: ${slower}; ${fix}`);
    else if (["AccessDenied", "AccessDeniedException"].includes(name))
      logger.info(
        `${fargateNames.taskRole}'s policies cannot be read (this identity needs iam:GetRolePolicy on it): ${slower}`,
      );
    else throw error;
  }
  return "after-ip";
}

/**
 * Puts {@link FIND_SCHEDULER_POLICY_NAME} on the managed task role unless it is already there; the change made, if
 * any. An identity that may not (the README's variant where CI creates the roles grants no iam:PutRolePolicy on the
 * task role) gets an info line instead: the workers then start the slower way, nothing fails.
 */
export async function installFindSchedulerPolicy(
  iam: IAMClient,
  partition: string,
  logger: Logger,
): Promise<string | undefined> {
  const document = findSchedulerPolicy(partition);
  const denied = (error: unknown) => ["AccessDenied", "AccessDeniedException"].includes(awsErrorName(error));
  try {
    const current = await iam
      .send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: FIND_SCHEDULER_POLICY_NAME }))
      .then((a) => parsePolicyDocument(a.PolicyDocument))
      .catch((error: unknown) => {
        if (["NoSuchEntity", "NoSuchEntityException"].includes(awsErrorName(error)) || denied(error)) return undefined;
        throw error;
      });
    if (current !== undefined && JSON.stringify(current) === document) return undefined;
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: fargateNames.taskRole,
        PolicyName: FIND_SCHEDULER_POLICY_NAME,
        PolicyDocument: document,
      }),
    );
  } catch (error) {
    if (!denied(error)) throw error;
    logger.info(
      `${FIND_SCHEDULER_POLICY_NAME} was not put on ${fargateNames.taskRole} (iam:PutRolePolicy was denied): workers will be launched once the scheduler has an IP address, a few seconds later than they could be`,
    );
    return undefined;
  }
  return `put the inline policy ${FIND_SCHEDULER_POLICY_NAME} (ecs:DescribeTasks of this tool's scheduler tasks, so workers find their scheduler) on ${fargateNames.taskRole}`;
}
