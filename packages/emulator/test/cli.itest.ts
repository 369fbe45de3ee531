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
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: resolve(import.meta.dirname, ".."), stdio: "inherit" });
  image = offlineImage();
});

test("`npm run emulator` prints ready once it and moto answer, and SIGTERM removes its containers, its network and moto", async () => {
  const port = await freePort();
  // Its own process group, as in a terminal: the signal reaches npm and the emulator under it.
  const child = spawn("npm", ["run", "--silent", "emulator", "--", "--port", String(port), "--exec", "docker"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!stdout.includes("ready ")) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ready line; stdout: ${stdout}; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const endpoint = `http://127.0.0.1:${port}`;
    expect(stdout.trim()).toBe(`ready ${endpoint}`);
    const state = (await (await fetch(`${endpoint}/_emulator/state`)).json()) as { instanceId: string; motoEndpoint: string };
    expect((await fetch(`${state.motoEndpoint}/moto-api/data.json`)).ok).toBe(true);

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
    expect(await leftovers(state.instanceId)).toEqual({ containers: 1, networks: 1 });

    process.kill(-(child.pid ?? 0), "SIGTERM");
    await exited;
    const gone = Date.now() + 30_000;
    while ((await leftovers(state.instanceId)).containers + (await leftovers(state.instanceId)).networks > 0 && Date.now() < gone)
      await new Promise((r) => setTimeout(r, 200));
    expect(await leftovers(state.instanceId)).toEqual({ containers: 0, networks: 0 });
    const motoAlive = await fetch(`${state.motoEndpoint}/moto-api/data.json`).then(
      () => true,
      () => false,
    );
    expect(motoAlive).toBe(false);
    expect(stderr).toContain("SIGTERM: stopping tasks");
  } finally {
    if (child.exitCode === null) process.kill(-(child.pid ?? 0), "SIGKILL");
  }
});
