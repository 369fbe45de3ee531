import { estimateFargateCost, FARGATE_PRICES, resolveClusterSpec } from "@dask-fargate-action/core";
import { describe, expect, test } from "vitest";
import { JobLog } from "../src/job-log.js";
import { defaultClusterId, runLabels } from "../src/run-context.js";
import { escapeCell, renderSummary } from "../src/summary.js";

describe("cost estimate", () => {
  const spec = resolveClusterSpec({ image: "d:1", workers: 4, workerCpu: 2, workerMemory: "8GB", schedulerCpu: 1, schedulerMemory: "2GB" });
  test("per-second billing over the cluster's life", () => {
    const x86 = FARGATE_PRICES.X86_64;
    const hourly = 1 * x86.vcpuHour + 2 * x86.gbHour + 4 * (2 * x86.vcpuHour + 8 * x86.gbHour);
    expect(estimateFargateCost(spec, "X86_64", 1800, 0, false).usd).toBeCloseTo(hourly / 2, 10);
  });
  test("a one-minute minimum, public IPs counted, ARM cheaper, Spot marked as an upper bound", () => {
    expect(estimateFargateCost(spec, "X86_64", 5, 0, false).usd).toBeCloseTo(estimateFargateCost(spec, "X86_64", 60, 0, false).usd, 12);
    expect(estimateFargateCost(spec, "X86_64", 600, 5, false).usd - estimateFargateCost(spec, "X86_64", 600, 0, false).usd).toBeCloseTo((5 * 0.005) / 6, 10);
    expect(estimateFargateCost(spec, "ARM64", 600, 0, false).usd).toBeLessThan(estimateFargateCost(spec, "X86_64", 600, 0, false).usd);
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
    expect(text).toContain("| packages | python 3.11.2, dask 2022.12.1, distributed 2022.12.1, xgboost 1.7.4, scikit-learn - |");
    expect(text).toContain("&lt;/pre&gt;&lt;img src=x&gt;");
    expect(text).toContain("| image size | 312 MiB compressed in 4 layers; pull at task start on Fargate ≈ 24.3 s |");
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
    expect(written).toEqual([`::stop-commands::${token}`, ":\u200B:set-output name=stolen::value", "round 1", `::${token}::`]);
    expect(log.lastLines()).toEqual([":\u200B:set-output name=stolen::value", "round 1"]);
  });
});

describe("run context", () => {
  const context = { repository: "org/repo", workflow: "Nightly training (XGBoost)", job: "train", runId: "1234567890", runAttempt: "2" };
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
