import { describe, expect, test } from "vitest";
import { parseAdaptLine } from "../src/adaptive/adapt-lines.js";
import { ADAPT_SIDECAR_PY } from "../src/adaptive/adapt-sidecar.js";
import {
  type AdaptiveScaler,
  formatTimeline,
  startAdaptiveController,
  workerSecondsOf,
} from "../src/adaptive/adaptive-controller.js";
import {
  type ClusterBackend,
  type ClusterSpecInput,
  estimateFargateCost,
  hourlyFargateCost,
  resolveClusterSpec,
  runClusterJob,
} from "../src/index.js";
import { jobCommand, jobEnvironment } from "../src/internal/dask-commands.js";

const errorOf = (workers: string | number, extra: Partial<ClusterSpecInput> = {}): string => {
  try {
    resolveClusterSpec({ image: "dask:1", workers, ...extra });
  } catch (error) {
    return (error as Error).message;
  }
  return "(no error)";
};

describe("workers: MIN-MAX", () => {
  test("a range starts the minimum and keeps the range; one number is a fixed size as before", () => {
    const spec = resolveClusterSpec({ image: "dask:1", workers: "2-16" });
    expect(spec.workers).toBe(2);
    expect(spec.adaptive).toEqual({ min: 2, max: 16 });
    expect(resolveClusterSpec({ image: "dask:1", workers: " 1 - 4 " }).adaptive).toEqual({ min: 1, max: 4 });
    expect(resolveClusterSpec({ image: "dask:1", workers: "3" })).not.toHaveProperty("adaptive");
    expect(resolveClusterSpec({ image: "dask:1", workers: 3 }).workers).toBe(3);
  });

  test("bad ranges are refused with the setting, the value and how to write it", () => {
    expect(errorOf("16-2")).toBe(
      'workers: "16-2": the minimum (16) must be below the maximum (2); write the smaller number first, e.g. 2-16, or one number for a fixed size',
    );
    expect(errorOf("0-4")).toBe(
      'workers: "0-4": an adaptive cluster keeps at least 1 worker (the job\'s tasks need one to run on); write e.g. 1-4',
    );
    expect(errorOf("a-b")).toBe(
      'workers: "a-b": "a" is not a whole number; write a range as MIN-MAX with whole numbers, e.g. 2-16 (adaptive), or one number for a fixed size',
    );
    expect(errorOf("2-x")).toContain('"x" is not a whole number');
    expect(errorOf("4-4")).toContain("the minimum (4) must be below the maximum (4)");
    expect(errorOf("2-600")).toBe('workers: "2-600": the maximum 600 is more than 500 workers');
    expect(errorOf("2.5-4")).toContain('"2.5" is not a whole number');
    expect(errorOf("-1")).toBe('workers: "-1" is not a whole number from 0 to 500');
  });

  test("the cost limit is checked at the maximum, not the starting size", () => {
    // 1 + 2 × 4 vCPU fits; 1 + 40 × 4 = 161 vCPU does not.
    expect(errorOf("2-40", { workerCpu: 4 })).toContain(
      "1 scheduler of 1 vCPU + 40 workers of 4 vCPU is 161 vCPUs, more than the 128 vCPU limit",
    );
    expect(errorOf("2-40", { workerCpu: 4, allowUnboundedCost: true })).toBe("(no error)");
  });

  test("cost estimates price the maximum and say so", () => {
    const adaptive = resolveClusterSpec({ image: "dask:1", workers: "2-16", workerCpu: 1, workerMemory: "2GB" });
    const fixed16 = resolveClusterSpec({ image: "dask:1", workers: 16, workerCpu: 1, workerMemory: "2GB" });
    expect(hourlyFargateCost(adaptive, "X86_64", 0, false).usd).toBeCloseTo(
      hourlyFargateCost(fixed16, "X86_64", 0, false).usd,
      10,
    );
    expect(estimateFargateCost(adaptive, "X86_64", 600, 0, false).usd).toBeCloseTo(
      estimateFargateCost(fixed16, "X86_64", 600, 0, false).usd,
      10,
    );
    expect(hourlyFargateCost(adaptive, "X86_64", 0, false).method).toContain(
      "1 scheduler + up to 16 (adaptive 2-16) workers",
    );
  });
});

