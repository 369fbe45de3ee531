import { estimateFargateCost, FARGATE_PRICES, resolveClusterSpec } from "@dask-fargate-action/core";
import { renderPictures } from "@dask-fargate-action/pipeline";
import { describe, expect, test } from "vitest";
import { JobLog } from "../src/job-log.js";
import { defaultClusterId, runLabels } from "../src/run-context.js";
import { escapeCell, renderSummary } from "../src/summary.js";

const spec = resolveClusterSpec({
  image: "d:1",
  workers: 4,
  workerCpu: 2,
  workerMemory: "8GB",
  schedulerCpu: 1,
  schedulerMemory: "2GB",
});
describe("cost estimate", () => {
  test("per-second billing over the cluster's life", () => {
    const x86 = FARGATE_PRICES.X86_64;
    const hourly = 1 * x86.vcpuHour + 2 * x86.gbHour + 4 * (2 * x86.vcpuHour + 8 * x86.gbHour);
    expect(estimateFargateCost(spec, "X86_64", 1800, 0, false).usd).toBeCloseTo(hourly / 2, 10);
  });
  test("a one-minute minimum, public IPs counted, ARM cheaper, Spot marked as an upper bound", () => {
    expect(estimateFargateCost(spec, "X86_64", 5, 0, false).usd).toBeCloseTo(
      estimateFargateCost(spec, "X86_64", 60, 0, false).usd,
      12,
    );
    expect(
      estimateFargateCost(spec, "X86_64", 600, 5, false).usd - estimateFargateCost(spec, "X86_64", 600, 0, false).usd,
    ).toBeCloseTo((5 * 0.005) / 6, 10);
    expect(estimateFargateCost(spec, "ARM64", 600, 0, false).usd).toBeLessThan(
      estimateFargateCost(spec, "X86_64", 600, 0, false).usd,
    );
    expect(estimateFargateCost(spec, "X86_64", 600, 0, true).text).toMatch(/upper bound/);
  });
});

describe("the job summary and log", () => {
  test("remote text cannot inject markup or table cells", () => {
    expect(escapeCell("<script>x</script> | a\nb")).toBe("&lt;script&gt;x&lt;/script&gt; &#124; a b");
    const text = renderSummary({
      command: "run",
      backend: "fargate",
      clusterId: "c1",
      shape: "1+2",
      image: "img:1",
      rebuilt: false,
      packages: "python 3.11.2, dask 2022.12.1, distributed 2022.12.1, xgboost 1.7.4, scikit-learn -",
      imageSize: "312 MiB compressed in 4 layers; pull at task start on Fargate ≈ 24.3 s",
      phasesMs: { up: 61234, job: 1000 },
      cost: { text: "$0.01", method: "m" },
      exitCode: 3,
      logTail: ["round 1", "</pre><img src=x>"],
    });
    expect(text).toContain("| job exit code | 3 |");
    expect(text).toContain("| time: up | 61.2 s |");
    expect(text).toContain("img:1 (unchanged, reused)");
    expect(text).toContain(
      "| packages | python 3.11.2, dask 2022.12.1, distributed 2022.12.1, xgboost 1.7.4, scikit-learn - |",
    );
    expect(text).toContain("&lt;/pre&gt;&lt;img src=x&gt;");
    expect(text).toContain("| image size | 312 MiB compressed in 4 layers; pull at task start on Fargate ≈ 24.3 s |");
  });

  test("adaptive workers: the summary shows the workers over the job as a table and their worker-seconds", () => {
    const text = renderSummary({
      command: "run",
      backend: "fargate",
      clusterId: "c1",
      shape: "1 scheduler + 2-16 (adaptive) workers",
      image: "img:1",
      rebuilt: false,
      phasesMs: { job: 120000 },
      cost: undefined,
      exitCode: 0,
      adaptive: {
        min: 2,
        max: 16,
        peak: 16,
        timeline: [
          { atSeconds: 0, workers: 2 },
          { atSeconds: 12.4, workers: 16 },
          { atSeconds: 61, workers: 2 },
        ],
        workerSeconds: 1066.4,
        scaleUps: 1,
        retired: 14,
        failures: [],
      },
      logTail: [],
    });
    expect(text).toContain("### workers over the job (adaptive 2-16)");
    expect(text).toContain("| seconds into the job | workers |\n| ---: | ---: |\n| 0 | 2 |\n| 12 | 16 |\n| 61 | 2 |");
    expect(text).toContain(
      "peak 16 workers; 1066.4 worker-seconds; 1 growth(s), 14 worker(s) retired by the scheduler",
    );
  });

  test("an adaptive cluster's cost estimate is the maximum's", () => {
    const adaptive = resolveClusterSpec({
      image: "d:1",
      workers: "1-4",
      workerCpu: 2,
      workerMemory: "8GB",
      schedulerCpu: 1,
      schedulerMemory: "2GB",
    });
    expect(estimateFargateCost(adaptive, "X86_64", 1800, 0, false).usd).toBeCloseTo(
      estimateFargateCost(spec, "X86_64", 1800, 0, false).usd,
      10,
    );
  });

  test("replacements are listed with stop code, exit code, reason and replacement; the limit is a warning", () => {
    const text = renderSummary({
      command: "run",
      backend: "fargate",
      clusterId: "c1",
      shape: undefined,
      image: undefined,
      rebuilt: undefined,
      phasesMs: {},
      cost: undefined,
      exitCode: 0,
      replacements: [
        {
          member: "c1-worker a1",
          stopCode: "SpotInterruption",
          exitCode: 143,
          reason: "Your Spot Task was interrupted.",
          replacement: "worker b1",
          capacity: "FARGATE_SPOT",
        },
        {
          member: "c1-worker a2",
          stopCode: "EssentialContainerExited",
          exitCode: 137,
          reason: "OutOfMemoryError | <x>",
          replacement: "worker b2",
          capacity: "FARGATE",
        },
      ],
      unreplaced: ["c1-worker a3"],
      logTail: [],
    });
    expect(text).toContain("### Workers replaced during the job (2)");
    expect(text).toContain(
      "| c1-worker a1 | SpotInterruption | 143 | Your Spot Task was interrupted. | worker b1 (FARGATE_SPOT) |",
    );
    expect(text).toContain(
      "| c1-worker a2 | EssentialContainerExited | 137 | OutOfMemoryError &#124; &lt;x&gt; | worker b2 (FARGATE) |",
    );
    expect(text).toContain("> not replaced, max-worker-replacements used up: c1-worker a3");
  });

  test("streamed lines sit between stop-commands markers with an unguessable token", () => {
    const written: string[] = [];
    const log = new JobLog((l) => written.push(l));
    log.line("::set-output name=stolen::value");
    log.line("round 1");
    log.close();
    const token = written[0]?.replace("::stop-commands::", "") ?? "";
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    // Neutralised too (a zero-width space after the first colon), should a window not be honoured.
    expect(written).toEqual([
      `::stop-commands::${token}`,
      ":\u200B:set-output name=stolen::value",
      "round 1",
      `::${token}::`,
    ]);
    expect(log.lastLines()).toEqual([":\u200B:set-output name=stolen::value", "round 1"]);
  });
});

