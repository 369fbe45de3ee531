import { DeleteRolePolicyCommand, GetRolePolicyCommand, type IAMClient, ListRolePoliciesCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { RolesSetupError } from "../errors.js";
import { outputKeyPrefix, parseOutputUri } from "../job-outputs.js";
import { type Logger, silentLogger } from "../logger.js";
import { awsErrorName } from "./aws-clients.js";
import { fargateNames } from "./fargate-names.js";

/** Inline policies this tool puts on the managed task role, one per cluster with output-uri. */
export const OUTPUT_POLICY_PREFIX = "dask-fargate-action-outputs-";

/** The name of a cluster's inline policy on the managed task role. */
export function outputPolicyName(clusterId: string): string {
  return `${OUTPUT_POLICY_PREFIX}${clusterId}`;
}

/**
 * What the job task may do with the cluster's outputs: s3:PutObject under `<prefix>/<cluster-id>/` and nothing
 * else, and only until the cluster's hard lifetime (`aws:CurrentTime`), so a policy that a crash left behind
 * grants nothing after that even before the reaper deletes it.
 */
export function outputWritePolicy(outputUri: string, clusterId: string, expiresAt: string, partition = "aws"): string {
  const location = parseOutputUri(outputUri);
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteThisClustersOutputs",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `arn:${partition}:s3:::${location.bucket}/${outputKeyPrefix(location, clusterId)}*`,
        Condition: { DateLessThan: { "aws:CurrentTime": expiresAt } },
      },
    ],
  });
}

function isAccessDenied(error: unknown): boolean {
  return ["AccessDenied", "AccessDeniedException"].includes(awsErrorName(error));
}

/** Puts the cluster's output policy on the managed task role (iam:PutRolePolicy). */
export async function grantOutputWrite(iam: IAMClient, outputUri: string, clusterId: string, expiresAt: string, partition = "aws"): Promise<void> {
  await iam
    .send(
      new PutRolePolicyCommand({
        RoleName: fargateNames.taskRole,
        PolicyName: outputPolicyName(clusterId),
        PolicyDocument: outputWritePolicy(outputUri, clusterId, expiresAt, partition),
      }),
    )
    .catch((error: unknown) => {
      if (isAccessDenied(error))
        throw new RolesSetupError(
          fargateNames.taskRole,
          `should get write access to ${outputUri}/${clusterId}/ for this cluster (output-uri) and this identity may not give it (iam:PutRolePolicy was denied): add the README's OutputsOnTheManagedTaskRole statement to its policy, or pass task-role-arn with a role that may s3:PutObject there`,
          { cause: error },
        );
      throw error;
    });
}

/**
 * Removes a cluster's output policy from the managed task role (iam:DeleteRolePolicy); true when there was one.
 * An identity that may not delete it could not have put it either: that is only reported when `expected`.
 */
export async function revokeOutputWrite(iam: IAMClient, clusterId: string, options: { logger?: Logger; expected?: boolean } = {}): Promise<boolean> {
  const logger = options.logger ?? silentLogger;
  try {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: outputPolicyName(clusterId) }));
    return true;
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "NoSuchEntity" || name === "NoSuchEntityException") return false;
    if (isAccessDenied(error)) {
      const message = `could not remove the inline policy ${outputPolicyName(clusterId)} from ${fargateNames.taskRole} (iam:DeleteRolePolicy was denied); it grants nothing after the cluster's expiry, delete it by hand`;
      if (options.expected) logger.warn(message);
      else logger.debug(message);
      return false;
    }
    throw error;
  }
}

/** Cluster ids whose output policy is on the managed task role (iam:ListRolePolicies, paginated). */
export async function clustersWithOutputPolicies(iam: IAMClient): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam
      .send(new ListRolePoliciesCommand({ RoleName: fargateNames.taskRole, ...(marker ? { Marker: marker } : {}) }))
      .catch((error: unknown) => {
        const name = awsErrorName(error);
        if (name === "NoSuchEntity" || name === "NoSuchEntityException") return { PolicyNames: [], IsTruncated: false, Marker: undefined };
        // Without the README's outputs statement the identity never put such a policy: nothing to look for.
        if (isAccessDenied(error)) return { PolicyNames: [], IsTruncated: false, Marker: undefined };
        throw error;
      });
    for (const name of page.PolicyNames ?? []) if (name.startsWith(OUTPUT_POLICY_PREFIX)) ids.push(name.slice(OUTPUT_POLICY_PREFIX.length));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return ids;
}

/**
 * Output policies whose cluster's expiry passed (read from their `aws:CurrentTime` condition with
 * iam:GetRolePolicy): what a crashed `up` or `down` left. They grant nothing any more; the reaper deletes them.
 */
export async function expiredOutputPolicies(iam: IAMClient, now: number): Promise<string[]> {
  const expired: string[] = [];
  for (const id of await clustersWithOutputPolicies(iam)) {
    const answer = await iam.send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: outputPolicyName(id) }));
    let text = answer.PolicyDocument ?? "";
    try {
      text = decodeURIComponent(text);
    } catch {
      // Not URL-encoded (some emulators return the JSON as it was sent).
    }
    const until = /"aws:CurrentTime"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if (until !== undefined && Date.parse(until) <= now) expired.push(id);
  }
  return expired;
}
