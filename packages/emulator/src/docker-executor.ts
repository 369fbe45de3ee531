import { randomInt } from "node:crypto";
import { PassThrough } from "node:stream";
import type Docker from "dockerode";
import {
  EMULATOR_CONTAINER_LABEL,
  EMULATOR_LABEL,
  EMULATOR_PID_LABEL,
  EMULATOR_TASK_LABEL,
  NETWORK_PREFIX,
  removeLabelled,
} from "./docker-cleanup.js";
import { stopTimeoutSeconds } from "./ecs-rules.js";
import { TaskStartError } from "./errors.js";
import type { ExitListener, TaskExecutor } from "./executor.js";
import { clampUlimit, hostHardLimits } from "./host-limits.js";
import { AddressPool } from "./ipv4.js";
import { awslogsTarget, type LogsForwarder } from "./logs-forwarder.js";
import { type FirewallMember, type FirewallOptions, SecurityGroupFirewall } from "./sg-firewall.js";
import type { TaskRecord } from "./task-record.js";

/** Options of {@link DockerExecutor}. */
export interface DockerExecutorOptions {
  readonly docker: Docker;
  /** Distinguishes this emulator's containers and network from those of other emulators on the engine. */
  readonly instanceId: string;
  readonly logs: LogsForwarder;
  /** Longest wait for an image pull before it counts as failed. */
  readonly pullTimeoutMs?: number;
  readonly warn?: (message: string) => void;
  /** Variables every container of a task gets besides the agent's own (task role credentials, the S3 endpoint). */
  readonly taskEnvironment?: (task: TaskRecord) => Record<string, string>;
  /** Called when a task's containers are gone. */
  readonly onRelease?: (task: TaskRecord) => void;
  /** Enforce the tasks' security groups on the network (`sg-firewall.ts`); absent: every port is open. */
  readonly securityGroups?: Pick<FirewallOptions, "readGroups" | "iptables" | "pollMs">;
}

interface RunningTask {
  readonly ids: Map<string, string>;
  readonly exited: Map<string, Promise<void>>;
  readonly logs: Promise<void>[];
}

/**
 * `--exec docker`: each task is a set of Docker containers on one bridge network the emulator owns. The
 * task's ENI address is its first container's static address there, so tasks reach each other (and the host
 * reaches them, on Linux) at the IPs DescribeTasks reports. Further containers of a task share the first
 * one's network namespace, as containers of an awsvpc task share one ENI and localhost.
 */
export class DockerExecutor implements TaskExecutor {
  readonly kind = "docker";
  readonly networkName: string;
  private pool: AddressPool | undefined;
  private subnet = "";
  /** The host's address on the tasks' network (.1 of its subnet), once created. */
  gateway = "";
  private readonly ips = new Map<string, string>();
  private readonly members = new Map<string, FirewallMember>();
  /** The security groups' rules on the network, when enforced. */
  firewall: SecurityGroupFirewall | undefined;
  private readonly tasks = new Map<string, RunningTask>();
  private readonly docker: Docker;
  private readonly warn: (message: string) => void;
  private readonly hostLimits = hostHardLimits();
  /** The engine's CPUs: Docker refuses a CPU limit above them, while Fargate tasks have up to 16 vCPUs. */
  private engineCpus = Number.POSITIVE_INFINITY;

  constructor(private readonly options: DockerExecutorOptions) {
    this.docker = options.docker;
    this.networkName = `${NETWORK_PREFIX}${options.instanceId}`;
    this.warn = options.warn ?? (() => {});
  }

  /** Creates the network with a subnet of its own (static addresses need a user-set subnet); retries on overlap. */
  async init(): Promise<void> {
    const info = (await this.docker.info()) as { NCPU?: number };
    if (info.NCPU) this.engineCpus = info.NCPU;
    await this.createNetwork();
    await this.enforceSecurityGroups();
  }

