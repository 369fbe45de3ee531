import type Docker from "dockerode";
import { DockerExecutor } from "./docker-executor.js";
import type { TaskExecutor } from "./executor.js";
import type { LogsForwarder } from "./logs-forwarder.js";
import type { MotoClients } from "./moto-clients.js";
import { NoneExecutor } from "./none-executor.js";
import { readGroups } from "./security-group-reader.js";
import type { TaskSideServer } from "./task-side-server.js";

/** What {@link createExecutor} needs: the mode, the engine, and the parts that serve the tasks' containers. */
export interface ExecutorSetup {
  readonly exec: "docker" | "none";
  readonly docker: Docker;
  readonly instanceId: string;
  readonly logs: LogsForwarder;
  readonly taskSide: TaskSideServer;
  readonly clients: (region: string) => MotoClients;
  readonly log: (message: string) => void;
  readonly pullTimeoutMs?: number | undefined;
  readonly imageSizeBytes?: number | undefined;
  /** Enforce the tasks' security groups with iptables (`--exec docker`, default true). */
  readonly securityGroups?: boolean | undefined;
}

/** `docker`: tasks as real containers on the emulator's network; `none`: the same lifecycle without containers. */
export function createExecutor(setup: ExecutorSetup): TaskExecutor {
  if (setup.exec === "none") return new NoneExecutor(setup.imageSizeBytes);
  const { taskSide, clients } = setup;
  return new DockerExecutor({
    docker: setup.docker,
    instanceId: setup.instanceId,
    logs: setup.logs,
    warn: setup.log,
    ...(setup.pullTimeoutMs ? { pullTimeoutMs: setup.pullTimeoutMs } : {}),
    taskEnvironment: (task) => taskSide.environmentFor(task),
    onRelease: (task) => taskSide.forget(task),
    ...(setup.securityGroups === false
      ? {}
      : { securityGroups: { readGroups: (region, query) => readGroups(clients(region).ec2, query) } }),
  });
}

/**
 * Makes the executor's network (and firewall chain), then, for containers, starts the task-side server on that
 * network's gateway. A failure says what the engine refused and how to go on; nothing the step made is left.
 */
export async function startExecutor(executor: TaskExecutor, taskSide: TaskSideServer): Promise<void> {
  try {
    await executor.init();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (reason.startsWith("security groups")) throw error;
    throw new Error(
      `the Docker Engine did not accept the emulator's network (${reason}); start the engine, set DOCKER_HOST, or use --exec none`,
      {
        cause: error,
      },
    );
  }
  if (!(executor instanceof DockerExecutor)) return;
  try {
    await taskSide.start(executor.gateway);
  } catch (error) {
    await executor.close();
    throw new Error(`the emulator cannot listen on its task network's gateway ${executor.gateway} (${String(error)})`, {
      cause: error,
    });
  }
}
