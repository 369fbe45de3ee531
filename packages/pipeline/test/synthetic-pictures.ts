import type { MemberStart, StartTimeline } from "@dask-fargate-action/core/backend";
import type { RunPictures } from "../src/index.js";
import { parseMetrics } from "../src/pictures/training-metrics.js";

/** A start of `workers` Fargate workers with spread-out timestamps, `failed` of them stopped during the start. */
export function syntheticTimeline(workers: number, failed = 0, t0 = Date.UTC(2026, 0, 1)): StartTimeline {
  const members: MemberStart[] = [
    {
      member: "scheduler",
      role: "scheduler",
      createdAt: t0 + 900,
      pullStartedAt: t0 + 8000,
      pullStoppedAt: t0 + 19000,
      startedAt: t0 + 23000,
    },
  ];
  for (let i = 0; i < workers; i += 1) {
    // Launches paced over the start, pulls of varying length: what a large start looks like.
    const created = t0 + 2000 + i * 40;
    const jitter = (i * 7919) % 5000;
    const base = {
      member: `worker ${i.toString(16).padStart(32, "0")}`,
      role: "worker" as const,
      address: `10.0.${i >> 8}.${i & 255}`,
    };
    if (i < failed) {
      members.push({
        ...base,
        createdAt: created,
        pullStartedAt: created + 6000,
        stoppedAt: created + 9000,
        failure: "CannotPullContainerError: 429 Too Many Requests",
      });
      continue;
    }
    members.push({
      ...base,
      createdAt: created,
      pullStartedAt: created + 6000 + jitter,
      pullStoppedAt: created + 17000 + jitter,
      startedAt: created + 21000 + jitter,
      registeredAt: created + 24000 + jitter,
    });
  }
  return { backend: "fargate", startedAt: t0, members };
}

/** Everything a 500-worker run can draw: its start, 8 metrics over 2,000 rounds, workers and cost. */
export function syntheticPictures(workers: number, failed = 0): RunPictures {
  const t0 = Date.UTC(2026, 0, 1);
  const lines = Array.from({ length: 2000 }, (_, r) =>
    JSON.stringify(
      Object.fromEntries([["round", r], ...Array.from({ length: 10 }, (_, k) => [`metric-${k}`, 1 / (r + 1 + k)])]),
    ),
  );
  return {
    startTimeline: syntheticTimeline(workers, failed, t0),
    metrics: parseMetrics(lines.join("\n")),
    workers: {
      points: [
        { at: t0, workers: 0 },
        ...Array.from({ length: workers }, (_, i) => ({ at: t0 + 23000 + i * 40, workers: i + 1 })),
        { at: t0 + 3_600_000, workers: workers - 3 },
        { at: t0 + 3_700_000, workers: 0 },
      ],
      workerHourlyUsd: 0.04937,
      baseHourlyUsd: 0.0617,
    },
  };
}
