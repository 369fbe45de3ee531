import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { repoRoot, runByBlocks } from "./doc-blocks.js";

/**
 * The README's "AWS in five steps" block, run as written against moto with its placeholder filled in
 * (`repository=OWNER/NAME` → a test repository): the OIDC provider, the CI role with the trust policy file, the
 * policy file applied as is, `dask-fargate setup-roles`, the ECR repository. Then what it made is read back.
 * moto is reset before and after, so the file leaves nothing behind.
 */
const run = promisify(execFile);
const thisFile = "packages/cli/test/readme-aws-setup.itest.ts";
const endpoint = inject("motoEndpoint");
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "eu-west-1",
};
const aws = async (...args: string[]) =>
  JSON.parse((await run("aws", [...args, "--output", "json"], { env, cwd: repoRoot })).stdout || "{}");

/** The one block run by this file; it stays in README.md under "## AWS in five steps", where a new user looks. */
function setupBlock(): string {
  const blocks = runByBlocks(thisFile);
  if (blocks.length !== 1) throw new Error(`the docs have ${blocks.length} sh blocks run by ${thisFile}, not 1`);
  const [block] = blocks;
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8").split("\n");
  const section = readme.slice(0, block?.line).findLast((l) => l.startsWith("## "));
  if (block?.file !== "README.md" || section !== "## AWS in five steps")
    throw new Error(`the AWS setup block is not under README.md's "## AWS in five steps"`);
  return block.text;
}

beforeAll(async () => {
  await resetMoto(endpoint);
});
afterAll(async () => {
  await resetMoto(endpoint);
});

test("the README's AWS setup runs as written and makes the pinned CI role, its policy, the task roles and the ECR repository", async () => {
  const block = setupBlock();
  expect(block).toContain("repository=OWNER/NAME");
  const script = `set -euo pipefail\n${block.replace("repository=OWNER/NAME", "repository=octo-org/training")}`;
  const result = await run("bash", ["-c", script], { env, cwd: repoRoot }).catch(
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
  expect("code" in result ? result.code : 0, `${result.stdout}\n${result.stderr}`).toBe(0);

  const providers = await aws("iam", "list-open-id-connect-providers");
  expect(providers.OpenIDConnectProviderList).toEqual([
    { Arn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
  ]);
  const role = await aws("iam", "get-role", "--role-name", "dask-fargate-ci");
  const trust = role.Role.AssumeRolePolicyDocument;
  const document = typeof trust === "string" ? JSON.parse(decodeURIComponent(trust)) : trust;
  expect(document.Statement[0]).toMatchObject({
    Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:octo-org/training:ref:refs/heads/main",
      },
    },
  });
  const inline = await aws(
    "iam",
    "get-role-policy",
    "--role-name",
    "dask-fargate-ci",
    "--policy-name",
    "dask-fargate-action",
  );
  const applied =
    typeof inline.PolicyDocument === "string"
      ? JSON.parse(decodeURIComponent(inline.PolicyDocument))
      : inline.PolicyDocument;
  expect(applied).toEqual(JSON.parse(await readFile(join(repoRoot, "docs/aws/ci-policy.json"), "utf8")));
  for (const name of ["dask-fargate-action-execution", "dask-fargate-action-task"])
    expect((await aws("iam", "get-role", "--role-name", name)).Role.RoleName).toBe(name);
  const repositories = await aws("ecr", "describe-repositories", "--region", "eu-west-1");
  expect(repositories.repositories.map((r: { repositoryName: string }) => r.repositoryName)).toEqual(["dask"]);
});
