import { randomBytes } from "node:crypto";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import type { Subnet } from "@aws-sdk/client-ec2";
import Docker from "dockerode";
import { adminHandler, type EmulatorControls } from "./admin.js";
import { giveDefaultGroupSelfRule, giveDefaultVpcInternet } from "./default-vpc.js";
import { removeStale } from "./docker-cleanup.js";
import { DockerExecutor } from "./docker-executor.js";
import { EcsApi } from "./ecs-api.js";
import type { TaskExecutor } from "./executor.js";
import { type FaultRule, Faults } from "./faults.js";
import { createRouter } from "./http-server.js";
import { FAST_TIMING, Lifecycle, TIMING_PRESETS, type Timing, type TimingPreset } from "./lifecycle.js";
import { awslogsTarget, LogsForwarder } from "./logs-forwarder.js";
import { motoClientFactory } from "./moto-clients.js";
import { type MotoProcess, startMoto } from "./moto-process.js";
import { NoneExecutor } from "./none-executor.js";
import { hex, seededRng } from "./rng.js";
import { resolveSecrets } from "./secrets-resolver.js";
import { readGroups } from "./security-group-reader.js";
import { FargateQuotas } from "./service-quotas.js";
import { taskJson } from "./task-record.js";
import { TaskSideServer } from "./task-side-server.js";
import { TaskStore } from "./task-store.js";
import { Throttle } from "./token-bucket.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. The CLI's default is 4566. */
  readonly port?: number;
  readonly host?: string;
  /** `docker` (default): tasks are real containers. `none`: the same lifecycle without containers. */
  readonly exec?: "docker" | "none";
  /** A moto server already running; by default the emulator starts its own (`python3 -m moto.server`). */
  readonly motoEndpoint?: string;
  /** The python that has moto installed (default `python3`). */
  readonly python?: string;
  /** Phase delays: a preset or single values over the fast preset. */
  readonly timing?: TimingPreset | Partial<Timing>;
  /** Seed of the random delays (default 1), so runs repeat. */
  readonly seed?: number;
  /** ECS's and Fargate's request buckets (default on). */
  readonly throttling?: boolean;
  /** Multiplies every bucket's burst and refill (default 1 = AWS's). */
  readonly throttleScale?: number;
  /**
   * Benchmarks only (`--exec none`): the emulator's clock runs this many times faster than the wall clock (default 1).
   * Phase delays are that much shorter, buckets refill that much faster per wall second (bursts unchanged) and task
   * timestamps are in the fast clock, so every duration DescribeTasks shows is as at scale 1. What the emulator does not
   * time (moto's answers, the network) is not sped up: it weighs `timeScale` times more in the task timestamps.
   */
  readonly timeScale?: number;
  /** Faults active from the start. */
  readonly faults?: readonly FaultRule[];
  /** A Docker client (default: the engine of DOCKER_HOST or the local socket). */
  readonly docker?: Docker;
  /** The longest an image pull may take before the task fails with CannotPullContainerError (default 120 s). */
  readonly pullTimeoutMs?: number;
  /** `--exec none`: the size every image is taken to have (default 300 MiB), for the pull delay. */
  readonly imageSizeBytes?: number;
  /** How long STOPPED tasks stay visible (default one hour, as ECS). */
  readonly stoppedRetentionMs?: number;
  /** The region of unsigned requests (default us-east-1). */
  readonly defaultRegion?: string;
  /** First remove containers and networks of emulators that died on this machine without cleaning up (default false). */
  readonly removeStale?: boolean;
  /**
   * `--exec docker`: enforce the tasks' security groups on the task network with iptables (default true). Off
   * where the emulator cannot change the engine's firewall (not root, rootless Docker, Docker Desktop's VM), or
   * to reproduce a run of the emulator before enforcement.
   */
  readonly securityGroups?: boolean;
  /** Log every AWS call (operation, status, emulator or moto, duration) through `log` (default false). */
  readonly logRequests?: boolean;
  /** Diagnostics (default: none). */
  readonly log?: (message: string) => void;
}

/** A running emulator. */
export interface Emulator extends EmulatorControls {
  /** The URL to give the AWS SDK as AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  readonly motoEndpoint: string;
  /** The id in the names and labels of this emulator's containers and network. */
  readonly instanceId: string;
  readonly exec: "docker" | "none";
  /** The Docker network of the tasks (`--exec docker`). */
  readonly network: string | undefined;
  /** Environment that points the AWS SDK and CLI at the emulator with placeholder credentials. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops every task, removes every container and network it made, stops its moto. Safe to call twice. */
  stop(): Promise<void>;
}

