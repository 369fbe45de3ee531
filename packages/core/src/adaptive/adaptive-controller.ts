import type { Logger } from "../logger.js";
import { type AdaptEvent, parseAdaptLine, type RetiredWorker } from "./adapt-lines.js";
import type { AdaptiveWorkers } from "./worker-range.js";

/** How the controller changes the cluster: the backend's `scale` to grow, its `removeWorkers` for what the scheduler retired. */
export interface AdaptiveScaler {
  /** Grows the cluster to `workers`; resolves with the members it then has. */
  grow(workers: number): Promise<number>;
  /** Removes the members of workers the scheduler retired; resolves with the members left. */
  remove(retired: readonly RetiredWorker[]): Promise<number>;
}

/** Workers over a job: one point per change, seconds since the job started. */
export interface WorkerPoint {
  readonly atSeconds: number;
  readonly workers: number;
}

/** What an adaptive job did: the range, the workers over time, and the worker-seconds they add up to (what Fargate bills for workers). */
export interface AdaptiveReport {
  readonly min: number;
  readonly max: number;
  readonly peak: number;
  readonly timeline: readonly WorkerPoint[];
  readonly workerSeconds: number;
  readonly scaleUps: number;
  readonly retired: number;
  /** Scale operations that failed (the job goes on with the workers it has). */
  readonly failures: readonly string[];
}

/** Options of {@link startAdaptiveController}. */
export interface AdaptiveControllerOptions {
  readonly range: AdaptiveWorkers;
  /** The workers the cluster has when the job starts. */
  readonly initial: number;
  readonly scaler: AdaptiveScaler;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Least time between the end of one growth and the start of the next, so a noisy target does not make a scale a second. */
  readonly growCooldownMs?: number;
}

/** A running controller: feed it the job's output lines, stop it when the job ends. */
export interface AdaptiveController {
  /** True when the line was the sidecar's (and is not the job's own output). */
  onLine(line: string): boolean;
  /** Names of retired workers whose members the controller stops on purpose (a watch of lost members skips them). */
  readonly retiring: ReadonlySet<string>;
  /** Waits for the scale in progress, then reports. */
  stop(): Promise<AdaptiveReport>;
}

/**
 * Applies the sidecar's adaptive target to the cluster: grows it (bounded by the range's maximum, one scale at a
 * time, `growCooldownMs` apart) when the target is above the members it has; removes exactly the members the
 * scheduler retired (the sidecar decides scale-down, with its own hysteresis, where the data is). Never below the
 * minimum: the sidecar bounds its target by it, and a retired line that would go below it is still honoured (the
 * workers are already closed) but the next target grows the cluster back.
 */
export function startAdaptiveController(options: AdaptiveControllerOptions): AdaptiveController {
  const now = options.now ?? Date.now;
  const { min, max } = options.range;
  const started = now();
  const timeline: WorkerPoint[] = [{ atSeconds: 0, workers: options.initial }];
  const failures: string[] = [];
  const retiring = new Set<string>();
  let members = options.initial;
  let scaleUps = 0;
  let retiredCount = 0;
  let busy: Promise<void> = Promise.resolve();
  let growing = false;
  let lastGrowEnd = Number.NEGATIVE_INFINITY;
  let stopped = false;
  const record = (workers: number) => {
    members = workers;
    const atSeconds = (now() - started) / 1000;
    const last = timeline[timeline.length - 1];
    if (last && last.workers === workers) return;
    timeline.push({ atSeconds, workers });
  };
  const run = (what: string, step: () => Promise<void>) => {
    busy = busy.then(step).catch((error: unknown) => {
      const message = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
      failures.push(message);
      options.logger.warn(`adaptive workers: ${message}; the job goes on with ${members} workers`);
    });
  };
  const onEvent = (event: AdaptEvent) => {
    if (stopped) return;
    if (event.kind === "target") {
      const want = Math.max(min, Math.min(max, event.target));
      if (want <= members || growing || now() - lastGrowEnd < (options.growCooldownMs ?? 10_000)) return;
      growing = true;
      const before = members;
      run(`growing to ${want} workers`, async () => {
        try {
          options.logger.info(
            `adaptive workers: the scheduler's target is ${event.target}; growing from ${members} to ${want} workers`,
          );
          // New workers are billed from their launch, not from when they are ready: the timeline counts them from here.
          record(want);
          record(
            await options.scaler.grow(want).catch((error: unknown) => {
              // What a failed scale left running is unknown here (teardown removes it): the timeline keeps the count it had.
              record(before);
              throw error;
            }),
          );
          scaleUps += 1;
        } finally {
          growing = false;
          lastGrowEnd = now();
        }
      });
      return;
    }
    if (event.retired.length === 0) return;
    for (const w of event.retired) retiring.add(w.name);
    run(`removing ${event.retired.length} retired worker(s)`, async () => {
      options.logger.info(
        `adaptive workers: the scheduler retired ${event.retired.map((w) => w.name).join(", ")}; removing their members`,
      );
      record(await options.scaler.remove(event.retired));
      retiredCount += event.retired.length;
    });
  };
  return {
    retiring,
    onLine(line) {
      const event = parseAdaptLine(line);
      if (!event) return false;
      onEvent(event);
      return true;
    },
    async stop() {
      stopped = true;
      await busy;
      const end = (now() - started) / 1000;
      return {
        min,
        max,
        peak: Math.max(...timeline.map((p) => p.workers)),
        timeline,
        workerSeconds: workerSecondsOf(timeline, end),
        scaleUps,
        retired: retiredCount,
        failures,
      };
    },
  };
}

/** The area under the workers-over-time steps up to `endSeconds`. */
export function workerSecondsOf(timeline: readonly WorkerPoint[], endSeconds: number): number {
  let total = 0;
  for (const [i, point] of timeline.entries()) {
    const next = timeline[i + 1]?.atSeconds ?? endSeconds;
    total += point.workers * Math.max(0, next - point.atSeconds);
  }
  return Math.round(total * 10) / 10;
}

/** The timeline as text for a summary: `0 s: 2 workers, 31 s: 16 workers, …`. */
export function formatTimeline(report: AdaptiveReport): string {
  return report.timeline.map((p) => `${Math.round(p.atSeconds)} s: ${p.workers}`).join(", ");
}
