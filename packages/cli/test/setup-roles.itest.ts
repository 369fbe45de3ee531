import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { GetRoleCommand, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import {
  createAwsClients,
  fargateNames,
  perRepositoryPolicy,
  rolesCloudFormationTemplate,
} from "@dask-fargate-action/core";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { afterAll, beforeAll, expect, inject, test } from "vitest";

/** `dask-fargate setup-roles`, the built CLI as an administrator runs it, against moto. */
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const endpoint = inject("motoEndpoint");
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
};

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [main, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

beforeAll(async () => {
  await resetMoto(endpoint);
});
afterAll(async () => {
  await resetMoto(endpoint);
});

test("setup-roles creates the two roles with the confused-deputy guard, then finds them in place", async () => {
  const first = await cli("setup-roles", "--task-role-policy-arns", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(
    `created the IAM role ${fargateNames.executionRole}\ncreated the IAM role ${fargateNames.taskRole}\n`,
  );
  expect(first.stdout).toContain(`execution role: arn:aws:iam::123456789012:role/${fargateNames.executionRole}`);
  const iam = createAwsClients({ region: "us-east-1" }).iam;
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  const role = await iam.send(new GetRoleCommand({ RoleName: fargateNames.taskRole }));
  expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? "")).toContain('"aws:SourceAccount":"123456789012"');
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: fargateNames.taskRole }));
  expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
  ]);

  const again = await cli("setup-roles", "--json");
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ changes: [], taskRoleArn: role.Role?.Arn });
});

test("--print-cloudformation prints the template and creates nothing", async () => {
  await resetMoto(endpoint);
  const printed = await cli("setup-roles", "--print-cloudformation");
  expect(printed.code).toBe(0);
  expect(printed.stdout.trim()).toBe(rolesCloudFormationTemplate());
});

test("a permissions boundary that is not a policy ARN is bad input (exit 2) and nothing is sent", async () => {
  const run = await cli("setup-roles", "--permissions-boundary", "dask-fargate-action-boundary");
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('error: permissions-boundary: "dask-fargate-action-boundary" is not an IAM policy ARN');
});

test("setup-roles --repository prints the CI policy limited to that repository, and creates nothing", async () => {
  await resetMoto(endpoint);
  const printed = await cli("setup-roles", "--repository", "octo-org/training");
  expect(printed.code, printed.stderr).toBe(0);
  expect(printed.stdout.trim()).toBe(perRepositoryPolicy("octo-org/training"));
  expect(printed.stdout).toContain('"aws:ResourceTag/github.repository": "octo-org/training"');
  const iam = createAwsClients({ region: "us-east-1" }).iam;
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  await expect(iam.send(new GetRoleCommand({ RoleName: fargateNames.executionRole }))).rejects.toThrow();
  const bad = await cli("setup-roles", "--repository", "not a repository");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('repository: "not a repository" is not a GitHub repository; write OWNER/NAME');
});
