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
  /** Fargate: the preflight's findings before anything was created. */
  readonly preflight?: readonly { readonly check: string; readonly status: string; readonly message: string }[];
  readonly logTail: readonly string[];
}

/** Escapes text for a Markdown table cell or HTML: no markup, pipes or line breaks get through. */
export function escapeCell(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\r?\n/g, " ");
}

/** The job summary as Markdown (written to GITHUB_STEP_SUMMARY). */
export function renderSummary(data: SummaryData): string {
  const rows: [string, string][] = [
    ["command", data.command],
    ["backend", data.backend],
    ...(data.clusterId ? [["cluster", data.clusterId] as [string, string]] : []),
    ...(data.shape ? [["shape", data.shape] as [string, string]] : []),
    ...(data.image
      ? [["image", `${data.image}${data.rebuilt === undefined ? "" : data.rebuilt ? " (rebuilt)" : " (unchanged, reused)"}`] as [string, string]]
      : []),
    ...(data.packages ? [["packages", data.packages] as [string, string]] : []),
    ...(data.changes ? [["changes", data.changes] as [string, string]] : []),
    ...(data.imageSize ? [["image size", data.imageSize] as [string, string]] : []),
    ...Object.entries(data.phasesMs).map(([phase, ms]) => [`time: ${phase}`, `${(ms / 1000).toFixed(1)} s`] as [string, string]),
    ...(data.cost ? [["cost estimate", data.cost.text] as [string, string]] : []),
    ...(data.exitCode !== undefined ? [["job exit code", String(data.exitCode)] as [string, string]] : []),
    ...(data.outcome ? [["outcome", data.outcome] as [string, string]] : []),
    ...(data.preflight ?? []).map((f) => [`preflight: ${f.check}`, f.status === "ok" ? "ok" : `${f.status}: ${f.message}`] as [string, string]),
    ...(data.outputs ?? []).map((file) => [`output: ${file.path}`, formatBytes(file.bytes)] as [string, string]),
  ];
  const lines = ["## dask-fargate-action", "", "| | |", "| --- | --- |", ...rows.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`)];
  if (data.cost) lines.push("", `<sub>${escapeCell(data.cost.method)}</sub>`);
  for (const member of data.stoppedMembers ?? []) {
    lines.push(
      "",
      `<details><summary>${escapeCell(`${member.member} stopped: ${member.reason ?? `exit ${member.exitCode}`}`)}</summary>`,
      "",
      "<pre>",
      ...member.lastLines.map((l) => escapeCell(l)),
      "</pre>",
      "</details>",
    );
  }
  if (data.logTail.length > 0) {
    lines.push(
      "",
      `<details><summary>last ${data.logTail.length} lines of the job's log</summary>`,
      "",
      "<pre>",
      ...data.logTail.map((l) => escapeCell(l)),
      "</pre>",
      "</details>",
    );
  }
  return `${lines.join("\n")}\n`;
}