  private async createNetwork(): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      // A random /22 in 10.128.0.0/9: 1021 task addresses, unlikely to collide with other networks on the engine.
      // Not from the seeded generator: emulators started with the same seed must not all try the same block.
      const second = 128 + randomInt(128);
      const third = randomInt(64) * 4;
      const subnet = `10.${second}.${third}.0/22`;
      try {
        await this.docker.createNetwork({
          Name: this.networkName,
          Driver: "bridge",
          CheckDuplicate: true,
          IPAM: { Driver: "default", Config: [{ Subnet: subnet, Gateway: `10.${second}.${third}.1` }] },
          Labels: { [EMULATOR_LABEL]: this.options.instanceId, [EMULATOR_PID_LABEL]: String(process.pid) },
        });
        this.subnet = subnet;
        this.gateway = `10.${second}.${third}.1`;
        // The network address and the gateway (.1) are taken.
        this.pool = new AddressPool(subnet, 2);
        return;
      } catch (error) {
        lastError = error;
        if (!/overlap|in use|conflict/i.test(String(error))) throw error;
      }
    }
    throw new Error(`could not create the emulator's Docker network: ${String(lastError)}`);
  }

  private async enforceSecurityGroups(): Promise<void> {
    const sg = this.options.securityGroups;
    if (!sg) return;
    const firewall = new SecurityGroupFirewall({
      ...sg,
      instanceId: this.options.instanceId,
      subnet: this.subnet,
      gateway: this.gateway,
      members: () => [...this.members.values()],
      warn: this.warn,
    });
    try {
      await firewall.install();
    } catch (error) {
      await removeLabelled(this.docker, this.options.instanceId, this.warn);
      throw new Error(
        `security groups cannot be enforced on the task network (${oneLine(String(error))}): this needs root and iptables on the engine's machine; start with --security-groups off to run without them`,
        { cause: error },
      );
    }
    this.firewall = firewall;
  }

  allocateIp(task: TaskRecord): string {
    if (!this.pool) throw new Error("the Docker executor was not initialised");
    const ip = this.pool.take();
    this.ips.set(task.taskArn, ip);
    this.members.set(task.taskArn, { ip, groups: task.securityGroups, region: task.region, vpcId: task.vpcId });
    return ip;
  }

  /**
   * Uses the image on the engine or pulls it (a local registry works; nothing else is reachable here).
   * A failure reads like Fargate's: `CannotPullContainerError: ...` (developer guide, "CannotPullContainer task errors").
   */
  async pull(image: string): Promise<{ sizeBytes: number; digest?: string | undefined }> {
    const inspect = () => this.docker.getImage(image).inspect();
    let info = await inspect().catch(() => undefined);
    if (!info) {
      try {
        await this.pullImage(image);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new TaskStartError(
          `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${image}: ${oneLine(message)}`,
        );
      }
      info = await inspect().catch(() => undefined);
      if (!info)
        throw new TaskStartError(`CannotPullContainerError: ${image}: the image is not on the engine after its pull`);
    }
    return { sizeBytes: info.Size, digest: info.RepoDigests?.[0]?.split("@")[1] ?? info.Id };
  }

  private async pullImage(image: string): Promise<void> {
    const timeoutMs = this.options.pullTimeoutMs ?? 120_000;
    const pulled = new Promise<void>((resolve, reject) => {
      this.docker.pull(image, {}, (error: Error | null, stream?: NodeJS.ReadableStream) => {
        if (error || !stream) return reject(error ?? new Error("no pull stream"));
        this.docker.modem.followProgress(
          stream,
          (done: Error | null, events: { error?: string; errorDetail?: { message?: string } }[]) => {
            const failed = events?.find((e) => e.error || e.errorDetail);
            if (done) reject(done);
            else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
            else resolve();
          },
          () => {},
        );
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([pulled, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async create(task: TaskRecord, secretEnv: ReadonlyMap<string, Record<string, string>>): Promise<void> {
    const ip = this.ips.get(task.taskArn);
    if (!ip) throw new Error(`task ${task.taskId} has no address`);
    const running: RunningTask = { ids: new Map(), exited: new Map(), logs: [] };
    this.tasks.set(task.taskArn, running);
    let owner: string | undefined;
    const taskEnv = this.options.taskEnvironment?.(task) ?? {};
    for (const c of task.containers) {
      const def = c.definition;
      const env: Record<string, string> = {
        // Variables the Fargate agent sets in every container (developer guide, "Task metadata" and "AWS_EXECUTION_ENV").
        AWS_EXECUTION_ENV: "AWS_ECS_FARGATE",
        AWS_REGION: task.region,
        AWS_DEFAULT_REGION: task.region,
        ...taskEnv,
        ...Object.fromEntries(c.environment.map((e) => [e.name ?? "", e.value ?? ""])),
        ...secretEnv.get(c.name),
      };
      const linux = def.linuxParameters;
      // Task-level cpu is the hard limit of the whole task (API_TaskDefinition.html "cpu"): 1024 units = 1 vCPU,
      // at most the engine's CPUs (a 4 vCPU task on a 2-CPU machine gets 2).
      const vcpus = Math.min(task.cpu / 1024, this.engineCpus);
      if (vcpus < task.cpu / 1024 && c === task.containers[0])
        this.warn(
          `task ${task.taskId}: ${task.cpu / 1024} vCPU is more than this engine's ${this.engineCpus} CPUs; limited to ${vcpus}`,
        );
      const hostConfig: Docker.HostConfig = {
        NanoCpus: Math.round(vcpus * 1e9),
        // A container's `memory` is its hard limit; without one, the task's memory bounds it (API_ContainerDefinition.html "memory").
        Memory: (def.memory ?? task.memory) * 1024 * 1024,
        ...(def.memoryReservation ? { MemoryReservation: def.memoryReservation * 1024 * 1024 } : {}),
        ...(def.cpu ? { CpuShares: Math.max(2, def.cpu) } : {}),
        Init: linux?.initProcessEnabled === true,
        Ulimits: (def.ulimits ?? []).map((u) => {
          const limit = clampUlimit(u.name ?? "", u.softLimit ?? 0, u.hardLimit ?? 0, this.hostLimits);
          if (limit.lowered)
            this.warn(
              `task ${task.taskId}: ulimit ${u.name} ${u.hardLimit} is above this engine's limit; lowered to ${limit.hard}`,
            );
          return { Name: u.name ?? "", Soft: limit.soft, Hard: limit.hard };
        }),
        ReadonlyRootfs: def.readonlyRootFilesystem === true,
        ...(linux?.capabilities?.add ? { CapAdd: linux.capabilities.add } : {}),
        ...(linux?.capabilities?.drop ? { CapDrop: linux.capabilities.drop } : {}),
        NetworkMode: owner ? `container:${owner}` : this.networkName,
      };
      const created = await this.docker
        .createContainer({
          name: `${NETWORK_PREFIX}${this.options.instanceId}-${task.taskId.slice(0, 12)}-${c.name}`.replace(
            /[^a-zA-Z0-9_.-]/g,
            "-",
          ),
          Image: def.image ?? "",
          ...(def.entryPoint ? { Entrypoint: def.entryPoint } : {}),
          ...(c.command ? { Cmd: [...c.command] } : {}),
          Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
          ...(def.workingDirectory ? { WorkingDir: def.workingDirectory } : {}),
          ...(def.user ? { User: def.user } : {}),
          ...(owner ? {} : { Hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal` }),
          Tty: def.pseudoTerminal === true,
          StopTimeout: stopTimeoutSeconds(def.stopTimeout),
          Labels: {
            [EMULATOR_LABEL]: this.options.instanceId,
            [EMULATOR_PID_LABEL]: String(process.pid),
            [EMULATOR_TASK_LABEL]: task.taskArn,
            [EMULATOR_CONTAINER_LABEL]: c.name,
          },
          HostConfig: hostConfig,
          ...(owner
            ? {}
            : { NetworkingConfig: { EndpointsConfig: { [this.networkName]: { IPAMConfig: { IPv4Address: ip } } } } }),
        })
        .catch((error: Error) => {
          throw new TaskStartError(`CannotCreateContainerError: ${oneLine(error.message)}`);
        });
      running.ids.set(c.name, created.id);
      c.runtimeId = created.id;
      owner ??= created.id;
    }
    // The task's groups apply before its containers start: until then its address admits nothing.
    await this.firewall?.refresh();
  }

  async start(task: TaskRecord, onExit: ExitListener): Promise<void> {
    const running = this.tasks.get(task.taskArn);
    if (!running) throw new Error(`task ${task.taskId} has no containers`);
    for (const c of task.containers) {
      const id = running.ids.get(c.name);
      if (!id) continue;
      const container = this.docker.getContainer(id);
      await container.start().catch((error: Error) => {
        throw new TaskStartError(`CannotStartContainerError: ${oneLine(error.message)}`);
      });
      const target = awslogsTarget(task, c);
      if (target) running.logs.push(this.followLogs(container, c.definition.pseudoTerminal === true, target));
      running.exited.set(
        c.name,
        container.wait().then(
          async (result: { StatusCode?: number }) => {
            const state = await container.inspect().then(
              (i) => i.State,
              () => undefined,
            );
            // Fargate reports an out-of-memory kill as the container's reason (developer guide, "Stopped task error codes").
            const reason = state?.OOMKilled ? "OutOfMemoryError: Container killed due to memory usage" : undefined;
            onExit(task, c.name, { exitCode: state?.ExitCode ?? result.StatusCode, reason });
          },
          (error: Error) => {
            onExit(task, c.name, {
              exitCode: undefined,
              reason: `the container could not be watched: ${oneLine(error.message)}`,
            });
          },
        ),
      );
    }
  }

  private async followLogs(
    container: Docker.Container,
    tty: boolean,
    target: NonNullable<ReturnType<typeof awslogsTarget>>,
  ): Promise<void> {
    try {
      const stream = (await container.logs({
        follow: true,
        stdout: true,
        stderr: true,
      })) as unknown as NodeJS.ReadableStream;
      if (tty) {
        await this.options.logs.pipe(target, [stream as unknown as PassThrough]);
        return;
      }
      const out = new PassThrough();
      const err = new PassThrough();
      this.docker.modem.demuxStream(stream, out, err);
      stream.on("end", () => {
        out.end();
        err.end();
      });
      stream.on("error", () => {
        out.end();
        err.end();
      });
      await this.options.logs.pipe(target, [out, err]);
    } catch (error) {
      this.warn(`logs of ${target.stream} could not be forwarded: ${String(error)}`);
    }
  }

  async signal(task: TaskRecord, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const running = this.tasks.get(task.taskArn);
    for (const c of task.containers) {
      const id = running?.ids.get(c.name);
      if (id && c.lastStatus === "RUNNING") await this.docker.getContainer(id).kill({ signal }).catch(ignoreGone);
    }
  }

  /** `docker stop -t`: SIGTERM, SIGKILL after the timeout, the way the Fargate agent stops containers after StopTask. */
  async stop(task: TaskRecord, timeoutSeconds: number | undefined, signalled = false): Promise<void> {
    const running = this.tasks.get(task.taskArn);
    if (!running) return;
    if (signalled) {
      // One SIGTERM only (a second one makes some programs, Dask among them, exit at once): wait, then SIGKILL.
      const exited = Promise.all(running.exited.values());
      let timer: NodeJS.Timeout | undefined;
      const wait =
        (timeoutSeconds ?? Math.max(...task.containers.map((c) => stopTimeoutSeconds(c.definition.stopTimeout)))) *
        1000;
      const late = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), wait))),
      ]);
      clearTimeout(timer);
      if (late) await this.signal(task, "SIGKILL");
      await exited;
      return;
    }
    // Containers that share the first one's namespace are stopped first, the namespace's owner last.
    const order = [...task.containers].reverse();
    await Promise.all(
      order.map(async (c) => {
        const id = running.ids.get(c.name);
        const t = timeoutSeconds ?? stopTimeoutSeconds(c.definition.stopTimeout);
        if (id && c.lastStatus === "RUNNING") await this.docker.getContainer(id).stop({ t }).catch(ignoreGone);
      }),
    );
    await Promise.all(running.exited.values());
  }

  async release(task: TaskRecord): Promise<void> {
    const running = this.tasks.get(task.taskArn);
    if (running) {
      // The awslogs driver writes the last lines before the container is gone.
      await Promise.race([Promise.all(running.logs), new Promise((r) => setTimeout(r, 10_000))]);
      for (const id of running.ids.values())
        await this.docker.getContainer(id).remove({ force: true, v: true }).catch(ignoreGone);
    }
    this.tasks.delete(task.taskArn);
    this.options.onRelease?.(task);
    const ip = this.ips.get(task.taskArn);
    if (ip) this.pool?.release(ip);
    this.ips.delete(task.taskArn);
    // Its address is free again: no rule may admit the next task that gets it through this task's groups.
    if (this.members.delete(task.taskArn))
      await this.firewall?.refresh().catch((error: unknown) => this.warn(`security groups: ${String(error)}`));
  }

  describe(): Record<string, unknown> {
    return {
      kind: this.kind,
      network: this.networkName,
      subnet: this.subnet,
      securityGroups: this.firewall ? { enforced: true, chain: this.firewall.chain } : { enforced: false },
      containers: [...this.tasks.entries()].flatMap(([taskArn, t]) =>
        [...t.ids.entries()].map(([name, id]) => ({ taskArn, name, id })),
      ),
    };
  }

  /** Removes every container and the network carrying this instance's label, also those of tasks it lost track of. */
  async close(): Promise<void> {
    this.tasks.clear();
    this.members.clear();
    await this.firewall
      ?.remove()
      .catch((error: unknown) => this.warn(`could not remove the security group rules: ${String(error)}`));
    await removeLabelled(this.docker, this.options.instanceId, this.warn);
  }
}

function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 404 || status === 304 || status === 409;
}

function ignoreGone(error: unknown): void {
  if (!isGone(error)) throw error;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
