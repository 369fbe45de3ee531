import { type ChildProcess, spawn } from "node:child_process";
import { EC2Client } from "@aws-sdk/client-ec2";
import { giveDefaultVpcInternet } from "@dask-fargate-action/emulator";
import { freePort } from "./registry-server.js";

/** A running moto server (the AWS emulator installed for the machine's python3). */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts `python3 -m moto.server` on a free loopback port and waits for /moto-api/data.json. ECS tasks
 * are pinned in their state (moto would otherwise advance them one status per DescribeTasks call), and the
 * default VPC routes to an internet gateway, as AWS's does (moto's has only its local route).
 */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${endpoint}/moto-api/data.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`moto did not start (is moto installed for python3?): ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await arrange(endpoint);
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** Clears moto's state, pins ECS tasks in their state again and gives the default VPC its internet route. */
export async function resetMoto(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  await arrange(endpoint);
}

async function arrange(endpoint: string): Promise<void> {
  await pinTasks(endpoint);
  // The tests' region; preflight refuses public tasks in a subnet without an internet route.
  const ec2 = new EC2Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await giveDefaultVpcInternet(ec2);
  ec2.destroy();
}

async function pinTasks(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/moto-api/state-manager/set-transition`, {
    method: "POST",
    body: JSON.stringify({ model_name: "ecs::task", transition: { progression: "manual", times: 1_000_000_000 } }),
  });
}
