import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";

/**
 * The first errors a newcomer meets, run through the real binary: an engine socket that is not there, a
 * DOCKER_HOST that refuses, an AWS endpoint that is gone, no AWS credentials. Each must say what, where and
 * the fix; none may print Node's bare `connect ECONNREFUSED …`.
 */
const bin = fileURLToPath(new URL("../bin/dask-fargate.js", import.meta.url));
let scratch: string;
let closedPort: number;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "dfa-unreachable-"));
  // A port that was just free and is closed again: a connection there is refused.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stderr: string }> {
  const base: Record<string, string | undefined> = {
    ...process.env,
    DASK_FARGATE_STATE_DIR: join(scratch, "state"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...env,
  };
  for (const [k, v] of Object.entries(base)) if (v === undefined) delete base[k];
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: base as NodeJS.ProcessEnv }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stderr });
    });
  });
}

const noBareConnect = (stderr: string) => expect(stderr).not.toMatch(/^error: connect /m);

test("up with DOCKER_HOST on a socket that does not exist names the socket and the fix", async () => {
  const socket = join(scratch, "no-engine.sock");
  const { code, stderr } = await cli(["up", "--image", "x:1"], { DOCKER_HOST: `unix://${socket}` });
  expect(code).toBe(1);
  noBareConnect(stderr);
  expect(stderr).toContain(`the Docker Engine is not reachable at its socket ${socket}: no such socket`);
  expect(stderr).toContain("DOCKER_HOST");
});

test("down with DOCKER_HOST on a TCP port that refuses names DOCKER_HOST and the fix", async () => {
  const host = `tcp://127.0.0.1:${closedPort}`;
  const { code, stderr } = await cli(["down", "--cluster-id", "dfa-0badc0de"], { DOCKER_HOST: host });
  expect(code).toBe(1);
  noBareConnect(stderr);
  expect(stderr).toContain(`the Docker Engine is not reachable at DOCKER_HOST=${host}: connection refused`);
  expect(stderr).toMatch(/Fix: start the engine there/);
});

test("down on Fargate with the AWS endpoint gone names AWS_ENDPOINT_URL and how to start the emulator", async () => {
  const endpoint = `http://127.0.0.1:${closedPort}`;
  const { code, stderr } = await cli(
    ["down", "--backend", "fargate", "--region", "us-east-1", "--cluster-id", "dfa-0badc0de"],
    {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
  );
  expect(code).toBe(1);
  noBareConnect(stderr);
  expect(stderr).toContain(
    `the AWS endpoint ${endpoint} (AWS_ENDPOINT_URL) is not reachable at 127.0.0.1:${closedPort}: connection refused`,
  );
  expect(stderr).toContain(`npm run emulator -- --port ${closedPort}`);
});

test("down on Fargate without any AWS credentials says so and how to give them", async () => {
  const none = join(scratch, "no-such-file");
  const { code, stderr } = await cli(
    ["down", "--backend", "fargate", "--region", "us-east-1", "--cluster-id", "dfa-0badc0de"],
    {
      HOME: scratch,
      AWS_CONFIG_FILE: none,
      AWS_SHARED_CREDENTIALS_FILE: none,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    },
  );
  expect(code).toBe(1);
  expect(stderr).toContain("no AWS credentials were found");
  expect(stderr).toContain("aws-actions/configure-aws-credentials");
});
