import { TaskStartError } from "./errors.js";
import type { ContainerExit, TaskExecutor } from "./executor.js";
import type { Rng } from "./rng.js";
import type { StopCode, TaskRecord, TaskStatus } from "./task-record.js";

/**
 * How long each phase takes, measured from RunTask (the task's createdAt). Fargate's own: 30–90 s to RUNNING, the
 * image pull dominating, since Fargate caches no images (facts.md "Task lifecycle"). The defaults are short for
 * tests; {@link REALISTIC_TIMING} follows AWS's documented event timings, {@link EARLY_SECRETS_TIMING} reads the
 * secrets at the earliest moment the ECS agent allows.
 */
export interface Timing {
  /** RunTask → the ENI attached: its id and private IP appear, `connectivityAt` is set. */
  readonly connectivityMs: number;
  /** RunTask → PENDING and `pullStartedAt` (includes `connectivityMs`). */
  readonly provisioningMs: number;
  /**
   * When the agent reads the task's secrets and registry credentials (its task resources):
   * - `pull-start`: when it starts the task, together with the first image pull — agent/engine/task_manager.go
   *   `progressTask` calls `startResourceTransitions` and then `startContainerTransitions` in the same pass, and
   *   `asmsecret`/`ssmsecret` resources gate only `ContainerCreated`, not the pull (agent/api/task/task.go
   *   `initializeASMSecretResource`, `initializeSSMSecretResource`).
   * - `connectivity`: the earliest moment the agent allows: the resources need only the execution role's
   *   credentials, have no container dependencies (`DependOnTaskNetwork() == false` in
   *   agent/taskresource/asmsecret/asmsecret.go), and on platform 1.4 go over the task's ENI
   *   (knowledge center "ecs-unable-to-pull-secrets"), so `connectivityAt` is the first moment they can be read.
   */
  readonly secretsAt: "pull-start" | "connectivity";
  /** PENDING: a fixed part of the image pull ... */
  readonly pullBaseMs: number;
  /** ... and a part growing with the image's size. */
  readonly pullMsPerMiB: number;
  /**
   * ACTIVATING: ECS's own steps after the containers start, "for tasks that have service discovery configured" or
   * target groups of a service (developer guide, "Amazon ECS task lifecycle"). A RunTask task has neither, and the
   * agent reports its task PENDING until the containers run, then RUNNING (amazon-ecs-agent, TaskStatus.BackendStatus):
   * 0 in both presets, the task passes through ACTIVATING at once.
   */
  readonly activatingMs: number;
  readonly deactivatingMs: number;
  readonly deprovisioningMs: number;
  /** Every delay is scaled by a seeded random factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
  /** Fargate Spot's warning between SIGTERM and the end of an interrupted task: two minutes (facts.md). */
  readonly spotWarningMs: number;
}

export const FAST_TIMING: Timing = {
  connectivityMs: 100,
  provisioningMs: 300,
  secretsAt: "pull-start",
  pullBaseMs: 200,
  pullMsPerMiB: 0,
  activatingMs: 0,
  deactivatingMs: 100,
  deprovisioningMs: 200,
  jitter: 0.2,
  spotWarningMs: 120_000,
};

/**
 * Fargate-like, after AWS's sample task state change event (developer guide, "Amazon ECS task state change
 * events": `connectivityAt` 4 s and `pullStartedAt` 18 s after `createdAt`): the ENI attached at 4 s, the pull
 * from 18 s, 16.5 s + 25 ms/MiB long, then no ACTIVATING (the developer guide's "Task lifecycle" gives
 * ACTIVATING to service discovery and load balancers, which a RunTask task has none of) — 42 s to RUNNING for a
 * 300 MiB image, 31.5–52.5 s with the jitter, inside the documented 30–90 s with the pull the longest phase
 * (test/timing-model.test.ts holds it there, so benchmarks on this preset cannot drift into flattering numbers).
 * The secrets are read as the pull starts.
 */
export const REALISTIC_TIMING: Timing = {
  connectivityMs: 4_000,
  provisioningMs: 18_000,
  secretsAt: "pull-start",
  pullBaseMs: 16_500,
  pullMsPerMiB: 25,
  activatingMs: 0,
  deactivatingMs: 2_000,
  deprovisioningMs: 8_000,
  jitter: 0.25,
  spotWarningMs: 120_000,
};

