import { formatNumber, XY_THEME } from "./mermaid-text.js";

/**
 * How many workers the cluster had over its life, and what that cost: the shape any source of worker counts
 * feeds (today the start's worker tasks and the stops the job reported; replacements and adaptive scaling add
 * points). `at` is milliseconds since the epoch; each point holds until the next.
 */
export interface WorkersOverTime {
  readonly points: readonly { readonly at: number; readonly workers: number }[];
  /** What one worker costs an hour (Fargate), undefined on Docker. */
  readonly workerHourlyUsd?: number | undefined;
  /** What the rest of the cluster (scheduler, job task, their public IPs) costs an hour while any point lasts. */
  readonly baseHourlyUsd?: number | undefined;
}

/** Samples across the run: the charts' x axis is evenly spaced. */
const SAMPLES = 40;

/** The worker count at `at` (the last point at or before it). */
function workersAt(series: WorkersOverTime, at: number): number {
  let count = 0;
  for (const p of series.points) if (p.at <= at) count = p.workers;
  return count;
}

/** The samples of a series: times (ms from its first point) and the worker count and cost so far at each. */
export function sampleWorkers(
  series: WorkersOverTime,
): { offsetsMs: number[]; workers: number[]; usd: number[] } | undefined {
  const sorted = [...series.points].sort((a, b) => a.at - b.at);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || last.at <= first.at) return undefined;
  const span = last.at - first.at;
  const offsetsMs = Array.from({ length: SAMPLES + 1 }, (_, i) => Math.round((i * span) / SAMPLES));
  const ordered = { ...series, points: sorted };
  const workers = offsetsMs.map((offset) => workersAt(ordered, first.at + offset));
  // Cost so far: the integral of the hourly price over the points' steps, read at each sample.
  const usd = offsetsMs.map((offset) => {
    const until = first.at + offset;
    let total = 0;
    for (let i = 0; i < sorted.length - 1; i += 1) {
      const from = sorted[i] as { at: number; workers: number };
      if (from.at >= until) break;
      // Two points at one instant (none yet, then all at once) make a step of no length.
      const to = Math.min(until, (sorted[i + 1] as { at: number }).at);
      if (to <= from.at) continue;
      const hours = (to - from.at) / 3_600_000;
      total += hours * ((series.baseHourlyUsd ?? 0) + from.workers * (series.workerHourlyUsd ?? 0));
    }
    return total;
  });
  return { offsetsMs, workers, usd };
}

/** Mermaid XY charts: workers over the run, and (with prices) the cost so far. */
export function workersCharts(series: WorkersOverTime): string[] {
  const samples = sampleWorkers(series);
  if (!samples) return [];
  const minutes = samples.offsetsMs[samples.offsetsMs.length - 1] ?? 0;
  const axis = `  x-axis "minutes since the start" 0 --> ${formatNumber(Math.max(minutes / 60_000, 0.01))}`;
  const charts = [
    [
      XY_THEME,
      "xychart-beta",
      '  title "Workers"',
      axis,
      `  y-axis "workers" 0 --> ${Math.max(1, ...samples.workers)}`,
      `  line [${samples.workers.join(", ")}]`,
    ].join("\n"),
  ];
  if (series.workerHourlyUsd !== undefined) {
    charts.push(
      [
        XY_THEME,
        "xychart-beta",
        '  title "Cost so far (USD, estimate)"',
        axis,
        '  y-axis "USD"',
        `  line [${samples.usd.map((u) => formatNumber(u)).join(", ")}]`,
      ].join("\n"),
    );
  }
  return charts;
}
