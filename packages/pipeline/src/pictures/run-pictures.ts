import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ClusterBackend,
  type ClusterHandle,
  hourlyFargateCost,
  type Logger,
  parseRegistrations,
  type StartTimeline,
  withRegistrations,
} from "@dask-fargate-action/core/backend";
import type { ClusterSpec } from "@dask-fargate-action/core/validate";
import { PICTURES_FILE, type RunPictures, renderPictures } from "./pictures.js";
import { METRICS_FILE, parseMetrics, type TrainingMetrics } from "./training-metrics.js";
import type { WorkersOverTime } from "./workers-over-time.js";

/** Lines of the scheduler's log read for its registrations (a 500-worker start logs one line per worker). */
const SCHEDULER_LOG_LINES = 10_000;
/** A metrics file larger than this is not read (a picture must stay cheap). */
const MAX_METRICS_BYTES = 4 * 1024 * 1024;

/** The timeline with the workers' registrations from the scheduler's log; unchanged when the log cannot be read. */
export async function withSchedulerRegistrations(
  backend: ClusterBackend,
  timeline: StartTimeline,
  clusterId: string,
  logger: Logger,
): Promise<StartTimeline> {
  try {
    const logs = await backend.logs(clusterId, { tail: SCHEDULER_LOG_LINES, schedulerOnly: true });
    return withRegistrations(
      timeline,
      parseRegistrations(logs.filter((l) => l.member.includes("scheduler")).flatMap((l) => l.lines)),
    );
  } catch (error) {
    logger.debug(
      `could not read the scheduler's registrations: ${error instanceof Error ? error.message : String(error)}`,
    );
    return timeline;
  }
}

/** The job's `metrics.jsonl` in its output directory, when it wrote one. */
export async function readTrainingMetrics(
  outputDir: string | undefined,
  logger: Logger,
): Promise<TrainingMetrics | undefined> {
  if (outputDir === undefined) return undefined;
  const path = join(outputDir, METRICS_FILE);
  try {
    const info = await stat(path);
    if (!info.isFile()) return undefined;
    if (info.size > MAX_METRICS_BYTES) {
      logger.warn(
        `${METRICS_FILE} is ${info.size} bytes, more than the ${MAX_METRICS_BYTES} the summary reads: no training charts`,
      );
      return undefined;
    }
    return parseMetrics(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The workers over the run: none at the start, one more as each worker's container started (from the timeline;
 * else all at the moment the cluster was ready), fewer by the members that stopped while the job ran (reported when
 * it ended), none after the teardown. Fargate prices: the shape's hourly price split into one worker's and the rest.
 */
export function workersOverTime(facts: {
  readonly spec: ClusterSpec;
  readonly handle: ClusterHandle | undefined;
  readonly timeline: StartTimeline | undefined;
  readonly startedAt: number;
  readonly readyAt: number | undefined;
  readonly jobEndedAt: number | undefined;
  readonly stoppedWorkers: number;
  /** When the job started; with adaptive workers, the times of their timeline count from it. */
  readonly jobStartedAt?: number | undefined;
  /** Adaptive workers (`workers: MIN-MAX`): the workers over the job, as the controller applied them. */
  readonly adaptive?:
    | { readonly timeline: readonly { readonly atSeconds: number; readonly workers: number }[] }
    | undefined;
  readonly endedAt: number;
  readonly jobInCluster: boolean;
}): WorkersOverTime | undefined {
  const { spec, timeline } = facts;
  if (facts.readyAt === undefined && !timeline) return undefined;
  const points: { at: number; workers: number }[] = [{ at: facts.startedAt, workers: 0 }];
  const starts = (timeline?.members ?? [])
    .filter((m) => m.role === "worker" && m.startedAt !== undefined)
    .map((m) => m.startedAt as number)
    .sort((a, b) => a - b);
  for (const [i, at] of starts.entries()) points.push({ at: Math.max(at, facts.startedAt), workers: i + 1 });
  if (starts.length === 0 && facts.readyAt !== undefined) points.push({ at: facts.readyAt, workers: spec.workers });
  if (facts.adaptive && facts.jobStartedAt !== undefined) {
    const jobStart = facts.jobStartedAt;
    for (const p of facts.adaptive.timeline)
      points.push({
        at: Math.max(jobStart + p.atSeconds * 1000, points[points.length - 1]?.at ?? jobStart),
        workers: p.workers,
      });
  }
  const running = points[points.length - 1]?.workers ?? 0;
  if (facts.jobEndedAt !== undefined && facts.stoppedWorkers > 0)
    points.push({ at: facts.jobEndedAt, workers: Math.max(0, running - facts.stoppedWorkers) });
  points.push({ at: Math.max(facts.endedAt, points[points.length - 1]?.at ?? facts.endedAt), workers: 0 });
  const fargate = facts.handle?.fargate;
  if (!fargate) return { points };
  const price = (workers: number) =>
    hourlyFargateCost(
      // The price of this many workers, not of an adaptive range's maximum.
      { ...spec, workers, adaptive: undefined },
      fargate.spec.architecture,
      fargate.assignPublicIp ? 1 + workers + (facts.jobInCluster ? 1 : 0) : 0,
      fargate.spec.spotWorkers,
      { jobTask: facts.jobInCluster },
    ).usd;
  const base = price(0);
  return { points, baseHourlyUsd: base, workerHourlyUsd: price(1) - base };
}

/**
 * Writes the pictures to the output directory as {@link PICTURES_FILE} (the CLI user's copy of the summary's
 * pictures), replacing one of an earlier run; a file of that name among the job's own outputs is kept instead.
 */
export async function writePictures(
  outputDir: string,
  pictures: RunPictures,
  jobFiles: readonly string[],
  logger: Logger,
): Promise<string | undefined> {
  const markdown = renderPictures(pictures);
  if (markdown === "") return undefined;
  if (jobFiles.includes(PICTURES_FILE)) {
    logger.warn(`the job wrote ${PICTURES_FILE} itself: the run's pictures are in the summary only`);
    return undefined;
  }
  const path = join(outputDir, PICTURES_FILE);
  try {
    await mkdir(outputDir, { recursive: true });
    await writeFile(path, `# dask-fargate run\n\n${markdown}`);
    return path;
  } catch (error) {
    logger.warn(
      `could not write the run's pictures to ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