/** The realistic delays with the secrets read at `connectivityAt`, the earliest the agent allows (see {@link Timing.secretsAt}). */
export const EARLY_SECRETS_TIMING: Timing = { ...REALISTIC_TIMING, secretsAt: "connectivity" };

/** The presets by name (`--timing`, `startEmulator({ timing })`). */
export const TIMING_PRESETS = {
  fast: FAST_TIMING,
  realistic: REALISTIC_TIMING,
  "early-secrets": EARLY_SECRETS_TIMING,
} as const;
export type TimingPreset = keyof typeof TIMING_PRESETS;

/** What the lifecycle needs from the rest of the emulator. */
export interface LifecycleDeps {
  readonly executor: TaskExecutor;
  readonly timing: Timing;
  readonly rng: Rng;
  readonly now: () => number;
  /** `now` runs this many times faster than the wall clock: every delay is that much shorter in wall time (default 1). */
  readonly timeScale?: number;
  /** Resolves a task's secrets (the agent's task resources): container name → secret environment. Throws TaskStartError. */
  readonly resolveSecrets: (task: TaskRecord) => Promise<Map<string, Record<string, string>>>;
  /** Creates the task's log streams before its containers are created. Throws TaskStartError. */
  readonly prepare: (task: TaskRecord) => Promise<void>;
  /** The subnet's CIDR block and a fresh ENI id and MAC address. */
  readonly eni: (task: TaskRecord) => { cidr: string; eniId: string; mac: string };
  readonly log?: (message: string) => void;
  /** Called on every status change (tests record the sequence). */
  readonly onStatus?: (task: TaskRecord, status: TaskStatus) => void;
}

interface Control {
  readonly abort: AbortController;
  /** Resolved when a stop is requested. */
  readonly stopRequested: Promise<void>;
  readonly requestStop: () => void;
  /** Seconds between SIGTERM and SIGKILL for this stop. */
  graceSeconds?: number;
  /** SIGTERM was sent already (Spot interruption). */
  signalled?: boolean;
  done?: Promise<void>;
}

/**
 * Drives each task through Fargate's statuses as DescribeTasks reports them (developer guide, "Amazon ECS
 * task lifecycle"; facts.md): PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING →
 * DEPROVISIONING → STOPPED, with the timestamps, stop codes and reasons ECS sets along the way.
 */
export class Lifecycle {
  private readonly controls = new Map<string, Control>();
  private disposed = false;

  constructor(private readonly deps: LifecycleDeps) {}

  /** Starts a task's way through the lifecycle (RunTask has already returned it in PROVISIONING). */
  launch(task: TaskRecord): void {
    let requestStop = () => {};
    const stopRequested = new Promise<void>((resolve) => {
      requestStop = resolve;
    });
    const control: Control = { abort: new AbortController(), stopRequested, requestStop };
    this.controls.set(task.taskArn, control);
    control.done = this.drive(task, control)
      .catch((error: unknown) => {
        this.deps.log?.(`task ${task.taskId}: ${error instanceof Error ? error.stack : String(error)}`);
        this.finish(task);
      })
      .finally(() => {
        // A STOPPED task needs no control any more (hundreds of tasks in benchmarks).
        if (this.controls.get(task.taskArn) === control) this.controls.delete(task.taskArn);
      });
  }

  /**
   * Asks a task to stop (StopTask, an essential container's exit, a Spot interruption). The first request
   * sets the stop code and reason; later ones change nothing (API_StopTask.html).
   */
  stop(task: TaskRecord, code: StopCode, reason: string, graceSeconds?: number): void {
    if (task.desiredStatus === "STOPPED") return;
    task.desiredStatus = "STOPPED";
    task.stopCode = code;
    task.stoppedReason = reason;
    task.stoppingAt = this.deps.now();
    task.version++;
    const control = this.controls.get(task.taskArn);
    if (!control) return;
    if (graceSeconds !== undefined) control.graceSeconds = graceSeconds;
    control.requestStop();
    control.abort.abort();
  }

