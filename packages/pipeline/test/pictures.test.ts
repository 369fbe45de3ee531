import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hourlyFargateCost } from "@dask-fargate-action/core/backend";
import { resolveClusterSpec } from "@dask-fargate-action/core/validate";
import { describe, expect, test } from "vitest";
import { PICTURES_FILE, renderPictures } from "../src/pictures/pictures.js";
import { readTrainingMetrics, workersOverTime, writePictures } from "../src/pictures/run-pictures.js";
import { PER_MEMBER_LIMIT, startGantt, startTable } from "../src/pictures/start-gantt.js";
import { metricChart, metricsTable, parseMetrics } from "../src/pictures/training-metrics.js";
import { sampleWorkers } from "../src/pictures/workers-over-time.js";
import { syntheticPictures, syntheticTimeline } from "./synthetic-pictures.js";

const silent = { info: () => {}, warn: () => {}, debug: () => {} };
const bars = (chart: string) => chart.split("\n").filter((l) => /^ {4}\S/.test(l));

describe("metrics.jsonl", () => {
  test("one object a line: the round key, every finite number a metric, other lines counted and skipped", () => {
    const metrics = parseMetrics(
      [
        '{"epoch": 1, "loss": 0.9, "acc": 0.5, "note": "warm-up"}',
        "not json",
        "[1, 2]",
        '{"epoch": 2, "loss": 0.7, "acc": null}',
        '{"epoch": 3, "loss": 0.5, "acc": 0.75}',
        "",
      ].join("\n"),
    );
    expect(metrics).toEqual({
      roundKey: "epoch",
      skippedLines: 2,
      series: [
        {
          name: "loss",
          points: [
            { round: 1, value: 0.9 },
            { round: 2, value: 0.7 },
            { round: 3, value: 0.5 },
          ],
        },
        {
          name: "acc",
          points: [
            { round: 1, value: 0.5 },
            { round: 3, value: 0.75 },
          ],
        },
      ],
    });
    expect(metricsTable(metrics ?? { roundKey: "", series: [], skippedLines: 0 })).toContain(
      "| loss | 0.5 (3) | 0.5 | 0.9 |",
    );
  });

  test("without a round key the line's number is the round; nothing numeric is no metrics", () => {
    expect(parseMetrics('{"auc": 0.8}\n{"auc": 0.9}')?.series[0]?.points).toEqual([
      { round: 1, value: 0.8 },
      { round: 2, value: 0.9 },
    ]);
    expect(parseMetrics('{"model": "xgboost"}\n')).toBeUndefined();
  });

  test("evenly spaced rounds get a number axis, others their rounds as categories; long series are thinned to 40 points", () => {
    const even = parseMetrics(
      Array.from({ length: 500 }, (_, r) => JSON.stringify({ round: r * 10, loss: 1 / (r + 1) })).join("\n"),
    );
    const chart = metricChart(even?.series[0] ?? { name: "", points: [] }, "round");
    expect(chart).toContain('x-axis "round" 0 --> 4990');
    expect(chart.match(/line \[(.*)\]/)?.[1]?.split(", ")).toHaveLength(40);
    const uneven = metricChart({ name: "loss", points: [1, 2, 5].map((round) => ({ round, value: round })) }, "step");
    expect(uneven).toContain('x-axis "step" ["1", "2", "5"]');
  });

  test("readTrainingMetrics reads the output directory's file; none without one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dfa-metrics-"));
    try {
      expect(await readTrainingMetrics(dir, silent)).toBeUndefined();
      await writeFile(join(dir, "metrics.jsonl"), '{"round": 0, "rmse": 3}\n{"round": 1, "rmse": 2}\n');
      expect((await readTrainingMetrics(dir, silent))?.series[0]?.name).toBe("rmse");
      expect(await readTrainingMetrics(undefined, silent)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the start as a Gantt chart", () => {
  test(`up to ${PER_MEMBER_LIMIT} members: a section per member with its phases, a stopped one in red with its reason`, () => {
    const chart = startGantt(syntheticTimeline(3, 1));
    expect(chart).toContain("dateFormat x");
    expect(chart.match(/^ {2}section /gm)).toHaveLength(4);
    expect(chart).toContain("    provisioning :done, b1, 900, 8000");
    expect(chart).toContain("    stopped CannotPullContainerError 429 Too Many R… :crit, b5, 2000, 11000");
  });

  test("500 workers: each phase's p50, p90 and slowest, the stops in one section; the table has the durations", () => {
    const timeline = syntheticTimeline(500, 7);
    const chart = startGantt(timeline);
    expect(bars(chart).length).toBeLessThanOrEqual(3 + 4 * 3 + 2);
    expect(chart).toContain("section workers pull (493)");
    expect(chart).toContain("section stopped during the start (7)");
    const table = startTable(timeline);
    expect(table).toContain("| pull | 494 | 11.0 s | 11.0 s | 11.0 s |");
    expect(table).toContain("7 member(s) stopped during the start:");
    expect(table).not.toContain("All 501 members");
    expect(startTable(syntheticTimeline(500))).toMatch(
      /^All 501 members were running \(workers registered\) \d+\.\d s after the start began\.$/m,
    );
  });
});

describe("workers and cost over time", () => {
  const spec = resolveClusterSpec({
    clusterId: "dfa-pictures-1",
    image: "x",
    workers: 2,
    workerCpu: 1,
    workerMemory: "2GB",
  });

  test("the count steps up as each worker's container started, down by the stopped workers, to none after the teardown", () => {
    const t0 = Date.UTC(2026, 0, 1);
    const timeline = {
      backend: "docker" as const,
      startedAt: t0,
      members: [
        { member: "scheduler", role: "scheduler" as const, startedAt: t0 + 500 },
        { member: "worker-1", role: "worker" as const, startedAt: t0 + 2000 },
        { member: "worker-0", role: "worker" as const, startedAt: t0 + 1000 },
      ],
    };
    const series = workersOverTime({
      spec,
      handle: undefined,
      timeline,
      startedAt: t0,
      readyAt: t0 + 3000,
      jobEndedAt: t0 + 60_000,
      stoppedWorkers: 1,
      endedAt: t0 + 65_000,
      jobInCluster: true,
    });
    expect(series).toEqual({
      points: [
        { at: t0, workers: 0 },
        { at: t0 + 1000, workers: 1 },
        { at: t0 + 2000, workers: 2 },
        { at: t0 + 60_000, workers: 1 },
        { at: t0 + 65_000, workers: 0 },
      ],
    });
  });

  test("adaptive workers: the workers follow the controller's timeline from the job's start, priced per worker and not at the range's maximum", () => {
    const t0 = 1_000_000;
    const adaptiveSpec = resolveClusterSpec({
      image: "d:1",
      workers: "1-4",
      workerCpu: 1,
      workerMemory: "4GB",
      schedulerCpu: 1,
      schedulerMemory: "2GB",
    });
    const handle = {
      fargate: { spec: { architecture: "X86_64", spotWorkers: false }, assignPublicIp: false },
    } as unknown as Parameters<typeof workersOverTime>[0]["handle"];
    const series = workersOverTime({
      spec: adaptiveSpec,
      handle,
      timeline: undefined,
      startedAt: t0,
      readyAt: t0 + 40_000,
      jobStartedAt: t0 + 41_000,
      jobEndedAt: t0 + 200_000,
      stoppedWorkers: 0,
      endedAt: t0 + 210_000,
      jobInCluster: true,
      adaptive: {
        timeline: [
          { atSeconds: 0, workers: 1 },
          { atSeconds: 20, workers: 4 },
          { atSeconds: 120, workers: 1 },
        ],
      },
    });
    expect(series?.points).toEqual([
      { at: t0, workers: 0 },
      { at: t0 + 40_000, workers: 1 },
      { at: t0 + 41_000, workers: 1 },
      { at: t0 + 61_000, workers: 4 },
      { at: t0 + 161_000, workers: 1 },
      { at: t0 + 210_000, workers: 0 },
    ]);
    expect(series?.workerHourlyUsd ?? 0).toBeGreaterThan(0);
  });

  test("Fargate prices: one worker's share and the rest add up to the shape's hourly price; cost so far integrates them", () => {
    const handle = {
      fargate: { spec: { architecture: "ARM64", spotWorkers: false }, assignPublicIp: true },
    } as unknown as Parameters<typeof workersOverTime>[0]["handle"];
    const series = workersOverTime({
      spec,
      handle,
      timeline: undefined,
      startedAt: 0,
      readyAt: 0,
      jobEndedAt: undefined,
      stoppedWorkers: 0,
      endedAt: 3_600_000,
      jobInCluster: false,
    });
    const whole = hourlyFargateCost(spec, "ARM64", 3, false).usd;
    expect((series?.baseHourlyUsd ?? 0) + 2 * (series?.workerHourlyUsd ?? 0)).toBeCloseTo(whole, 10);
    const samples = sampleWorkers(series ?? { points: [] });
    expect(samples?.usd[samples.usd.length - 1]).toBeCloseTo(whole, 10);
    expect(samples?.workers[20]).toBe(2);
  });
});

describe("the pictures' Markdown", () => {
  test("nothing to draw is an empty string; everything at 500 workers stays small", () => {
    expect(renderPictures({})).toBe("");
    const markdown = renderPictures(syntheticPictures(500, 3));
    expect(markdown.match(/```mermaid/g)).toHaveLength(1 + 8 + 2);
    expect(Buffer.byteLength(markdown)).toBeLessThan(64 * 1024);
  });

  test("written to the output directory, unless the job wrote a file of that name itself", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dfa-pictures-"));
    try {
      const warnings: string[] = [];
      const logger = { ...silent, warn: (m: string) => void warnings.push(m) };
      expect(await writePictures(dir, syntheticPictures(2), [], logger)).toBe(join(dir, PICTURES_FILE));
      expect(await readFile(join(dir, PICTURES_FILE), "utf8")).toContain("```mermaid\ngantt");
      await writeFile(join(dir, PICTURES_FILE), "the job's own");
      expect(await writePictures(dir, syntheticPictures(2), [PICTURES_FILE], logger)).toBeUndefined();
      expect(await readFile(join(dir, PICTURES_FILE), "utf8")).toBe("the job's own");
      expect(warnings).toEqual([`the job wrote ${PICTURES_FILE} itself: the run's pictures are in the summary only`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
