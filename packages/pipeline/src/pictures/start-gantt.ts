import type { MemberStart, StartTimeline } from "@dask-fargate-action/core/backend";
import { formatSeconds, markdownCell, mermaidLabel, percentile } from "./mermaid-text.js";

/** Above this many members the chart shows each phase's percentiles instead of one row per member. */
export const PER_MEMBER_LIMIT = 20;

/** The steps of a member's start, in order, as [name, from, to]: each from the engine's own timestamps. */
const PHASES = ["provisioning", "pull", "start", "registration"] as const;
type PhaseName = (typeof PHASES)[number];

function phaseSpans(m: MemberStart): Partial<Record<PhaseName, [number, number]>> {
  const spans: Partial<Record<PhaseName, [number, number]>> = {};
  const span = (name: PhaseName, from: number | undefined, to: number | undefined) => {
    if (from !== undefined && to !== undefined) spans[name] = [from, Math.max(from, to)];
  };
  span("provisioning", m.createdAt, m.pullStartedAt);
  span("pull", m.pullStartedAt, m.pullStoppedAt);
  span("start", m.pullStoppedAt ?? m.createdAt, m.startedAt);
  if (m.role === "worker") span("registration", m.startedAt, m.registeredAt);
  return spans;
}

/**
 * A Mermaid Gantt chart of a cluster's start, from the start's first instant (0:00): one section per member up to
 * {@link PER_MEMBER_LIMIT} members, else one section per phase with the workers' p50, p90 and slowest, so a
 * 500-worker start stays a dozen bars. Members that stopped during the start are red (`crit`) bars with their reason.
 */
/** A worker lost during the job and the one that took its place (`max-worker-replacements`). */
export interface ReplacementMark {
  readonly member: string;
  readonly replacement: string;
  /** When the replacement was started (epoch ms). */
  readonly startedAt: number;
}

export function startGantt(timeline: StartTimeline, replacements: readonly ReplacementMark[] = []): string {
  const t0 = timeline.startedAt;
  const rel = (at: number) => Math.max(0, Math.round(at - t0));
  const lines = [
    "gantt",
    `  title Cluster start on ${timeline.backend === "fargate" ? "Fargate (ECS task timestamps)" : "Docker (engine events)"}`,
  ];
  // Times are milliseconds from the start on an epoch axis: minutes:seconds, or seconds.milliseconds for a start
  // that lasted seconds (a failed Docker start), whose ticks would otherwise all read 00:00.
  const span = Math.max(
    0,
    ...timeline.members.flatMap((m) =>
      [m.registeredAt, m.startedAt, m.stoppedAt, m.pullStoppedAt].filter((t) => t !== undefined).map(rel),
    ),
  );
  lines.push("  dateFormat x", `  axisFormat ${span < 10_000 ? "%S.%L" : "%M:%S"}`);
  let id = 0;
  const bar = (label: string, from: number, to: number, tag?: string) => {
    id += 1;
    // A zero-length bar is drawn as nothing: one millisecond keeps it visible.
    lines.push(
      `    ${mermaidLabel(label)} :${tag ? `${tag}, ` : ""}b${id}, ${rel(from)}, ${Math.max(rel(from) + 1, rel(to))}`,
    );
  };
  const failed = timeline.members.filter((m) => m.stoppedAt !== undefined);
  // Replacements come later, during the job: one bar each (a second long, where the replacement was started), or the
  // first and last of many, so the chart stays compact.
  const replaced = () => {
    if (replacements.length === 0) return;
    lines.push(`  section replaced during the job (${replacements.length})`);
    const shown =
      replacements.length <= PER_MEMBER_LIMIT ? replacements : [replacements[0], replacements[replacements.length - 1]];
    for (const r of shown) if (r) bar(`${r.member} by ${r.replacement}`, r.startedAt, r.startedAt + 1000, "active");
  };
  if (timeline.members.length <= PER_MEMBER_LIMIT) {
    for (const m of timeline.members) {
      lines.push(`  section ${mermaidLabel(m.member, 32)}`);
      const spans = phaseSpans(m);
      for (const phase of PHASES) {
        const s = spans[phase];
        if (s) bar(phase, s[0], s[1], phase === "registration" ? "active" : "done");
      }
      if (m.stoppedAt !== undefined)
        bar(`stopped ${m.failure ?? ""}`, m.startedAt ?? m.createdAt ?? t0, m.stoppedAt, "crit");
    }
    replaced();
    return lines.join("\n");
  }
  const scheduler = timeline.members.find((m) => m.role === "scheduler");
  if (scheduler) {
    lines.push("  section scheduler");
    const spans = phaseSpans(scheduler);
    for (const phase of PHASES) {
      const s = spans[phase];
      if (s) bar(phase, s[0], s[1], "done");
    }
  }
  const workers = timeline.members.filter((m) => m.role === "worker");
  for (const phase of PHASES) {
    const spans = workers.map((w) => phaseSpans(w)[phase]).filter((s): s is [number, number] => s !== undefined);
    if (spans.length === 0) continue;
    const froms = spans.map((s) => s[0]).sort((a, b) => a - b);
    const tos = spans.map((s) => s[1]).sort((a, b) => a - b);
    lines.push(`  section workers ${phase} (${spans.length})`);
    for (const [label, p] of [
      ["p50", 50],
      ["p90", 90],
      ["slowest", 100],
    ] as const)
      bar(label, percentile(froms, p), percentile(tos, p), phase === "registration" ? "active" : "done");
  }
  if (failed.length > 0) {
    lines.push(`  section stopped during the start (${failed.length})`);
    const stops = failed.map((m) => m.stoppedAt ?? t0).sort((a, b) => a - b);
    bar("first stop", t0, stops[0] ?? t0, "crit");
    bar("last stop", t0, stops[stops.length - 1] ?? t0, "crit");
  }
  replaced();
  return lines.join("\n");
}

/** The phases' durations (count, p50, p90, slowest) and the failed starts, as a Markdown table under the chart. */
export function startTable(timeline: StartTimeline): string {
  const rows = ["| phase | members | p50 | p90 | slowest |", "| --- | --- | --- | --- | --- |"];
  for (const phase of PHASES) {
    const durations = timeline.members
      .map((m) => phaseSpans(m)[phase])
      .filter((s): s is [number, number] => s !== undefined)
      .map((s) => s[1] - s[0])
      .sort((a, b) => a - b);
    if (durations.length === 0) continue;
    rows.push(
      `| ${phase} | ${durations.length} | ${formatSeconds(percentile(durations, 50))} | ${formatSeconds(percentile(durations, 90))} | ${formatSeconds(percentile(durations, 100))} |`,
    );
  }
  const ready = timeline.members.map((m) => (m.role === "worker" ? (m.registeredAt ?? m.startedAt) : m.startedAt));
  const allReady =
    ready.length > 0 && ready.every((at) => at !== undefined)
      ? [
          `All ${timeline.members.length} members were running (workers registered) ${formatSeconds(Math.max(...(ready as number[])) - timeline.startedAt)} after the start began.`,
        ]
      : [];
  const failed = timeline.members.filter((m) => m.stoppedAt !== undefined);
  const shown = failed.slice(0, 10).map((m) => `- ${markdownCell(m.member)}: ${markdownCell(m.failure ?? "stopped")}`);
  return [
    rows.join("\n"),
    ...(allReady.length > 0 ? ["", ...allReady] : []),
    ...(failed.length > 0 ? ["", `${failed.length} member(s) stopped during the start:`, ...shown] : []),
  ].join("\n");
}
