import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  EMULATOR_LABEL,
  type Emulator,
  type EmulatorOptions,
  SECURITY_GROUP_CHAIN_PREFIX,
  startEmulator,
} from "@dask-fargate-action/emulator";
import Docker from "dockerode";

const run = promisify(execFile);

/**
 * Starts the Fargate emulator (its own moto, tasks as real containers) and points this process's AWS SDK
 * at it, as a user's AWS_ENDPOINT_URL would. `options` override the defaults (e.g. `exec: "none"` where containers
 * are not the point).
 */
export async function emulatorForTests(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({
    exec: "docker",
    log: (m) => process.stderr.write(`emulator: ${m}\n`),
    ...options,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
  return emulator;
}

/** Containers, networks and security group rules (iptables) the emulator instance left on the machine (must be none after stop). */
export async function emulatorLeftovers(instanceId: string): Promise<string[]> {
  const docker = new Docker();
  const filters = { label: [`${EMULATOR_LABEL}=${instanceId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const { stdout } = await run("iptables", ["-w", "5", "-S"]);
  const rules = stdout.split("\n").filter((l) => l.includes(`${SECURITY_GROUP_CHAIN_PREFIX}${instanceId}`));
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...rules.map((r) => `iptables ${r}`),
  ];
}
