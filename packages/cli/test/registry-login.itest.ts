import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAwsClients } from "@dask-fargate-action/core";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { removeTagsStartingWith } from "@dask-fargate-action/testkit/images";
import { resetMoto } from "@dask-fargate-action/testkit/moto-server";
import { type RegistryServer, startRegistry } from "@dask-fargate-action/testkit/registry-server";
import { expectNoSecrets, recordOutput, registerSecret } from "@dask-fargate-action/testkit/secret-scan";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

// `dask-fargate build` logs in to a registry that wants a password, as `docker login` takes it: the user from a
// flag or DFA_REGISTRY_USERNAME, the password from stdin or DFA_REGISTRY_PASSWORD, never from the command line.
const docker = new Docker();
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const requirements = fileURLToPath(new URL("../../../examples/requirements.txt", import.meta.url));
let registry: RegistryServer;
const password = randomBytes(18).toString("base64url");
// The secrets check: the password must be in nothing the CLI printed (asserted in afterAll and by the run's teardown).
registerSecret(password, "registry password");
afterAll(expectNoSecrets);

function cli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(options.stdin ?? "");
  return new Promise((resolve) =>
    child.on("close", (code) => {
      recordOutput(`dask-fargate ${args[0]} stdout`, stdout);
      recordOutput(`dask-fargate ${args[0]} stderr`, stderr);
      resolve({ code, stdout, stderr });
    }),
  );
}

const buildArgs = (repository: string) => [
  "build",
  "--environment-file",
  requirements,
  "--base-image",
  inject("daskImage"),
  "--image",
  repository,
  "--json",
];

beforeAll(async () => {
  registry = await startRegistry("cli-tester", password);
});

afterAll(async () => {
  await registry?.stop();
  await removeTagsStartingWith(docker, `${registry.address}/`);
});

describe("dask-fargate build against a registry with a password", () => {
  test("--registry-password-stdin: built and pushed; the password is never printed", async () => {
    const repository = `${registry.address}/cli/dask-${randomBytes(3).toString("hex")}`;
    const result = await cli(
      [...buildArgs(repository), "--registry-username", registry.username, "--registry-password-stdin"],
      { stdin: `${password}\n` },
    );
    expect(result.code, result.stderr).toBe(0);
    const built = JSON.parse(result.stdout) as { status: string; digest: string | null };
    expect(built.status).toBe("built");
    expect(built.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.stdout + result.stderr).not.toContain(password);
    // The second run finds the content tag in the registry (with the login from the environment) and builds nothing.
    const again = await cli(buildArgs(repository), {
      env: { DFA_REGISTRY_USERNAME: registry.username, DFA_REGISTRY_PASSWORD: password },
    });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { status: string }).status).toBe("unchanged");
    expect(again.stdout + again.stderr).not.toContain(password);
  });

  test("run --backend fargate pushes with the --registry-password-stdin login before it starts anything", async () => {
    // Against moto, where no task ever runs: once the image is pushed and the start begins, SIGINT ends the run,
    // which removes what the start made. The pushed tag is in the registry, the password was printed nowhere.
    const repository = `${registry.address}/cli/run-${randomBytes(3).toString("hex")}`;
    const clusterId = `cli-push-${process.pid}`;
    await resetMoto(inject("motoEndpoint"));
    const aws = {
      AWS_ENDPOINT_URL: inject("motoEndpoint"),
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    };
    const args = [
      "run",
      "--backend",
      "fargate",
      "--region",
      "us-east-1",
      "--cluster-id",
      clusterId,
      "--environment-file",
      requirements,
      "--base-image",
      inject("daskImage"),
      "--image",
      repository,
      "--registry-username",
      registry.username,
      "--registry-password-stdin",
      "--job-command",
      "true",
      "--state-dir",
      await mkdtemp(join(tmpdir(), "dfa-push-state-")),
    ];
    const child = spawn(process.execPath, [main, ...args], {
      env: { ...process.env, ...aws },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let interrupted = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!interrupted && output.includes(`starting cluster ${clusterId}`)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.stdin.end(`${password}\n`);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    recordOutput("dask-fargate run output", output);
    expect(interrupted, output).toBe(true);
    expect(code, output).toBe(130);
    expect(output).not.toContain(password);
    const tags = await fetch(
      `http://${registry.address}/v2/${repository.slice(registry.address.length + 1)}/tags/list`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${registry.username}:${password}`).toString("base64")}` },
      },
    );
    expect(tags.status, output).toBe(200);
    expect(((await tags.json()) as { tags: string[] }).tags).toEqual([expect.stringMatching(/^env-[0-9a-f]{16}$/)]);
    Object.assign(process.env, aws);
    expect(await awsLeftovers(createAwsClients({ region: "us-east-1" }), clusterId)).toEqual([]);
  });

  test("without a login the push is refused by the registry, with a message naming the fix; the password flags are checked first", async () => {
    const repository = `${registry.address}/cli/dask-${randomBytes(3).toString("hex")}`;
    const anonymous = await cli(buildArgs(repository));
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/401|unauthorized|credentials/i);
    const userOnly = await cli([...buildArgs(repository), "--registry-username", registry.username]);
    expect(userOnly.code).toBe(2);
    expect(userOnly.stderr).toContain("--registry-password-stdin");
    const emptyStdin = await cli(
      [...buildArgs(repository), "--registry-username", registry.username, "--registry-password-stdin"],
      { stdin: "" },
    );
    expect(emptyStdin.code).toBe(2);
    expect(emptyStdin.stderr).toContain("stdin held no password");
  });
});
