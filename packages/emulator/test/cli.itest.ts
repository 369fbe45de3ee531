import { execFileSync, spawn } from "node:child_process";
import { resolve } from "node:path";
import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { beforeAll, expect, test } from "vitest";
import { freePort } from "../src/moto-process.js";
import { leftovers, offlineImage, waitForTask } from "./helpers.js";

const root = resolve(import.meta.dirname, "../../..");
let image: string;

beforeAll(() => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], {
    cwd: resolve(import.meta.dirname, ".."),
    stdio: "inherit",
  });
  image = offlineImage();
});

/** Starts `npm run emulator` in its own process group (as in a terminal) and waits for its ready line. */
async function startCli(args: string[]) {
  const child = spawn("npm", ["run", "--silent", "emulator", "--", ...args], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (c: Buffer) => {
    out.stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    out.stderr += c.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!out.stdout.includes("ready ")) {
    if (Date.now() > deadline || child.exitCode !== null) {
      if (child.exitCode === null) process.kill(-(child.pid ?? 0), "SIGKILL");
      throw new Error(`no ready line; stdout: ${out.stdout}; stderr: ${out.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoint = out.stdout.trim().split(" ").pop() ?? "";
  const state = (await (await fetch(`${endpoint}/_emulator/state`)).json()) as {
    instanceId: string;
    motoEndpoint: string;
  };
  return {
    child,
    out,
    exited,
    endpoint,
    state,
    kill: (signal: NodeJS.Signals) => process.kill(-(child.pid ?? 0), signal),
  };
}

/** Runs one long task through the emulator and waits until it runs. */
async function runOneTask(endpoint: string): Promise<void> {
  const config = { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: "cli" }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "cli",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "main", image, memory: 512, command: ["sleep", "600"] }],
    }),
  );
  const subnet = (await new EC2Client(config).send(new DescribeSubnetsCommand({}))).Subnets?.[0]?.SubnetId ?? "";
  const arn =
    (
      await ecs.send(
        new RunTaskCommand({
          cluster: "cli",
          taskDefinition: "cli",
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [subnet] } },
        }),
      )
    ).tasks?.[0]?.taskArn ?? "";
  await waitForTask(ecs, "cli", arn, (t) => t.lastStatus === "RUNNING");
}

async function untilGone(instanceId: string): Promise<{ containers: number; networks: number; rules: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const left = await leftovers(instanceId);
    if (left.containers + left.networks + left.rules === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("`npm run emulator` prints ready once it and moto answer, and SIGTERM removes its containers, its network and moto", async () => {
  const port = await freePort();
  const cli = await startCli(["--port", String(port), "--exec", "docker"]);
  try {
    expect(cli.out.stdout.trim()).toBe(`ready http://127.0.0.1:${port}`);
    expect((await fetch(`${cli.state.motoEndpoint}/moto-api/data.json`)).ok).toBe(true);
    await runOneTask(cli.endpoint);
    expect(await leftovers(cli.state.instanceId)).toEqual({ containers: 1, networks: 1, rules: expect.any(Number) });
    expect((await leftovers(cli.state.instanceId)).rules).toBeGreaterThan(0);
    cli.kill("SIGTERM");
    await cli.exited;
    expect(await untilGone(cli.state.instanceId)).toEqual({ containers: 0, networks: 0, rules: 0 });
    const motoAlive = await fetch(`${cli.state.motoEndpoint}/moto-api/data.json`).then(
      () => true,
      () => false,
    );
    expect(motoAlive).toBe(false);
    expect(cli.out.stderr).toContain("SIGTERM: stopping tasks");
  } finally {
    if (cli.child.exitCode === null) cli.kill("SIGKILL");
  }
});

test("--remove-stale removes what an emulator killed with SIGKILL left behind", async () => {
  const dead = await startCli(["--port", "0", "--exec", "docker"]);
  await runOneTask(dead.endpoint);
  dead.kill("SIGKILL");
  await dead.exited;
  // Its node process is gone before it could clean up.
  await new Promise((r) => setTimeout(r, 500));
  // Its security group chain and the jumps to it too.
  expect((await leftovers(dead.state.instanceId)).rules).toBeGreaterThan(2);
  expect(await leftovers(dead.state.instanceId)).toEqual({ containers: 1, networks: 1, rules: expect.any(Number) });
  const next = await startCli(["--port", "0", "--exec", "docker", "--remove-stale"]);
  try {
    expect(await leftovers(dead.state.instanceId)).toEqual({ containers: 0, networks: 0, rules: 0 });
    expect(next.out.stderr).toContain(`removed what dead emulators ${dead.state.instanceId}`);
  } finally {
    next.kill("SIGTERM");
    await next.exited;
    expect(await untilGone(next.state.instanceId)).toEqual({ containers: 0, networks: 0, rules: 0 });
  }
});
