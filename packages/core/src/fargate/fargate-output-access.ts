import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  type IAMClient,
  PutRolePolicyCommand,
  paginateListRolePolicies,
} from "@aws-sdk/client-iam";
import { RolesSetupError } from "../errors.js";
import { asList, matchesIamPattern, parsePolicyDocument } from "../internal/policy-document.js";
import { outputKeyPrefix, parseOutputUri } from "../job-outputs.js";
import { awsErrorName } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { fargateNames } from "./fargate-names.js";

/**
 * The one inline policy on the managed task role that lets job tasks write outputs, put there once by an
 * administrator (`dask-fargate setup-roles --output-uri`, or the CloudFormation template made with it). A run
 * writes no IAM: it only reads this policy (iam:GetRolePolicy) to fail early when it does not cover output-uri.
 */
export const OUTPUT_POLICY_NAME = "dask-fargate-action-outputs";

/** Per-cluster policies earlier versions put on the managed task role at every `up`; setup-roles removes them. */
export const LEGACY_OUTPUT_POLICY_PREFIX = "dask-fargate-action-outputs-";

/**
 * The static policy: s3:PutObject under `<prefix>/` of `outputUri`, nothing else. Which run's files the runner
 * takes is decided by the manifest signed with the cluster's own key (output-manifest.ts), not by IAM.
 */
export function outputWritePolicy(outputUri: string, partition = "aws"): string {
  const location = parseOutputUri(outputUri, "output-uri");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteJobOutputs",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `arn:${partition}:s3:::${location.bucket}/${location.prefix ? `${location.prefix}/` : ""}*`,
      },
    ],
  });
}

function isAccessDenied(error: unknown): boolean {
  return ["AccessDenied", "AccessDeniedException"].includes(awsErrorName(error));
}

function isNoSuchEntity(error: unknown): boolean {
  return ["NoSuchEntity", "NoSuchEntityException"].includes(awsErrorName(error));
}

/**
 * Whether a policy document (JSON, URL-encoded or not) allows s3:PutObject on `objectArn`, with no Deny or
 * condition in the way. A document that is not JSON allows nothing.
 */
export function policyAllowsPut(document: string, objectArn: string): boolean {
  const statements = asList(parsePolicyDocument(document)?.Statement) as Record<string, unknown>[];
  const strings = (v: unknown) => asList(v).map(String);
  const matches = (s: Record<string, unknown>) =>
    strings(s["Action"]).some((a) => matchesIamPattern(a, "s3:PutObject", { ignoreCase: true })) &&
    strings(s["Resource"]).some((r) => matchesIamPattern(r, objectArn));
  if (statements.some((s) => s["Effect"] === "Deny" && matches(s))) return false;
  return statements.some((s) => s["Effect"] === "Allow" && s["Condition"] === undefined && matches(s));
}

/**
 * Before anything is created: the managed task role must carry {@link OUTPUT_POLICY_NAME} covering this
 * cluster's outputs (iam:GetRolePolicy, a read). Refuses with what to run when it does not.
 */
export async function checkOutputAccess(
  iam: IAMClient,
  outputUri: string,
  clusterId: string,
  partition = "aws",
): Promise<void> {
  const location = parseOutputUri(outputUri);
  const probe = `arn:${partition}:s3:::${location.bucket}/${outputKeyPrefix(location, clusterId)}probe`;
  const fix = `run \`dask-fargate setup-roles --output-uri ${outputUri}\` once as an administrator (or deploy its --print-cloudformation template), or pass task-role-arn with a role that may s3:PutObject there`;
  const answer = await iam
    .send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: OUTPUT_POLICY_NAME }))
    .catch((error: unknown) => {
      if (isNoSuchEntity(error))
        throw new RolesSetupError(
          fargateNames.taskRole,
          `has no ${OUTPUT_POLICY_NAME} policy, so job tasks cannot write to ${outputUri}: ${fix}`,
          {
            cause: error,
          },
        );
      if (isAccessDenied(error))
        throw new RolesSetupError(
          fargateNames.taskRole,
          `cannot be checked for output-uri: this identity needs iam:GetRolePolicy on it (docs/aws/outputs-policy.json)`,
          { cause: error },
        );
      throw error;
    });
  if (!policyAllowsPut(answer.PolicyDocument ?? "{}", probe))
    throw new RolesSetupError(
      fargateNames.taskRole,
      `has a ${OUTPUT_POLICY_NAME} policy that does not allow s3:PutObject under ${outputUri}/: ${fix}`,
    );
}

/**
 * setup-roles: puts {@link OUTPUT_POLICY_NAME} on the managed task role (replacing an earlier one) and removes
 * the per-cluster policies earlier versions left there. Returns one line per change.
 */
export async function installOutputPolicy(iam: IAMClient, outputUri: string, partition = "aws"): Promise<string[]> {
  const changes: string[] = [];
  const document = outputWritePolicy(outputUri, partition);
  const current = await iam
    .send(new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: OUTPUT_POLICY_NAME }))
    .then((a) => parsePolicyDocument(a.PolicyDocument))
    .catch((error: unknown) => {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    });
  if (current === undefined || JSON.stringify(current) !== document) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: fargateNames.taskRole,
        PolicyName: OUTPUT_POLICY_NAME,
        PolicyDocument: document,
      }),
    );
    changes.push(
      `put the inline policy ${OUTPUT_POLICY_NAME} (s3:PutObject under ${outputUri}/) on ${fargateNames.taskRole}`,
    );
  }
  for (const name of await legacyOutputPolicies(iam)) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: name }));
    changes.push(`removed the per-cluster inline policy ${name} an earlier version left on ${fargateNames.taskRole}`);
  }
  return changes;
}

/** Names of the per-cluster output policies earlier versions put on the managed task role (iam:ListRolePolicies). */
export async function legacyOutputPolicies(iam: IAMClient): Promise<string[]> {
  const names = await allItems(
    paginateListRolePolicies({ client: iam }, { RoleName: fargateNames.taskRole }),
    (page) => page.PolicyNames,
  );
  return names.filter((n) => n.startsWith(LEGACY_OUTPUT_POLICY_PREFIX));
}