function timingOf(option: EmulatorOptions["timing"]): Timing {
  if (option === undefined) return { ...FAST_TIMING };
  if (typeof option === "string") return { ...TIMING_PRESETS[option] };
  return { ...FAST_TIMING, ...option };
}

/** Starts moto (unless given), the executor and the HTTP front; resolves once both answer. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log = options.log ?? (() => {});
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale >= 1)) throw new Error(`timeScale must be at least 1; got ${timeScale}`);
  const epoch = Date.now();
  const now = timeScale === 1 ? Date.now : () => epoch + (Date.now() - epoch) * timeScale;
  const rng = seededRng(options.seed ?? 1);
  const instanceId = randomBytes(4).toString("hex");
  const exec = options.exec ?? "docker";
  const timing = timingOf(options.timing);
  // The port first: a port in use is reported before moto and the network are made. Calls wait for the router.
  let router: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => router(req, res));
  const host = options.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the emulator cannot listen on ${host}:${options.port ?? 0} (${reason}); choose another port`, { cause: error });
  }
  const closeServer = () => new Promise((r) => server.close(r));
  let moto: MotoProcess | undefined;
  try {
    moto = options.motoEndpoint ? undefined : await startMoto({ ...(options.python ? { python: options.python } : {}) });
  } catch (error) {
    await closeServer();
    throw error;
  }
  const motoEndpoint = options.motoEndpoint ?? moto?.endpoint ?? "";
  const clients = motoClientFactory(motoEndpoint);
  const defaultRegion = options.defaultRegion ?? "us-east-1";
  const arrangeMoto = async () => {
    await giveDefaultVpcInternet(clients(defaultRegion).ec2).catch((error: unknown) =>
      log(`could not give the default VPC its internet route: ${String(error)}`),
    );
    await giveDefaultGroupSelfRule(clients(defaultRegion).ec2).catch((error: unknown) =>
      log(`could not give the default security group its inbound rule: ${String(error)}`),
    );
  };
  await arrangeMoto();
  const quotas = new FargateQuotas();
  const logs = new LogsForwarder(clients, 200, log);
  const docker = options.docker ?? new Docker();
  if (options.removeStale && exec === "docker") {
    const removed = await removeStale(docker, log).catch((error: unknown) => {
      log(`could not look for stale emulator containers: ${String(error)}`);
      return [];
    });
    if (removed.length > 0) log(`removed what dead emulators ${removed.join(", ")} left on the engine`);
  }
  // Task role credentials and S3 for the tasks' containers, on the host side of their network (task-side-server.ts).
  const faults = new Faults(rng);
  for (const rule of options.faults ?? []) faults.add(rule);
  // Its ECS calls go to this emulator's own front (the server listens already), where buckets and faults apply.
  const taskSide = new TaskSideServer(new URL(motoEndpoint), log, faults, new URL(`http://${host}:${(server.address() as AddressInfo).port}`));
  const executor: TaskExecutor =
    exec === "docker"
      ? new DockerExecutor({
          docker,
          instanceId,
          logs,
          warn: log,
          ...(options.pullTimeoutMs ? { pullTimeoutMs: options.pullTimeoutMs } : {}),
          taskEnvironment: (task) => taskSide.environmentFor(task),
          onRelease: (task) => taskSide.forget(task),
          ...(options.securityGroups === false ? {} : { securityGroups: { readGroups: (region, query) => readGroups(clients(region).ec2, query) } }),
        })
      : new NoneExecutor(options.imageSizeBytes);
  try {
    await executor.init();
  } catch (error) {
    await moto?.stop();
    await closeServer();
    const reason = error instanceof Error ? error.message : String(error);
    if (reason.startsWith("security groups")) throw error;
    throw new Error(`the Docker Engine did not accept the emulator's network (${reason}); start the engine, set DOCKER_HOST, or use --exec none`, {
      cause: error,
    });
  }
  if (executor instanceof DockerExecutor) {
    try {
      await taskSide.start(executor.gateway);
    } catch (error) {
      await executor.close();
      await moto?.stop();
      await closeServer();
      throw new Error(`the emulator cannot listen on its task network's gateway ${executor.gateway} (${String(error)})`, { cause: error });
    }
  }
  const store = new TaskStore(now, options.stoppedRetentionMs);
  let throttling = options.throttling ?? true;
  let throttle = new Throttle(now, options.throttleScale ?? 1);
  const subnets = new Map<string, Subnet>();
  const lifecycle = new Lifecycle({
    executor,
    timing,
    rng,
    now,
    timeScale,
    log,
    eni: (task) => ({
      cidr: subnets.get(task.attachment.subnetId)?.CidrBlock ?? "172.31.0.0/20",
      eniId: `eni-${hex(rng, 17)}`,
      mac: `02:${Array.from({ length: 5 }, () => hex(rng, 2)).join(":")}`,
    }),
    resolveSecrets: async (task) => {
      const env = new Map<string, Record<string, string>>();
      for (const c of task.containers) env.set(c.name, await resolveSecrets(c.definition.secrets ?? [], task.region, clients));
      return env;
    },
    prepare: async (task) => {
      for (const c of task.containers) {
        const target = awslogsTarget(task, c);
        if (target) await logs.prepare(target);
      }
    },
  });
  const ecs = new EcsApi({
    store,
    lifecycle,
    moto: clients,
    rng,
    now,
    throttle: () => (throttling ? throttle : undefined),
    subnets,
    capacityFailures: (operation) => faults.take(operation, ["capacity"]).reduce((n, r) => n + (r.count ?? 10), 0),
  });

  const findTask = (ref: string) => {
    const task = store.all().find((t) => t.taskArn === ref || t.taskId === ref);
    if (!task) throw new Error(`no task ${ref}`);
    return task;
  };
  const resetTasks = async () => {
    await lifecycle.dispose();
    store.clear();
    subnets.clear();
  };
  const controls: EmulatorControls = {
    state: () => ({
      instanceId,
      exec,
      endpoint,
      motoEndpoint,
      timing,
      throttling,
      buckets: throttle.snapshot(),
      faults: faults.list(),
      executor: executor.describe(),
      tasks: store.all().map((t) => ({
        ...taskJson(t, true),
        stopCode: t.stopCode,
        containers: t.containers.map((c) => ({
          name: c.name,
          image: c.definition.image,
          runtimeId: c.runtimeId,
          lastStatus: c.lastStatus,
          exitCode: c.exitCode,
        })),
      })),
    }),
    reset: async () => {
      await resetTasks();
      faults.forget();
      throttle = new Throttle(now, options.throttleScale ?? 1);
      quotas.reset();
      await fetch(`${motoEndpoint}/moto-api/reset`, { method: "POST" });
      await arrangeMoto();
    },
    quotas: (values) => (values ? quotas.set(values) : quotas.values()),
    addFault: (rule) => faults.add(rule),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    listFaults: () => faults.list(),
    faultUses: () => faults.uses(),
    interruptSpot: (ref) => lifecycle.interruptSpot(findTask(ref)),
    killTask: async (ref, exitCode) => {
      const task = findTask(ref);
      if (executor.kind === "docker") await executor.signal(task, "SIGKILL");
      else {
        const essential = task.containers.find((c) => c.essential);
        if (essential) lifecycle.containerExited(task, essential.name, { exitCode: exitCode ?? 137 });
      }
    },
    setTiming: (partial) => Object.assign(timing, partial),
    setThrottling: (enabled) => {
      throttling = enabled;
    },
  };
  router = createRouter({
    motoEndpoint: new URL(motoEndpoint),
    ecs,
    store,
    throttle: () => (throttling ? throttle : undefined),
    faults,
    admin: adminHandler(controls),
    onMotoReset: resetTasks,
    afterMotoReset: arrangeMoto,
    quotas,
    defaultRegion: options.defaultRegion ?? "us-east-1",
    log,
    logRequests: options.logRequests ?? false,
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await lifecycle.dispose().catch((e: unknown) => log(`stopping tasks: ${String(e)}`));
      await executor.close().catch((e: unknown) => log(`removing containers: ${String(e)}`));
      await taskSide.close();
      await moto?.stop();
    })();
    return stopping;
  };
  return {
    ...controls,
    endpoint,
    motoEndpoint,
    instanceId,
    exec,
    network: executor instanceof DockerExecutor ? executor.networkName : undefined,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: options.defaultRegion ?? "us-east-1",
      AWS_DEFAULT_REGION: options.defaultRegion ?? "us-east-1",
    },
    stop,
  };
}
