import type { AdaptiveReport, WorkerReplacement } from "@dask-fargate-action/core/backend";
import { formatBytes } from "@dask-fargate-action/pipeline";

/** What the job summary reports. */
export interface SummaryData {
  readonly command: string;
  readonly backend: string;
  readonly clusterId: string | undefined;
  readonly shape: string | undefined;
  readonly image: string | undefined;
  readonly rebuilt: boolean | undefined;
  /** What the image holds (python, dask, distributed, … versions), when read back from it. */
  readonly packages?: string | undefined;
  /** What changed since the previous image of the same source (`changes since IMAGE: dask 2024.12.0 → 2024.12.1`). */
  readonly changes?: string | undefined;
  /** The image's compressed size and estimated pull at a Fargate task's start (`312 MiB compressed in 4 layers; …`). */
  readonly imageSize?: string | undefined;
  readonly phasesMs: Readonly<Record<string, number>>;
  readonly cost: { readonly text: string; readonly method: string } | undefined;
  readonly exitCode: number | undefined;
  /** How the run ended, in one line (the job's exit code, job-timeout, an interruption, an error). */
  readonly outcome?: string | undefined;
  /** The files the job left in its output directory. */
  readonly outputs?: readonly { readonly path: string; readonly bytes: number }[];
  /** Members that stopped while the job ran, with why and their last lines. */
  readonly stoppedMembers?: readonly {
    readonly member: string;
    readonly reason: string | undefined;
    readonly exitCode: number | undefined;
    readonly lastLines: readonly string[];
  }[];
  /** Adaptive workers: the workers over the job (a table of its steps) and their worker-seconds. */
  readonly adaptive?: AdaptiveReport | undefined;
  /** Workers lost during the job and what replaced each; those the limit left out. */
  readonly replacements?: readonly Omit<WorkerReplacement, "startedAt">[];
  readonly unreplaced?: readonly string[];
  /** Fargate: the preflight's findings before anything was created. */
  readonly preflight?: readonly { readonly check: string; readonly status: string; readonly message: string }[];
  readonly logTail: readonly string[];
  /** The run's pictures (Mermaid charts of the start, the training, the workers and cost), Markdown from the pipeline. */
  readonly pictures?: string | undefined;
}

/** Escapes text for a Markdown table cell or HTML: no markup, pipes or line breaks get through. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;")
    .replace(/\r?\n/g, " ");
}

/** Adaptive workers over the job: one row per change, and what they add up to. */
function adaptiveLines(report: AdaptiveReport): string[] {
  return [
    `### workers over the job (adaptive ${report.min}-${report.max})`,
    "",
    "| seconds into the job | workers |",
    "| ---: | ---: |",
    ...report.timeline.map((p) => `| ${Math.round(p.atSeconds)} | ${p.workers} |`),
    "",
    escapeCell(
      `peak ${report.peak} workers; ${report.workerSeconds} worker-seconds; ${report.scaleUps} growth(s), ${report.retired} worker(s) retired by the scheduler${report.failures.length > 0 ? `; ${report.failures.length} scale operation(s) failed: ${report.failures.join("; ")}` : ""}`,
    ),
  ];
}

/**
 * GitHub refuses a step summary over 1 MiB: the stopped members shown in full and each log line are bounded, so a
 * 500-worker cluster whose workers all stopped, with long lines, still fits (test/summary-and-cost.test.ts).
 */
const MAX_STOPPED_SHOWN = 20;
const MAX_LINE = 1000;
const cut = (line: string) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);

/** The job summary as Markdown (written to GITHUB_STEP_SUMMARY). */
export function renderSummary(data: SummaryData): string {
  const rows: [string, string][] = [
    ["command", data.command],
    ["backend", data.backend],
    ...(data.clusterId ? [["cluster", data.clusterId] as [string, string]] : []),
    ...(data.shape ? [["shape", data.shape] as [string, string]] : []),
    ...(data.image
      ? [
          [
            "image",
            `${data.image}${data.rebuilt === undefined ? "" : data.rebuilt ? " (rebuilt)" : " (unchanged, reused)"}`,
          ] as [string, string],
        ]
      : []),
    ...(data.packages ? [["packages", data.packages] as [string, string]] : []),
    ...(data.changes ? [["changes", data.changes] as [string, string]] : []),
    ...(data.imageSize ? [["image size", data.imageSize] as [string, string]] : []),
    ...Object.entries(data.phasesMs).map(
      ([phase, ms]) => [`time: ${phase}`, `${(ms / 1000).toFixed(1)} s`] as [string, string],
    ),
    ...(data.cost ? [["cost estimate", data.cost.text] as [string, string]] : []),
    ...(data.exitCode !== undefined ? [["job exit code", String(data.exitCode)] as [string, string]] : []),
    ...(data.outcome ? [["outcome", data.outcome] as [string, string]] : []),
    ...(data.preflight ?? []).map(
      (f) => [`preflight: ${f.check}`, f.status === "ok" ? "ok" : `${f.status}: ${f.message}`] as [string, string],
    ),
    ...(data.outputs ?? []).map((file) => [`output: ${file.path}`, formatBytes(file.bytes)] as [string, string]),
  ];
  const lines = [
    "## dask-fargate-action",
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`),
  ];
  if (data.cost) lines.push("", `<sub>${escapeCell(data.cost.method)}</sub>`);
  if (data.adaptive) lines.push("", ...adaptiveLines(data.adaptive));
  const replacements = data.replacements ?? [];
  if (replacements.length > 0) {
    lines.push(
      "",
      `### Workers replaced during the job (${replacements.length})`,
      "",
      "| lost worker | stop code | exit code | reason | replacement |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const r of replacements) {
      const cells = [
        r.member,
        r.stopCode ?? "",
        r.exitCode === undefined ? "" : String(r.exitCode),
        r.reason ?? "",
        `${r.replacement}${r.capacity ? ` (${r.capacity})` : ""}`,
      ];
      lines.push(`| ${cells.map(escapeCell).join(" | ")} |`);
    }
  }
  if ((data.unreplaced ?? []).length > 0)
    lines.push(
      "",
      `> [!WARNING]`,
      `> ${escapeCell(`not replaced, max-worker-replacements used up: ${(data.unreplaced ?? []).join(", ")}`)}`,
    );
  // Drawn by the pipeline from engine timestamps and the job's metrics; every label in it is already neutralised.
  if (data.pictures) lines.push("", data.pictures.trimEnd());
  const stopped = data.stoppedMembers ?? [];
  for (const member of stopped.slice(0, MAX_STOPPED_SHOWN)) {
    lines.push(
      "",
      `<details><summary>${escapeCell(`${member.member} stopped: ${member.reason ?? `exit ${member.exitCode}`}`)}</summary>`,
      "",
      "<pre>",
      ...member.lastLines.map((l) => escapeCell(cut(l))),
      "</pre>",
      "</details>",
    );
  }
  if (stopped.length > MAX_STOPPED_SHOWN)
    lines.push("", `${stopped.length - MAX_STOPPED_SHOWN} more members stopped (their lines are in the log).`);
  if (data.logTail.length > 0) {
    lines.push(
      "",
      `<details><summary>last ${data.logTail.length} lines of the job's log</summary>`,
      "",
      "<pre>",
      ...data.logTail.map((l) => escapeCell(cut(l))),
      "</pre>",
      "</details>",
    );
  }
  return `${lines.join("\n")}\n`;
}