describe("the job summary at 500 workers", () => {
  test("the pictures, all 500 workers stopped with long lines, a long log: under GitHub's 1 MiB, the pictures after the table", () => {
    const t0 = Date.UTC(2026, 0, 1);
    const members = Array.from({ length: 500 }, (_, i) => ({
      member: `worker ${String(i).padStart(32, "0")}`,
      role: "worker" as const,
      createdAt: t0 + i * 40,
      pullStartedAt: t0 + 6000 + i * 40,
      pullStoppedAt: t0 + 17_000 + i * 41,
      startedAt: t0 + 21_000 + i * 42,
      registeredAt: t0 + 24_000 + i * 43,
    }));
    const pictures = renderPictures({
      startTimeline: {
        backend: "fargate",
        startedAt: t0,
        members: [{ member: "scheduler", role: "scheduler", createdAt: t0, startedAt: t0 + 20_000 }, ...members],
      },
      workers: {
        points: [
          { at: t0, workers: 0 },
          ...members.map((m, i) => ({ at: m.startedAt, workers: i + 1 })),
          { at: t0 + 3_600_000, workers: 0 },
        ],
        workerHourlyUsd: 0.05,
        baseHourlyUsd: 0.06,
      },
    });
    const long = "x".repeat(5000);
    const text = renderSummary({
      command: "run",
      backend: "fargate",
      clusterId: "c1",
      shape: "1 + 500",
      image: "img:1",
      rebuilt: false,
      phasesMs: { up: 61234, job: 1000 },
      cost: { text: "$20", method: "m" },
      exitCode: 1,
      stoppedMembers: members.map((m) => ({
        member: m.member,
        reason: "EssentialContainerExited",
        exitCode: 137,
        lastLines: Array(20).fill(long),
      })),
      logTail: Array(40).fill(long),
      pictures,
    });
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
    expect(text.indexOf("### Cluster start")).toBeGreaterThan(text.indexOf("| cost estimate |"));
    expect(text).toContain("480 more members stopped");
    expect(text.match(/```mermaid/g)).toHaveLength(3);
  });
});

describe("run context", () => {
  const context = {
    repository: "org/repo",
    workflow: "Nightly training (XGBoost)",
    job: "train",
    runId: "1234567890",
    runAttempt: "2",
  };
  test("labels say where a cluster came from; tag values are sanitised", () => {
    expect(runLabels(context)).toEqual({
      "github.repository": "org/repo",
      "github.workflow": "Nightly training _XGBoost_",
      "github.job": "train",
      "github.run-id": "1234567890",
      "github.run-attempt": "2",
    });
  });
  test("the default cluster id differs between attempts of a run's job (a re-run gets its own cluster and outputs prefix)", () => {
    const id = defaultClusterId(context);
    expect(id).toMatch(/^gh-1234567890-2-[0-9a-f]{6}$/);
    expect(defaultClusterId({ ...context, runAttempt: "3" })).not.toBe(id);
    expect(defaultClusterId({ ...context, runAttempt: "3" })).toMatch(/^gh-1234567890-3-[0-9a-f]{6}$/);
    expect(defaultClusterId({ ...context, job: "other" })).not.toBe(id);
    // An attempt that is not a small number is left out rather than put into a resource name.
    expect(defaultClusterId({ ...context, runAttempt: "x;y" })).toMatch(/^gh-1234567890-[0-9a-f]{6}$/);
  });
});
