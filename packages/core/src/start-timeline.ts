/**
 * When each member of a cluster got through each step of its start, as the engine itself recorded it: on Fargate
 * ECS's task timestamps (createdAt, pullStartedAt, pullStoppedAt, startedAt, stoppedAt: "Task" in the ECS API
 * reference), on Docker the engine's container events (create, start, die); plus the time the scheduler logged
 * each worker's registration. Times are milliseconds since the epoch; a step not reached is undefined.
 */
export interface MemberStart {
  /** `scheduler`, `worker-3` (Docker) or `worker <task id>` (Fargate). */
  readonly member: string;
  readonly role: "scheduler" | "worker";
  /** The worker's private address, to match the scheduler's registration line (Fargate workers are named by it). */
  readonly address?: string | undefined;
  /** The task or container was created (ECS createdAt; Docker `create`). */
  readonly createdAt?: number | undefined;
  readonly pullStartedAt?: number | undefined;
  readonly pullStoppedAt?: number | undefined;
  /** The container runs (ECS startedAt; Docker `start`). */
  readonly startedAt?: number | undefined;
  /** The scheduler logged `Register worker` for it. */
  readonly registeredAt?: number | undefined;
  /** It stopped during the start (ECS stoppedAt; Docker `die`). */
  readonly stoppedAt?: number | undefined;
  /** Why it stopped (ECS stop code and reason, or the exit code), from the engine. */
  readonly failure?: string | undefined;
}

/** One cluster start: when it began (the backend's start time) and each member's steps. */
export interface StartTimeline {
  readonly backend: "docker" | "fargate";
  readonly startedAt: number;
  readonly members: readonly MemberStart[];
}

/** One `Register worker` line of a Dask scheduler's log: the worker's name (Docker) or address, and when. */
export interface WorkerRegistration {
  readonly worker: string;
  readonly address: string;
  readonly at: number;
}

// distributed's default log format is `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (distributed.yaml,
// logging); the scheduler logs `Register worker <WorkerState 'tls://10.0.1.7:40123', name: worker-0, status: …>`, the
// name left out when it is the address (WorkerState.__repr__), as for Fargate workers, which are named by it.
const REGISTER =
  /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - distributed\.scheduler - INFO - Register worker <WorkerState '([^']+)'(?:, name: ([^,>]+))?/;

/** The registrations in a scheduler's log lines; asctime is read as UTC (the containers' time zone on both backends). */
export function parseRegistrations(lines: readonly string[]): WorkerRegistration[] {
  const found: WorkerRegistration[] = [];
  for (const line of lines) {
    const match = REGISTER.exec(line.trim());
    if (!match) continue;
    const at = Date.parse(`${match[1]?.replace(" ", "T")}.${match[2]}Z`);
    if (Number.isNaN(at)) continue;
    found.push({ address: match[3] ?? "", worker: (match[4] ?? match[3] ?? "").trim(), at });
  }
  return found;
}

/**
 * The timeline with each worker's first registration: matched by name (`worker-3`), else by the address's host
 * (a Fargate worker is named by its address). A worker that registered again later keeps its first time.
 */
export function withRegistrations(
  timeline: StartTimeline,
  registrations: readonly WorkerRegistration[],
): StartTimeline {
  const byKey = new Map<string, number>();
  for (const r of registrations) {
    const host = r.address.replace(/^[a-z]+:\/\//, "").replace(/:\d+$/, "");
    for (const key of [r.worker, host]) if (!byKey.has(key) || (byKey.get(key) ?? 0) > r.at) byKey.set(key, r.at);
  }
  return {
    ...timeline,
    members: timeline.members.map((m) => {
      if (m.role !== "worker") return m;
      const at = byKey.get(m.member) ?? (m.address ? byKey.get(m.address) : undefined);
      return at === undefined ? m : { ...m, registeredAt: at };
    }),
  };
}
