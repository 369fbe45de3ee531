import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EMULATOR_LABEL, type Emulator, SECURITY_GROUP_CHAIN_PREFIX, startEmulator } from "@dask-fargate-action/emulator";
import Docker from "dockerode";

const run = promisify(execFile);

/**
 * Starts the Fargate emulator (its own moto, tasks as real containers) and points this process's AWS SDK
 * at it, as a user's AWS_ENDPOINT_URL would. Returns it with a stop that restores the environment.
 */
export async function emulatorForTests(): Promise<Emulator> {
  const emulator = await startEmulator({ exec: "docker", log: (m) => process.stderr.write(`emulator: ${m}\n`) });
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" });
  return emulator;
}

/**
 * An image that holds the training examples on top of the offline Dask image, as a team's image holds its
 * training code: in-cluster jobs find their files in the image. Built once per base (content-tagged).
 */
export async function trainingImage(base: string): Promise<string> {
  const examples = fileURLToPath(new URL("../../../../examples", import.meta.url));
  // The examples' content is in the tag: a changed script gives a new image, never a stale cached one.
  const content = createHash("sha256");
  for (const file of ["train_xgboost.py", "train_sklearn.py"]) content.update(await readFile(join(examples, file)));
  const tag = `dfa-test-training:${base.split(":").pop()?.slice(0, 30) ?? "latest"}-${content.digest("hex").slice(0, 8)}`;
  const docker = new Docker();
  const exists = await docker
    .getImage(tag)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (!exists) {
    const dockerfile = `FROM ${base}\nCOPY train_xgboost.py train_sklearn.py /opt/train/\n`;
    const child = run("docker", ["build", "-q", "-t", tag, "-f", "-", examples], { maxBuffer: 16 * 1024 * 1024 });
    child.child.stdin?.end(dockerfile);
    await child;
  }
  return tag;
}

/** Containers, networks and security group rules (iptables) the emulator instance left on the machine (must be none after stop). */
export async function emulatorLeftovers(instanceId: string): Promise<string[]> {
  const docker = new Docker();
  const filters = { label: [`${EMULATOR_LABEL}=${instanceId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const { stdout } = await run("iptables", ["-w", "5", "-S"]);
  const rules = stdout.split("\n").filter((l) => l.includes(`${SECURITY_GROUP_CHAIN_PREFIX}${instanceId}`));
  return [...containers.map((c) => `container ${c.Names[0]}`), ...networks.map((n) => `network ${n.Name}`), ...rules.map((r) => `iptables ${r}`)];
}
