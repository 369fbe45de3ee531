import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, type IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { LABEL, MANAGED_BY } from "../labels.js";
import type { Logger } from "../logger.js";
import { awsErrorName } from "./aws-clients.js";
import { fargateNames } from "./fargate-names.js";
import type { FargateSpec } from "./fargate-spec.js";

/** Lets ECS tasks assume a role. */
export const ECS_TASKS_TRUST_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Image pull (ECR) and awslogs, as AWS documents for the task execution role. */
export const EXECUTION_ROLE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/** The execution role may read this tool's per-cluster TLS secrets, and nothing else of Secrets Manager. */
export const EXECUTION_ROLE_SECRETS_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:*:*:secret:dask-fargate-action/*" }],
});

/**
 * The roles tasks use: the ARNs given, or the two managed roles, created on first use and reused by
 * every later cluster (so IAM propagation delays hit only the first run). Teardown never deletes them.
 * The managed task role starts without permissions; `taskRolePolicyArns` are attached to it.
 */
export async function ensureRoles(
  iam: IAMClient,
  fargate: FargateSpec,
  logger: Logger,
): Promise<{ executionRoleArn: string; taskRoleArn: string; created: boolean }> {
  let created = false;
  const ensure = async (name: string, description: string): Promise<string> => {
    try {
      const found = await iam.send(new GetRoleCommand({ RoleName: name }));
      if (found.Role?.Arn) return found.Role.Arn;
    } catch (error) {
      if (awsErrorName(error) !== "NoSuchEntityException" && awsErrorName(error) !== "NoSuchEntity") throw error;
    }
    logger.info(`creating the IAM role ${name} (once per account; later clusters reuse it)`);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Description: description,
        AssumeRolePolicyDocument: ECS_TASKS_TRUST_POLICY,
        Tags: [{ Key: LABEL.managedBy, Value: MANAGED_BY }],
      }),
    );
    created = true;
    return role.Role?.Arn ?? "";
  };
  const executionRoleArn =
    fargate.executionRoleArn ??
    (await (async () => {
      const arn = await ensure(fargateNames.executionRole, "dask-fargate-action: pulls images, writes logs, reads the per-cluster TLS secrets");
      await iam.send(new AttachRolePolicyCommand({ RoleName: fargateNames.executionRole, PolicyArn: EXECUTION_ROLE_POLICY_ARN }));
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: fargateNames.executionRole,
          PolicyName: "read-cluster-tls-secrets",
          PolicyDocument: EXECUTION_ROLE_SECRETS_POLICY,
        }),
      );
      return arn;
    })());
  const taskRoleArn =
    fargate.taskRoleArn ??
    (await (async () => {
      const arn = await ensure(fargateNames.taskRole, "dask-fargate-action: what the Dask code may do (empty unless policies are attached)");
      for (const policy of fargate.taskRolePolicyArns) await iam.send(new AttachRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyArn: policy }));
      return arn;
    })());
  return { executionRoleArn, taskRoleArn, created };
}