  /**
   * Fargate Spot interruption: SIGTERM now, the task ends after the two-minute warning (developer guide,
   * "Fargate Spot"; facts.md). Only tasks on FARGATE_SPOT can be interrupted.
   */
  interruptSpot(task: TaskRecord): void {
    if (task.provider !== "FARGATE_SPOT") throw new Error(`task ${task.taskId} is not on FARGATE_SPOT`);
    const control = this.controls.get(task.taskArn);
    const signal = task.lastStatus === "RUNNING" && task.desiredStatus === "RUNNING" && control !== undefined;
    if (signal) control.signalled = true;
    // The stop code first: the SIGTERM may end an essential container at once.
    this.stop(task, "SpotInterruption", "Your Spot Task was interrupted.", this.deps.timing.spotWarningMs / 1000);
    if (signal)
      void this.deps.executor
        .signal(task, "SIGTERM")
        .catch((e: unknown) => this.deps.log?.(`SIGTERM to ${task.taskId}: ${String(e)}`));
  }

  /** A container exited: record it; an essential container's exit stops the task (API_ContainerDefinition.html "essential"). */
  containerExited(task: TaskRecord, name: string, exit: ContainerExit): void {
    const container = task.containers.find((c) => c.name === name);
    if (!container || container.lastStatus === "STOPPED") return;
    container.lastStatus = "STOPPED";
    if (exit.exitCode !== undefined) container.exitCode = exit.exitCode;
    if (exit.reason) container.reason = exit.reason;
    task.version++;
    if (container.essential) this.stop(task, "EssentialContainerExited", "Essential container in task exited");
  }

  /** Tasks still on their way (not STOPPED). */
  get active(): number {
    return this.controls.size;
  }

  /** Waits for a task to be STOPPED (tests and reset). */
  async settled(task: TaskRecord): Promise<void> {
    await this.controls.get(task.taskArn)?.done;
  }

