import type { StartTimeline } from "@dask-fargate-action/core/backend";
import { type ReplacementMark, startGantt, startTable } from "./start-gantt.js";
import { chartedMetrics, METRICS_FILE, metricChart, metricsTable, type TrainingMetrics } from "./training-metrics.js";
import { type WorkersOverTime, workersCharts } from "./workers-over-time.js";

/** What the pictures of a run are drawn from; each part is optional (a failed start has no metrics, Docker no prices). */
export interface RunPictures {
  readonly startTimeline?: StartTimeline | undefined;
  readonly metrics?: TrainingMetrics | undefined;
  readonly workers?: WorkersOverTime | undefined;
  /** Workers replaced during the job, drawn after the start's bars. */
  readonly replacements?: readonly ReplacementMark[] | undefined;
}

/** The file the pictures are written to in the output directory (next to the job's files). */
export const PICTURES_FILE = "dask-fargate-summary.md";

const mermaid = (chart: string) => ["```mermaid", chart, "```"].join("\n");

/**
 * The run's pictures as Markdown with Mermaid blocks, for the job summary and the output directory: the cluster's
 * start as a Gantt chart with a table of its phases, the training metrics (`metrics.jsonl`) as XY charts with their
 * final values, the workers and the cost over the run. Empty when there is nothing to draw.
 */
export function renderPictures(pictures: RunPictures): string {
  // Each section ends with a blank line: a heading right under a table or a list would be read as part of it.
  const parts: string[] = [];
  if (pictures.startTimeline && pictures.startTimeline.members.length > 0) {
    parts.push(
      "### Cluster start",
      "",
      mermaid(startGantt(pictures.startTimeline, pictures.replacements)),
      "",
      startTable(pictures.startTimeline),
      "",
    );
  }
  if (pictures.metrics) {
    const charted = chartedMetrics(pictures.metrics);
    parts.push(
      "### Training",
      "",
      ...charted.flatMap((s) => [mermaid(metricChart(s, pictures.metrics?.roundKey ?? "round")), ""]),
      metricsTable(pictures.metrics),
    );
    if (pictures.metrics.skippedLines > 0)
      parts.push(
        "",
        `<sub>${pictures.metrics.skippedLines} line(s) of ${METRICS_FILE} were not JSON objects and were skipped.</sub>`,
      );
    parts.push("");
  }
  const charts = pictures.workers ? workersCharts(pictures.workers) : [];
  if (charts.length > 0) {
    parts.push("### Workers and cost over time", "", ...charts.flatMap((c) => [mermaid(c), ""]));
    if (pictures.workers?.workerHourlyUsd !== undefined)
      parts.push(
        "<sub>Cost so far: every task priced on demand from its start to the teardown, like the cost estimate above.</sub>",
      );
  }
  return parts.length === 0 ? "" : `${parts.join("\n").trimEnd()}\n`;
}
