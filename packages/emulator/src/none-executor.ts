import type { ExitListener, TaskExecutor } from "./executor.js";
import { AddressPool } from "./ipv4.js";
import type { TaskRecord } from "./task-record.js";

/**
 * `--exec none`: the lifecycle without containers, for benchmarks with hundreds of tasks. Tasks "run"
 * until stopped; stopped containers exit 0. Addresses come from the subnet's own block, as in a VPC.
 */
export class NoneExecutor implements TaskExecutor {
  readonly kind = "none";
  private readonly pools = new Map<string, AddressPool>();
  private readonly ips = new Map<string, { cidr: string; ip: string }>();
  private readonly listeners = new Map<string, ExitListener>();

  constructor(private readonly imageSizeBytes = 300 * 1024 * 1024) {}

  async init(): Promise<void> {}

  allocateIp(task: TaskRecord, subnetCidr: string): string {
    let pool = this.pools.get(subnetCidr);
    if (!pool) {
      // A VPC subnet reserves its first four addresses and the last one (VPC user guide, "Subnet CIDR blocks").
      pool = new AddressPool(subnetCidr, 4);
      this.pools.set(subnetCidr, pool);
    }
    const ip = pool.take();
    this.ips.set(task.taskArn, { cidr: subnetCidr, ip });
    return ip;
  }

  async pull(): Promise<{ sizeBytes: number }> {
    return { sizeBytes: this.imageSizeBytes };
  }

  async create(): Promise<void> {}

  async start(task: TaskRecord, onExit: ExitListener): Promise<void> {
    this.listeners.set(task.taskArn, onExit);
  }

  async signal(task: TaskRecord, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    // No process to trap SIGTERM: the containers end at once (SIGTERM like a clean exit, SIGKILL with 137).
    this.exitAll(task, signal === "SIGKILL" ? 137 : 0);
  }

  async stop(task: TaskRecord): Promise<void> {
    this.exitAll(task, 0);
  }

  async release(task: TaskRecord): Promise<void> {
    const entry = this.ips.get(task.taskArn);
    if (entry) this.pools.get(entry.cidr)?.release(entry.ip);
    this.ips.delete(task.taskArn);
    this.listeners.delete(task.taskArn);
  }

  describe(): Record<string, unknown> {
    return { kind: this.kind, runningTasks: this.listeners.size };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private exitAll(task: TaskRecord, exitCode: number): void {
    const onExit = this.listeners.get(task.taskArn);
    for (const c of task.containers) if (c.lastStatus === "RUNNING") onExit?.(task, c.name, { exitCode });
  }
}
