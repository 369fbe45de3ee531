import { randomBytes } from "node:crypto";
import type { Subnet } from "@aws-sdk/client-ec2";
import Docker from "dockerode";
import { adminHandler, type EmulatorControls } from "./admin.js";
import { removeStale } from "./docker-cleanup.js";
import { DockerExecutor } from "./docker-executor.js";
import { EcsApi } from "./ecs-api.js";
import { emulatorClock } from "./emulator-clock.js";
import { emulatorControls, resetTasks } from "./emulator-controls.js";
import { type FaultRule, Faults } from "./faults.js";
import { listenFront } from "./front-server.js";
import { createRouter } from "./http-server.js";
import { FAST_TIMING, Lifecycle, TIMING_PRESETS, type Timing, type TimingPreset } from "./lifecycle.js";
import { lifecycleHooks } from "./lifecycle-hooks.js";
import { LogsForwarder } from "./logs-forwarder.js";
import { motoArrangement } from "./moto-arrangement.js";
import { motoClientFactory } from "./moto-clients.js";
import { type MotoProcess, startMoto } from "./moto-process.js";
import { RequestBuckets } from "./request-buckets.js";
import { seededRng } from "./rng.js";
import { FargateQuotas } from "./service-quotas.js";
import { createExecutor, type ExecutorSetup, startExecutor } from "./task-executor-setup.js";
import { TaskSideServer } from "./task-side-server.js";
import { TaskStore } from "./task-store.js";

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
  const now = emulatorClock(timeScale);
  const rng = seededRng(options.seed ?? 1);
  const instanceId = randomBytes(4).toString("hex");
  const exec = options.exec ?? "docker";
  const timing = timingOf(options.timing);
  const defaultRegion = options.defaultRegion ?? "us-east-1";
  const front = await listenFront(options.host ?? "127.0.0.1", options.port ?? 0);
  const moto = await startOwnMoto(options).catch(async (error: unknown) => {
    await front.close();
    throw error;
  });
  const motoEndpoint = options.motoEndpoint ?? moto?.endpoint ?? "";
  const clients = motoClientFactory(motoEndpoint);
  const arrangeMoto = motoArrangement(clients, defaultRegion, log);
  await arrangeMoto();
  const logs = new LogsForwarder(clients, 200, log);
  const docker = options.docker ?? new Docker();
  if (options.removeStale && exec === "docker") await removeStaleEmulators(docker, log);
  const faults = new Faults(rng);
  for (const rule of options.faults ?? []) faults.add(rule);
  // Task role credentials and S3 for the tasks' containers, on the host side of their network (task-side-server.ts).
  // Its ECS calls go to this emulator's own front (the server listens already), where buckets and faults apply.
  const taskSide = new TaskSideServer(new URL(motoEndpoint), log, faults, new URL(front.endpoint));
  const executor = createExecutor({
    exec,
    docker,
    instanceId,
    logs,
    taskSide,
    clients,
    log,
    ...executorOptions(options),
  });
  await startExecutor(executor, taskSide).catch(async (error: unknown) => {
    await moto?.stop();
    await front.close();
    throw error;
  });
  const store = new TaskStore(now, options.stoppedRetentionMs);
  const buckets = new RequestBuckets(now, options.throttleScale ?? 1, options.throttling ?? true);
  const subnets = new Map<string, Subnet>();
  const lifecycle = new Lifecycle({
    executor,
    timing,
    rng,
    now,
    timeScale,
    log,
    ...lifecycleHooks({ rng, subnets, clients, logs }),
  });
  const quotas = new FargateQuotas();
  const identity = { instanceId, exec, endpoint: front.endpoint, motoEndpoint };
  const controls = emulatorControls({
    identity,
    timing,
    buckets,
    faults,
    executor,
    store,
    lifecycle,
    quotas,
    subnets,
    arrangeMoto,
  });
  front.route(
    createRouter({
      motoEndpoint: new URL(motoEndpoint),
      ecs: new EcsApi({
        store,
        lifecycle,
        moto: clients,
        rng,
        now,
        throttle: () => buckets.active(),
        subnets,
        capacityFailures: capacityFailuresOf(faults),
      }),
      store,
      throttle: () => buckets.active(),
      faults,
      admin: adminHandler(controls),
      onMotoReset: () => resetTasks({ lifecycle, store, subnets }),
      afterMotoReset: arrangeMoto,
      quotas,
      defaultRegion,
      log,
      logRequests: options.logRequests ?? false,
    }),
  );
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await front.closeNow();
      await lifecycle.dispose().catch((e: unknown) => log(`stopping tasks: ${String(e)}`));
      await executor.close().catch((e: unknown) => log(`removing containers: ${String(e)}`));
      await taskSide.close();
      await moto?.stop();
    })();
    return stopping;
  };
  return {
    ...controls,
    ...identity,
    network: executor instanceof DockerExecutor ? executor.networkName : undefined,
    env: sdkEnvironment(front.endpoint, defaultRegion),
    stop,
  };
}

/** Moto started for this emulator, or undefined when the options name one already running. */
async function startOwnMoto(options: EmulatorOptions): Promise<MotoProcess | undefined> {
  if (options.motoEndpoint) return undefined;
  return startMoto({ ...(options.python ? { python: options.python } : {}) });
}

/** Removes what emulators that died on this machine left on the engine; a failure to look is logged, not thrown. */
async function removeStaleEmulators(docker: Docker, log: (message: string) => void): Promise<void> {
  const removed = await removeStale(docker, log).catch((error: unknown) => {
    log(`could not look for stale emulator containers: ${String(error)}`);
    return [];
  });
  if (removed.length > 0) log(`removed what dead emulators ${removed.join(", ")} left on the engine`);
}

/** The executor's options taken from the emulator's. */
function executorOptions(
  options: EmulatorOptions,
): Pick<ExecutorSetup, "pullTimeoutMs" | "imageSizeBytes" | "securityGroups"> {
  return {
    pullTimeoutMs: options.pullTimeoutMs,
    imageSizeBytes: options.imageSizeBytes,
    securityGroups: options.securityGroups,
  };
}

/** How many RunTask placements fail for capacity: the `capacity` fault rules an operation takes (each 10 unless it says). */
function capacityFailuresOf(faults: Faults): (operation: string) => number {
  return (operation) => faults.take(operation, ["capacity"]).reduce((n, r) => n + (r.count ?? 10), 0);
}

/** Environment that points the AWS SDK and CLI at the emulator, with placeholder credentials. */
function sdkEnvironment(endpoint: string, region: string): Readonly<Record<string, string>> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}
