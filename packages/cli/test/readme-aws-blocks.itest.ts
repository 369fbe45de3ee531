import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { GetRoleCommand, GetRolePolicyCommand, ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { createAwsClients, fargateNames, perRepositoryPolicy } from "@dask-fargate-action/core";
import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { runByBlocks } from "./doc-blocks.js";

/**
 * The documentation's blocks that speak to AWS (README.md and docs/iam.md today; collected from every doc by
 * their info string `run-by=` this file), run as written against one Fargate emulator (`--exec none`: tasks
 * without containers, as containers are not the point here) with their placeholders filled in: the notebook
 * flow's `up` (then `dask-fargate down`, as the sentence after it says), the administrator's three `setup-roles`
 * commands and the per-repository policy. `dask-fargate` is the built CLI (a shell function, so file names such
 * as `dask-fargate-roles.json` stay as written); each block runs in bash from an empty directory, so the files it
 * writes land there. The emulator's own moto goes with it, so the file leaves nothing behind.
 */
const run = promisify(execFile);
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const thisFile = "packages/cli/test/readme-aws-blocks.itest.ts";
// The emulator's region: the one whose default VPC it gives an internet gateway (emulator/src/default-vpc.ts).
const region = "us-east-1";
const clientCidr = "203.0.113.7";
const bucket = "dfa-readme-outputs";
let emulator: Emulator;
let workDir: string;
let stateDir: string;

/** The blocks this file has run, by file and line: the last test checks that none of its blocks was left out. */
const ran = new Set<string>();

/** The doc sh blocks this file runs (info string `run-by=` this file, in any doc), the one containing `marker`. */
async function readmeBlock(marker: string): Promise<string> {
  const found = runByBlocks(thisFile).filter((b) => b.text.includes(marker));
  if (found.length !== 1)
    throw new Error(`the docs have ${found.length} sh blocks run by ${thisFile} containing "${marker}", not 1`);
  const [block] = found;
  ran.add(`${block?.file}:${block?.line}`);
  return block?.text ?? "";
}

/** Runs shell text with bash as a user would, `dask-fargate` being the built CLI and AWS the emulator. */
async function shell(text: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `set -euo pipefail\ndask-fargate() { node ${JSON.stringify(main)} "$@"; }\n${text}`;
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    DASK_FARGATE_STATE_DIR: stateDir,
  };
  return run("bash", ["-c", script], { cwd: workDir, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

const clients = () => createAwsClients({ region });
const parsePolicy = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? "{}"));

/** The account's IAM roles and customer managed policies, by name: what "creates nothing" compares. */
async function iamNames(): Promise<string[]> {
  const { iam } = clients();
  const roles = (await iam.send(new ListRolesCommand({}))).Roles?.map((r) => `role ${r.RoleName}`) ?? [];
  const policies =
    (await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies?.map((p) => `policy ${p.PolicyName}`) ?? [];
  return [...roles, ...policies].sort();
}

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: "fast" });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
  });
  workDir = await mkdtemp(join(tmpdir(), "dfa-readme-aws-"));
  stateDir = await mkdtemp(join(tmpdir(), "dfa-readme-aws-state-"));
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  await rm(workDir, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

test("the per-repository setup-roles block writes a JSON policy for that repository and creates nothing", async () => {
  const block = await readmeBlock("--repository");
  expect(block).toContain("setup-roles --repository octo-org/training > dfa-octo-org-training.json");
  const before = await iamNames();
  const result = await shell(block);
  expect(result.code, result.stderr).toBe(0);
  const written = await readFile(join(workDir, "dfa-octo-org-training.json"), "utf8");
  expect(written.trim()).toBe(perRepositoryPolicy("octo-org/training"));
  const policy = JSON.parse(written);
  expect(policy.Version).toBe("2012-10-17");
  expect(written).toContain('"aws:ResourceTag/github.repository": "octo-org/training"');
  expect(await iamNames()).toEqual(before);
});

test("the administrator's setup-roles block creates the roles, writes the CloudFormation template and puts the outputs policy on the task role", async () => {
  const block = await readmeBlock("--print-cloudformation");
  expect(block).toContain("--output-uri s3://BUCKET/PREFIX");
  await run("aws", ["s3api", "create-bucket", "--bucket", bucket], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_DEFAULT_REGION: region,
    },
  });
  const result = await shell(block.replace("s3://BUCKET/PREFIX", `s3://${bucket}/jobs`));
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(
    `created the IAM role ${fargateNames.executionRole}\ncreated the IAM role ${fargateNames.taskRole}\n`,
  );

  const { iam } = clients();
  for (const name of [fargateNames.executionRole, fargateNames.taskRole]) {
    const role = await iam.send(new GetRoleCommand({ RoleName: name }));
    expect(role.Role?.RoleName).toBe(name);
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? "")).toContain(
      '"aws:SourceAccount":"123456789012"',
    );
  }

  const template = JSON.parse(await readFile(join(workDir, "dask-fargate-roles.json"), "utf8"));
  const roleNames = Object.values(
    template.Resources as Record<string, { Type: string; Properties: { RoleName?: string } }>,
  )
    .filter((r) => r.Type === "AWS::IAM::Role")
    .map((r) => r.Properties.RoleName)
    .sort();
  expect(roleNames).toEqual([fargateNames.executionRole, fargateNames.taskRole].sort());

  const outputs = await iam.send(
    new GetRolePolicyCommand({ RoleName: fargateNames.taskRole, PolicyName: "dask-fargate-action-outputs" }),
  );
  expect(parsePolicy(outputs.PolicyDocument).Statement).toEqual([
    expect.objectContaining({ Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/jobs/*` }),
  ]);
});

test("the notebook flow's up prints the tls:// address and the Security line, and dask-fargate down removes everything", async () => {
  // Needs the roles of the test above, as the README's order has the administrator set them up first.
  const block = await readmeBlock("up --backend fargate");
  const checkip = '"$(curl -fsS https://checkip.amazonaws.com)/32"';
  const image = /--image (\S+)/.exec(block)?.[1];
  expect(block).toContain(checkip);
  expect(block).toContain("--region eu-west-1");
  expect(image).toMatch(/^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/dask:env-/);
  const filled = block
    .replace("--region eu-west-1", `--region ${region}`)
    .replace(image ?? "", "dask:readme-notebook")
    .replace(checkip, `"${clientCidr}/32"`);
  const up = await shell(filled);
  expect(up.code, up.stderr).toBe(0);
  const clusterId = /^cluster (\S+) is ready: 4 workers/m.exec(up.stdout)?.[1];
  expect(clusterId, up.stdout).toBeDefined();
  const address = /^ {2}scheduler: (tls:\/\/[\d.]+:8786)$/m.exec(up.stdout)?.[1];
  expect(address, up.stdout).toBeDefined();
  // The dashboard opens (plain HTTP) only with --open-dashboard, as the sentence after the block says.
  expect(/^ {2}dashboard: http:\/\//m.test(up.stdout)).toBe(block.includes("--open-dashboard"));
  const security =
    /security = Security\(tls_ca_file="([^"]+)", tls_client_cert="([^"]+)", tls_client_key="([^"]+)", require_encryption=True\)/.exec(
      up.stdout,
    );
  expect(security, up.stdout).not.toBeNull();
  for (const file of security?.slice(1) ?? []) expect(existsSync(file), file).toBe(true);
  expect(up.stdout).toContain(`client = Client("${address}", security=security)`);
  expect((await awsLeftovers(clients(), clusterId ?? "")).length).toBeGreaterThan(0);

  const down = await shell("dask-fargate down");
  expect(down.code, down.stderr).toBe(0);
  expect(down.stdout).toContain(`removed cluster ${clusterId}`);
  expect(await awsLeftovers(clients(), clusterId ?? "")).toEqual([]);
  expect(await readdir(join(stateDir, "clusters"))).toEqual([]);
});

test("every block run by this file was run above: a block added to the docs for this file needs a test here", () => {
  expect([...ran].sort()).toEqual(
    runByBlocks(thisFile)
      .map((b) => `${b.file}:${b.line}`)
      .sort(),
  );
});
