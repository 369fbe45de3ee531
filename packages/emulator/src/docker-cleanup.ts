import type Docker from "dockerode";
import { chainOwners, removeChain } from "./sg-firewall.js";

/** Labels on every container and network the emulator makes; cleanup selects by them. */
export const EMULATOR_LABEL = "io.dask-fargate-action.emulator";
export const EMULATOR_TASK_LABEL = "io.dask-fargate-action.emulator.task";
export const EMULATOR_CONTAINER_LABEL = "io.dask-fargate-action.emulator.container";
export const EMULATOR_PID_LABEL = "io.dask-fargate-action.emulator.pid";
/** The network's name: this prefix and the emulator instance's id. */
export const NETWORK_PREFIX = "dask-fargate-emulator-";

/** Removes the security group rules, containers and networks of one emulator instance (labelled with its id). */
export async function removeLabelled(
  docker: Docker,
  instanceId: string,
  warn: (message: string) => void = () => {},
): Promise<void> {
  // The rules first: a chain without its network would look like a dead emulator's to removeStale.
  await removeChain(instanceId).catch((error: unknown) =>
    warn(`could not remove the security group rules of ${instanceId}: ${String(error)}`),
  );
  const filters = JSON.stringify({ label: [`${EMULATOR_LABEL}=${instanceId}`] });
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((error: unknown) => {
          if (!isGone(error)) warn(`could not remove container ${c.Id}: ${String(error)}`);
        }),
    ),
  );
  const networks = await docker.listNetworks({ filters });
  for (const n of networks) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch((error: unknown) => {
        if (!isGone(error)) warn(`could not remove network ${n.Name}: ${String(error)}`);
      });
  }
}

/**
 * Removes what emulators that died without cleaning up (SIGKILL, a crash) left on the engine: containers,
 * networks and security group chains whose emulator process no longer exists on this machine. Only for engines no other machine's
 * emulators use (a process id means nothing elsewhere). Returns the instance ids removed.
 */
export async function removeStale(docker: Docker, warn: (message: string) => void = () => {}): Promise<string[]> {
  const filters = JSON.stringify({ label: [EMULATOR_LABEL] });
  // Chains listed before networks: an emulator starting meanwhile has its network before its chain, so is not taken for dead.
  const chains = await chainOwners();
  const owners = new Map<string, number>();
  for (const c of await docker.listContainers({ all: true, filters }))
    owners.set(c.Labels[EMULATOR_LABEL] ?? "", Number(c.Labels[EMULATOR_PID_LABEL]));
  for (const n of await docker.listNetworks({ filters }))
    owners.set(n.Labels?.[EMULATOR_LABEL] ?? "", Number(n.Labels?.[EMULATOR_PID_LABEL]));
  const removed: string[] = [];
  // A chain is made after its emulator's network and removed before it: a chain without a network is a dead one's.
  for (const instanceId of chains) {
    if (owners.has(instanceId)) continue;
    await removeChain(instanceId).catch((error: unknown) =>
      warn(`could not remove the security group rules of ${instanceId}: ${String(error)}`),
    );
    removed.push(instanceId);
  }
  for (const [instanceId, pid] of owners) {
    if (!instanceId || !Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    await removeLabelled(docker, instanceId, warn);
    removed.push(instanceId);
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 304 || status === 409;
}