  /** Ends every task at once, without the phase delays (emulator reset and shutdown). */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const control of this.controls.values()) {
      control.graceSeconds = 0;
      control.requestStop();
      control.abort.abort();
    }
    await Promise.all([...this.controls.values()].map((c) => c.done));
    this.disposed = false;
  }

  private async drive(task: TaskRecord, control: Control): Promise<void> {
    const { executor, timing, now } = this.deps;
    const sleep = (ms: number) => this.sleep(ms, control.abort.signal);
    const stopping = () => task.desiredStatus === "STOPPED" || this.disposed;
    let created = false;
    try {
      // PROVISIONING: Fargate finds capacity and attaches the ENI; RunTask showed it PRECREATED without an IP (facts.md).
      // Attached, it has its id and private IP and the task its connectivityAt (API_Task.html "connectivityAt").
      await sleep(timing.connectivityMs);
      if (stopping()) return;
      const eni = this.deps.eni(task);
      const ip = executor.allocateIp(task, eni.cidr);
      Object.assign(task.attachment, {
        status: "ATTACHED",
        networkInterfaceId: eni.eniId,
        macAddress: eni.mac,
        privateIPv4Address: ip,
        privateDnsName: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
      });
      task.connectivityAt = now();
      task.version++;
      // Secrets are task resources created once, before any container is created; a failed Create() stops the task
      // with no retry and no pull (agent/engine/task_manager.go; see Timing.secretsAt for when they are read).
      let secrets = timing.secretsAt === "connectivity" ? await this.deps.resolveSecrets(task) : undefined;
      await sleep(Math.max(0, timing.provisioningMs - timing.connectivityMs));
      if (stopping()) return;
      secrets ??= await this.deps.resolveSecrets(task);
      if (stopping()) return;
      // PENDING: the image pull (pullStartedAt/pullStoppedAt, API_Task.html).
      this.setStatus(task, "PENDING");
      task.pullStartedAt = now();
      const started = now();
      let bytes = 0;
      for (const image of new Set(task.containers.map((c) => c.definition.image ?? ""))) {
        const pulled = await Promise.race([executor.pull(image), control.stopRequested.then(() => undefined)]);
        if (!pulled) return;
        bytes += pulled.sizeBytes;
        for (const c of task.containers)
          if (c.definition.image === image && pulled.digest) c.imageDigest = pulled.digest;
      }
      await sleep(timing.pullBaseMs + (bytes / 1024 / 1024) * timing.pullMsPerMiB - (now() - started));
      task.pullStoppedAt = now();
      if (stopping()) return;
      await this.deps.prepare(task);
      if (stopping()) return;
      created = true;
      await executor.create(task, secrets);
      this.setStatus(task, "ACTIVATING");
      await sleep(timing.activatingMs);
      if (stopping()) return;
      await executor.start(task, (t, name, exit) => this.containerExited(t, name, exit));
      for (const c of task.containers) if (c.lastStatus === "PENDING") c.lastStatus = "RUNNING";
      task.startedAt = now();
      this.setStatus(task, "RUNNING");
      await control.stopRequested;
    } catch (error) {
      // A task that cannot start: stopCode TaskFailedToStart and the agent's error as reason (API_Task.html "stopCode").
      // Anything unforeseen (the engine went away, moto failed) reads like ECS's own "InternalError".
      const reason =
        error instanceof TaskStartError
          ? error.stoppedReason
          : `InternalError: ${error instanceof Error ? error.message : String(error)}`.replace(/\s+/g, " ");
      if (!(error instanceof TaskStartError))
        this.deps.log?.(`task ${task.taskId}: ${error instanceof Error ? error.stack : String(error)}`);
      this.stop(task, "TaskFailedToStart", reason);
      for (const c of task.containers) if (c.lastStatus !== "STOPPED") c.reason = reason;
      this.deps.log?.(`task ${task.taskId} failed to start: ${reason}`);
    } finally {
      await this.windDown(task, control, created);
    }
  }

  /** DEACTIVATING → STOPPING (containers get SIGTERM, SIGKILL after stopTimeout) → DEPROVISIONING → STOPPED. */
  private async windDown(task: TaskRecord, control: Control, created: boolean): Promise<void> {
    const { executor, timing, now } = this.deps;
    const pause = (ms: number) => (this.disposed ? Promise.resolve() : this.sleep(ms));
    if (task.desiredStatus !== "STOPPED") this.stop(task, "UserInitiated", "Task stopped by the emulator");
    const wasRunning = task.lastStatus === "RUNNING" || task.lastStatus === "ACTIVATING";
    if (wasRunning) {
      this.setStatus(task, "DEACTIVATING");
      await pause(timing.deactivatingMs);
      this.setStatus(task, "STOPPING");
      // Each container's own stopTimeout (API_ContainerDefinition.html), unless a Spot warning or a shutdown sets one for all.
      const grace = this.disposed ? 0 : control.graceSeconds;
      await executor
        .stop(task, grace, control.signalled === true && !this.disposed)
        .catch((e: unknown) => this.deps.log?.(`stopping ${task.taskId}: ${String(e)}`));
    }
    for (const c of task.containers) if (c.lastStatus !== "STOPPED") c.lastStatus = "STOPPED";
    task.executionStoppedAt = now();
    if (task.attachment.networkInterfaceId) {
      this.setStatus(task, "DEPROVISIONING");
      task.attachment.status = "DETACHING";
    }
    if (created || task.attachment.networkInterfaceId)
      await executor.release(task).catch((e: unknown) => this.deps.log?.(`releasing ${task.taskId}: ${String(e)}`));
    await pause(timing.deprovisioningMs);
    this.finish(task);
  }

  private finish(task: TaskRecord): void {
    if (task.attachment.networkInterfaceId) task.attachment.status = "DELETED";
    task.stoppedAt ??= this.deps.now();
    task.executionStoppedAt ??= task.stoppedAt;
    this.setStatus(task, "STOPPED");
  }

  private setStatus(task: TaskRecord, status: TaskStatus): void {
    task.lastStatus = status;
    task.version++;
    this.deps.onStatus?.(task, status);
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const jitter = this.deps.timing.jitter;
    const wait = Math.max(0, (ms * (1 - jitter + 2 * jitter * this.deps.rng())) / (this.deps.timeScale ?? 1));
    if (wait === 0 || signal?.aborted || this.disposed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
