import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { DescribeTasksCommand, type ECSClient, type Task } from "@aws-sdk/client-ecs";
import Docker from "dockerode";
import { EMULATOR_LABEL } from "../src/docker-cleanup.js";
import { CHAIN_PREFIX } from "../src/sg-firewall.js";

/** The offline Dask image (made once by scripts/make-offline-image.sh, then reused). */
export function offlineImage(): string {
  const script = resolve(import.meta.dirname, "../../../scripts/make-offline-image.sh");
  const out = execFileSync(script, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").pop() ?? "";
}

/** Polls DescribeTasks until `done` holds for the task; fails with what it last saw. */
export async function waitForTask(
  ecs: ECSClient,
  cluster: string,
  arn: string,
  done: (t: Task) => boolean,
  timeoutMs = 60_000,
): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  let last: Task | undefined;
  for (;;) {
    last = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn], include: ["TAGS"] }))).tasks?.[0];
    if (last && done(last)) return last;
    if (Date.now() > deadline)
      throw new Error(
        `task ${arn} did not reach the wanted state; last seen ${last?.lastStatus} ${last?.stopCode ?? ""} ${last?.stoppedReason ?? ""}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const detail = (task: Task, name: string) => task.attachments?.[0]?.details?.find((d) => d.name === name)?.value;

/** Containers and networks on the engine that carry this emulator instance's label, and its iptables rules (chain and jumps). */
export async function leftovers(instanceId: string): Promise<{ containers: number; networks: number; rules: number }> {
  const docker = new Docker();
  const filters = JSON.stringify({ label: [`${EMULATOR_LABEL}=${instanceId}`] });
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return { containers: containers.length, networks: networks.length, rules: firewallRules(instanceId).length };
}

/** Lines of `iptables -S` that name this emulator instance's chain (its definition, its rules, jumps to it). */
export function firewallRules(instanceId: string): string[] {
  const listing = execFileSync("iptables", ["-w", "5", "-S"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return listing.split("\n").filter((l) => l.includes(`${CHAIN_PREFIX}${instanceId}`));
}
