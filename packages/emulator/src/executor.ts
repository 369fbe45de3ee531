import type { TaskRecord } from "./task-record.js";

/** How a container ended. */
export interface ContainerExit {
  readonly exitCode: number | undefined;
  readonly reason?: string | undefined;
}

/** What the executor reports while tasks run. */
export type ExitListener = (task: TaskRecord, containerName: string, exit: ContainerExit) => void;

/**
 * Runs the containers of tasks (`--exec docker`) or pretends to (`--exec none`). The lifecycle decides
 * when each step happens and what DescribeTasks shows; the executor only does the work.
 */
export interface TaskExecutor {
  readonly kind: "docker" | "none";
  /** Creates what tasks share (the Docker network). */
  init(): Promise<void>;
  /** The private IP of a task's ENI: its container's address (docker) or one from its subnet's block (none). */
  allocateIp(task: TaskRecord, subnetCidr: string): string;
  /** Makes an image present; its size in bytes and digest. Throws TaskStartError (CannotPullContainerError). */
  pull(image: string): Promise<{ sizeBytes: number; digest?: string | undefined }>;
  /** Creates the containers with their secrets already resolved (name → environment). Throws TaskStartError. */
  create(task: TaskRecord, secretEnv: ReadonlyMap<string, Record<string, string>>): Promise<void>;
  /** Starts the created containers. */
  start(task: TaskRecord, onExit: ExitListener): Promise<void>;
  /** Sends a signal to the task's running containers (Spot interruption's SIGTERM, a kill from the admin API). */
  signal(task: TaskRecord, signal: "SIGTERM" | "SIGKILL"): Promise<void>;
  /**
   * StopTask: SIGTERM, then SIGKILL after each container's `stopTimeout` (or `timeoutSeconds` for all);
   * resolves when every container exited. With `signalled` the SIGTERM was already sent (Spot interruption)
   * and only the SIGKILL after the wait remains.
   */
  stop(task: TaskRecord, timeoutSeconds: number | undefined, signalled?: boolean): Promise<void>;
  /** Removes the task's containers once their logs are written, and frees its address. */
  release(task: TaskRecord): Promise<void>;
  /** What it runs, for `GET /_emulator/state`. */
  describe(): Record<string, unknown>;
  /** Removes every container and network it made. */
  close(): Promise<void>;
}
