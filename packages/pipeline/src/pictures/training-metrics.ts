import { formatNumber, markdownCell, mermaidLabel, XY_THEME } from "./mermaid-text.js";

/** The file a job writes its training metrics to, in its output directory (DFA_OUTPUT_DIR). */
export const METRICS_FILE = "metrics.jsonl";

/** Keys that name the round rather than a metric, the first present one is the x axis. */
const ROUND_KEYS = ["round", "epoch", "step", "iteration"] as const;
/** At most this many metrics get a chart (every metric gets a row in the table). */
const MAX_CHARTS = 8;
/** At most this many points a chart: longer series are thinned evenly, keeping the last. */
const MAX_POINTS = 40;
/** At most this many metrics are read: a file with thousands of keys is not a training log. */
const MAX_METRICS = 50;

/** One metric over the rounds. */
export interface MetricSeries {
  readonly name: string;
  readonly points: readonly { readonly round: number; readonly value: number }[];
}

/** What a metrics file held: its x axis name, each metric, and how many lines were not JSON objects. */
export interface TrainingMetrics {
  readonly roundKey: string;
  readonly series: readonly MetricSeries[];
  readonly skippedLines: number;
}

/**
 * Reads `metrics.jsonl`: one JSON object a line, one line per round or epoch, e.g.
 * `{"round": 3, "train-logloss": 0.41, "valid-logloss": 0.45}`. The round is the first of `round`, `epoch`, `step`,
 * `iteration` in the line (else the line's number, from 1); every other key with a finite number is a metric.
 * Lines that are not JSON objects are counted and skipped, never fatal: a picture must not fail a run.
 */
export function parseMetrics(text: string): TrainingMetrics | undefined {
  const series = new Map<string, { round: number; value: number }[]>();
  let roundKey: string | undefined;
  let skippedLines = 0;
  let index = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    index += 1;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      skippedLines += 1;
      continue;
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      skippedLines += 1;
      continue;
    }
    const record = row as Record<string, unknown>;
    const key = ROUND_KEYS.find((k) => typeof record[k] === "number" && Number.isFinite(record[k]));
    if (key) roundKey ??= key;
    const round = key ? (record[key] as number) : index;
    for (const [name, value] of Object.entries(record)) {
      if ((ROUND_KEYS as readonly string[]).includes(name) || typeof value !== "number" || !Number.isFinite(value))
        continue;
      if (!series.has(name) && series.size >= MAX_METRICS) continue;
      const points = series.get(name) ?? [];
      points.push({ round, value });
      series.set(name, points);
    }
  }
  if (series.size === 0) return undefined;
  return {
    roundKey: roundKey ?? "line",
    series: [...series].map(([name, points]) => ({ name, points })),
    skippedLines,
  };
}

/** At most `max` points, evenly spread, always keeping the first and the last. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

/** Rounds a constant step apart (0, 1, 2, … or 10, 20, 30, …): the x axis can then be a number range. */
function evenlySpaced(points: readonly { round: number }[]): boolean {
  const first = points[0]?.round ?? 0;
  const step = ((points[points.length - 1]?.round ?? 0) - first) / Math.max(1, points.length - 1);
  return step > 0 && points.every((p, i) => Math.abs(p.round - (first + i * step)) <= step * 0.01);
}

/**
 * A Mermaid XY chart of one metric over the rounds: a number axis when the rounds are evenly spaced (Mermaid spreads
 * a line's values evenly over it), else the rounds shown as categories.
 */
export function metricChart(metric: MetricSeries, roundKey: string): string {
  const points = thin(metric.points, MAX_POINTS);
  const first = metric.points[0]?.round ?? 0;
  const last = metric.points[metric.points.length - 1]?.round ?? 0;
  const axis = evenlySpaced(metric.points)
    ? `${formatNumber(first)} --> ${formatNumber(last)}`
    : `[${points.map((p) => `"${formatNumber(p.round)}"`).join(", ")}]`;
  return [
    XY_THEME,
    "xychart-beta",
    `  title "${mermaidLabel(metric.name)}"`,
    `  x-axis "${mermaidLabel(roundKey)}" ${axis}`,
    `  y-axis "${mermaidLabel(metric.name, 24)}"`,
    `  line [${points.map((p) => formatNumber(p.value)).join(", ")}]`,
  ].join("\n");
}

/** The charts to draw: the first {@link MAX_CHARTS} metrics with at least two points. */
export function chartedMetrics(metrics: TrainingMetrics): MetricSeries[] {
  return metrics.series.filter((s) => s.points.length >= 2).slice(0, MAX_CHARTS);
}

/** Final, lowest and highest value of every metric, as a Markdown table. */
export function metricsTable(metrics: TrainingMetrics): string {
  const rows = [
    `| metric | final (${markdownCell(metrics.roundKey)}) | lowest | highest |`,
    "| --- | --- | --- | --- |",
  ];
  for (const s of metrics.series) {
    const last = s.points[s.points.length - 1];
    const values = s.points.map((p) => p.value);
    rows.push(
      `| ${markdownCell(s.name)} | ${formatNumber(last?.value ?? 0)} (${formatNumber(last?.round ?? 0)}) | ${formatNumber(Math.min(...values))} | ${formatNumber(Math.max(...values))} |`,
    );
  }
  return rows.join("\n");
}