describe("the job command with adaptive workers", () => {
  const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c1-test", workers: "2-8" });
  test("the sidecar runs in the background beside the command, is stopped after it, and the command's exit code is kept", () => {
    const script = jobCommand(spec).at(-1) ?? "";
    expect(script).toBe(
      'mkdir -p "$DFA_OUTPUT_DIR" && python3 -c "$DFA_WAIT_FOR_WORKERS" && { python3 -c "$DFA_ADAPT_PY" & dfa_adapt=$!; sh -c "$DFA_JOB_COMMAND"; }; code=$?; kill $dfa_adapt 2>/dev/null; exit $code',
    );
    expect(jobCommand(spec, { uploadOutputs: true }).at(-1)).toContain(
      '{ python3 -c "$DFA_ADAPT_PY" & dfa_adapt=$!; sh -c "$DFA_JOB_COMMAND"; }; code=$?; kill $dfa_adapt',
    );
    const env = jobEnvironment(spec, "tls://10.0.0.1:8786", "python3 train.py");
    expect(env["DFA_ADAPT_MIN"]).toBe("2");
    expect(env["DFA_ADAPT_MAX"]).toBe("8");
    expect(env["DFA_ADAPT_PY"]).toBe(ADAPT_SIDECAR_PY);
    expect(env["DFA_EXPECTED_WORKERS"]).toBe("2");
  });

  test("a fixed cluster's job is unchanged: exec, no sidecar", () => {
    const fixed = resolveClusterSpec({ image: "dask:1", clusterId: "c1-test", workers: 2 });
    expect(jobCommand(fixed).at(-1)).toBe(
      'mkdir -p "$DFA_OUTPUT_DIR" && python3 -c "$DFA_WAIT_FOR_WORKERS" && exec sh -c "$DFA_JOB_COMMAND"',
    );
    expect(jobEnvironment(fixed, "tls://10.0.0.1:8786", "x")).not.toHaveProperty("DFA_ADAPT_PY");
  });

  test("the sidecar is fixed text: it reads its settings from the environment", () => {
    expect(ADAPT_SIDECAR_PY).toContain("adaptive_target()");
    expect(ADAPT_SIDECAR_PY).toContain("retire_workers(workers=going, close_workers=True)");
    expect(ADAPT_SIDECAR_PY).not.toMatch(/\$\{/);
  });
});

describe("sidecar lines", () => {
  test("targets and retired workers are read; anything else is the job's", () => {
    expect(parseAdaptLine('dask-fargate-adapt: {"target": 5, "workers": 2}')).toEqual({
      kind: "target",
      target: 5,
      workers: 2,
    });
    expect(
      parseAdaptLine(
        'dask-fargate-adapt: {"retired": [{"address": "tls://10.0.1.5:40000", "host": "10.0.1.5", "name": "worker-3"}]}',
      ),
    ).toEqual({
      kind: "retired",
      retired: [{ address: "tls://10.0.1.5:40000", host: "10.0.1.5", name: "worker-3" }],
    });
    expect(parseAdaptLine("round 3 valid-logloss 0.5")).toBeUndefined();
    expect(parseAdaptLine("dask-fargate-adapt: not json")).toBeUndefined();
    expect(parseAdaptLine('dask-fargate-adapt: {"target": -1, "workers": 2}')).toBeUndefined();
    expect(parseAdaptLine('dask-fargate-adapt: {"target": 2.5, "workers": 2}')).toBeUndefined();
    expect(parseAdaptLine(`${"x".repeat(100)}dask-fargate-adapt: {"target": 5, "workers": 2}`)).toBeUndefined();
  });
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the adaptive controller", () => {
  const logger = { info: () => {}, warn: () => {}, debug: () => {} };
  function fakeScaler(calls: string[], members: { n: number }, fail = false): AdaptiveScaler {
    return {
      grow: async (n) => {
        calls.push(`grow ${n}`);
        if (fail) throw new Error("no capacity");
        members.n = n;
        return n;
      },
      remove: async (retired) => {
        calls.push(`remove ${retired.map((w) => w.name).join(",")}`);
        members.n -= retired.length;
        return members.n;
      },
    };
  }

  test("grows to the target bounded by the maximum, once at a time, and removes exactly what was retired", async () => {
    let clock = 0;
    const calls: string[] = [];
    const members = { n: 2 };
    const controller = startAdaptiveController({
      range: { min: 2, max: 6 },
      initial: 2,
      scaler: fakeScaler(calls, members),
      logger,
      now: () => clock,
      growCooldownMs: 10_000,
    });
    expect(controller.onLine('dask-fargate-adapt: {"target": 40, "workers": 2}')).toBe(true);
    expect(controller.onLine('dask-fargate-adapt: {"target": 40, "workers": 2}')).toBe(true); // while growing: nothing more
    expect(controller.onLine("a line of the job")).toBe(false);
    await settle();
    clock = 5_000;
    controller.onLine('dask-fargate-adapt: {"target": 40, "workers": 6}'); // already at the maximum
    clock = 30_000;
    await settle();
    controller.onLine(
      'dask-fargate-adapt: {"retired": [{"address": "a", "name": "worker-5", "host": "h5"}, {"address": "b", "name": "worker-4", "host": "h4"}]}',
    );
    await settle();
    clock = 40_000;
    controller.onLine('dask-fargate-adapt: {"target": 2, "workers": 4}'); // below: the sidecar retires, the controller never shrinks by itself
    clock = 60_000;
    const report = await controller.stop();
    expect(calls).toEqual(["grow 6", "remove worker-5,worker-4"]);
    expect(controller.retiring.has("worker-5")).toBe(true);
    expect(report).toMatchObject({ min: 2, max: 6, peak: 6, scaleUps: 1, retired: 2, failures: [] });
    expect(report.timeline).toEqual([
      { atSeconds: 0, workers: 2 },
      { atSeconds: 0, workers: 6 },
      { atSeconds: 30, workers: 4 },
    ]);
    // 6 workers for 30 s, then 4 for 30 s.
    expect(report.workerSeconds).toBe(300);
    expect(formatTimeline(report)).toBe("0 s: 2, 0 s: 6, 30 s: 4");
  });

  test("a cooldown separates growths; a failed growth is a warning and the job goes on", async () => {
    let clock = 0;
    const calls: string[] = [];
    const warnings: string[] = [];
    const controller = startAdaptiveController({
      range: { min: 1, max: 4 },
      initial: 1,
      scaler: fakeScaler(calls, { n: 1 }, true),
      logger: { ...logger, warn: (m) => warnings.push(m) },
      now: () => clock,
      growCooldownMs: 10_000,
    });
    controller.onLine('dask-fargate-adapt: {"target": 3, "workers": 1}');
    await settle();
    clock = 5_000;
    controller.onLine('dask-fargate-adapt: {"target": 3, "workers": 1}'); // within the cooldown
    clock = 11_000;
    controller.onLine('dask-fargate-adapt: {"target": 3, "workers": 1}');
    const report = await controller.stop();
    expect(report.timeline.at(-1)).toEqual({ atSeconds: 11, workers: 1 });
    expect(calls).toEqual(["grow 3", "grow 3"]);
    expect(report.failures).toEqual([
      "growing to 3 workers failed: no capacity",
      "growing to 3 workers failed: no capacity",
    ]);
    expect(warnings[0]).toContain("adaptive workers: growing to 3 workers failed: no capacity");
  });

  test("worker-seconds are the area under the steps", () => {
    expect(
      workerSecondsOf(
        [
          { atSeconds: 0, workers: 1 },
          { atSeconds: 10, workers: 4 },
          { atSeconds: 20, workers: 1 },
        ],
        50,
      ),
    ).toBe(10 + 40 + 30);
  });
});

describe("an adaptive job through the seam", () => {
  test("targets grow the cluster, retired workers are removed, and their stops are not reported as lost members", async () => {
    const calls: string[] = [];
    const spec = resolveClusterSpec({ image: "dask:1", clusterId: "dfa-c1", workers: "1-3" });
    const handle = {
      backend: "docker" as const,
      clusterId: "dfa-c1",
      spec,
      schedulerAddress: "tls://dfa-c1-scheduler:8786",
      clientSchedulerAddress: undefined,
      dashboardUrl: undefined,
      clientTlsFiles: undefined,
      memberTlsFiles: undefined,
      tlsDir: "/tmp/none",
      createdAt: "2026-12-07T00:00:00.000Z",
      expiresAt: "2026-12-07T06:00:00.000Z",
    };
    const never = () => {
      throw new Error("not part of this test");
    };
    const backend: ClusterBackend = {
      name: "docker",
      resolve: never,
      validate: never,
      plan: never,
      preflight: never,
      up: never,
      down: never,
      reap: never,
      logs: never,
      watchMembers: never,
      scale: async (h, workers) => {
        calls.push(`scale ${workers}`);
        return { ...h, spec: { ...h.spec, workers } };
      },
      removeWorkers: async (h, retired) => {
        calls.push(`remove ${retired.map((w) => w.name).join(",")}`);
        return { ...h, spec: { ...h.spec, workers: h.spec.workers - retired.length } };
      },
      runJob: async (_h, job, options) => {
        job.onOutput?.('dask-fargate-adapt: {"target": 9, "workers": 1}', "stderr");
        job.onOutput?.("training", "stdout");
        await settle();
        job.onOutput?.(
          'dask-fargate-adapt: {"retired": [{"address": "tls://172.18.0.5:4000", "name": "worker-2", "host": "172.18.0.5"}]}',
          "stderr",
        );
        options.logger.warn("dfa-c1-worker-2 stopped with exit code 0 while the job ran");
        options.logger.warn("dfa-c1-worker-0 stopped with exit code 137 while the job ran");
        await settle();
        return {
          exitCode: 0,
          durationMs: 5,
          stoppedMembers: [
            { member: "dfa-c1-worker-2", exitCode: 0 },
            { member: "dfa-c1-worker-0", exitCode: 137 },
          ],
        };
      },
    };
    const lines: string[] = [];
    const logged: string[] = [];
    const logger = {
      info: (m: string) => logged.push(`info: ${m}`),
      warn: (m: string) => logged.push(`warn: ${m}`),
      debug: () => {},
    };
    const result = await runClusterJob(
      backend,
      handle,
      { command: "x", runsOn: "cluster", workdir: ".", onOutput: (l) => lines.push(l) },
      { logger },
    );
    expect(calls).toEqual(["scale 3", "remove worker-2"]);
    expect(lines).toEqual(["training"]);
    expect(result.stoppedMembers).toEqual([{ member: "dfa-c1-worker-0", exitCode: 137 }]);
    expect(logged).toContain(
      "info: dfa-c1-worker-2 stopped with exit code 0 while the job ran (retired by the scheduler and removed on purpose)",
    );
    expect(logged).toContain("warn: dfa-c1-worker-0 stopped with exit code 137 while the job ran");
    expect(result.adaptive).toMatchObject({ min: 1, max: 3, peak: 3, scaleUps: 1, retired: 1 });
    expect(result.adaptive?.timeline.at(-1)?.workers).toBe(2);
  });
});
