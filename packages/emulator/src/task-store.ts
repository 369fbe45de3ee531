import { CLIENT_TOKEN_TTL_MS, STOPPED_TASK_RETENTION_MS } from "./ecs-rules.js";
import type { TaskRecord } from "./task-record.js";

/** Filters of ListTasks (API_ListTasks.html). */
export interface TaskFilter {
  readonly clusterArn: string;
  readonly desiredStatus: "RUNNING" | "STOPPED";
  readonly family?: string | undefined;
  readonly startedBy?: string | undefined;
  readonly launchType?: string | undefined;
}

/** The emulator's tasks, client tokens and their retention rules. */
export class TaskStore {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly tokens = new Map<string, { arns: string[]; at: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    /** How long STOPPED tasks stay visible; ECS keeps them at least an hour (API_DescribeTasks.html). */
    private readonly retentionMs = STOPPED_TASK_RETENTION_MS,
  ) {}

  add(task: TaskRecord): void {
    this.tasks.set(task.taskArn, task);
  }

  /** A task by ARN or by id, within a cluster (DescribeTasks/StopTask accept both forms). */
  find(clusterArn: string, ref: string): TaskRecord | undefined {
    this.purge();
    const byArn = this.tasks.get(ref);
    if (byArn) return byArn.clusterArn === clusterArn ? byArn : undefined;
    const id = ref.split("/").pop();
    for (const task of this.tasks.values()) if (task.clusterArn === clusterArn && task.taskId === id) return task;
    return undefined;
  }

  /** Any task by ARN, whatever its cluster (tagging operations take only an ARN). */
  byArn(arn: string): TaskRecord | undefined {
    this.purge();
    return this.tasks.get(arn);
  }

  all(): TaskRecord[] {
    this.purge();
    return [...this.tasks.values()];
  }

  /** Tasks matching ListTasks' filters, oldest first (a stable order for pagination). */
  list(filter: TaskFilter): TaskRecord[] {
    return this.all().filter(
      (t) =>
        t.clusterArn === filter.clusterArn &&
        t.desiredStatus === filter.desiredStatus &&
        (filter.family === undefined || t.taskDefinition.family === filter.family) &&
        (filter.startedBy === undefined || t.startedBy === filter.startedBy) &&
        (filter.launchType === undefined || (filter.launchType === "FARGATE" && !t.viaStrategy)),
    );
  }

  /** The tasks an earlier call with this token started in this cluster, within 24 hours (API_RunTask.html "clientToken"). */
  tokenTasks(clusterArn: string, token: string): TaskRecord[] | undefined {
    const entry = this.tokens.get(`${clusterArn}\n${token}`);
    if (!entry || this.now() - entry.at > CLIENT_TOKEN_TTL_MS) return undefined;
    return entry.arns.map((arn) => this.tasks.get(arn)).filter((t): t is TaskRecord => t !== undefined);
  }

  rememberToken(clusterArn: string, token: string, arns: string[]): void {
    this.tokens.set(`${clusterArn}\n${token}`, { arns, at: this.now() });
  }

  clear(): void {
    this.tasks.clear();
    this.tokens.clear();
  }

  /** Forgets stopped tasks older than the retention and expired tokens. */
  private purge(): void {
    const now = this.now();
    for (const [arn, task] of this.tasks)
      if (task.stoppedAt !== undefined && now - task.stoppedAt > this.retentionMs) this.tasks.delete(arn);
    for (const [key, entry] of this.tokens) if (now - entry.at > CLIENT_TOKEN_TTL_MS) this.tokens.delete(key);
  }
}
