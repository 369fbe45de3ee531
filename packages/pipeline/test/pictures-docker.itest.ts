import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newClusterId } from "@dask-fargate-action/core";
import { type MermaidBrowser, mermaidBlocks, openMermaid } from "@dask-fargate-action/testkit/mermaid-browser";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { PICTURES_FILE, runPipeline } from "../src/index.js";

// The pictures of a real run: the Docker Engine's events and the real scheduler's registration lines, a job that
// writes metrics.jsonl, and every Mermaid block of the result rendered by Mermaid in Chromium.
let dir: string;
let browser: MermaidBrowser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dfa-pictures-"));
  browser = await openMermaid();
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const logger = { info: () => {}, warn: () => {}, debug: () => {} };

describe("pictures of a run on the Docker backend", () => {
  test("the start from the engine's events and the scheduler's log, the job's metrics, the workers: written and rendered", async () => {
    const clusterId = newClusterId();
    const outputDir = join(dir, "out");
    const job = [
      'python3 -c "import json, os',
      "d = os.environ['DFA_OUTPUT_DIR']",
      "f = open(os.path.join(d, 'metrics.jsonl'), 'w')",
      "[f.write(json.dumps({'round': r, 'train-logloss': 0.7 / (r + 1), 'valid-auc': 0.5 + r / 40}) + chr(10)) for r in range(12)]",
      'f.close()"',
    ].join("; ");
    const result = await runPipeline(
      {
        backend: "docker",
        settings: {},
        cluster: { clusterId, workers: 2, workerCpu: 1, workerMemory: "1GB", schedulerMemory: "1GB" },
        image: { image: inject("daskImage") },
        tlsDirFor: (id) => join(dir, "state", id),
        job: { command: job.replace(/"; /g, '"').replace(/; /g, "\n"), runsOn: "cluster", workdir: dir, outputDir },
      },
      { logger, signal: new AbortController().signal },
    );
    expect(result.ending, result.message).toBe("succeeded");

    const timeline = result.pictures.startTimeline;
    expect(timeline?.backend).toBe("docker");
    expect(timeline?.members.map((m) => m.member)).toEqual(["scheduler", "worker-0", "worker-1"]);
    for (const m of timeline?.members ?? []) {
      expect(m.createdAt, m.member).toBeGreaterThanOrEqual(timeline?.startedAt ?? 0);
      expect(m.startedAt, m.member).toBeGreaterThanOrEqual(m.createdAt ?? 0);
      expect(m.stoppedAt, m.member).toBeUndefined();
    }
    // Registered after it started, by the scheduler's own log line (Docker readiness waits for every registration).
    for (const w of timeline?.members.filter((m) => m.role === "worker") ?? []) {
      expect(w.registeredAt, w.member).toBeGreaterThanOrEqual((w.startedAt ?? 0) - 1000);
    }
    expect(result.pictures.metrics?.series.map((s) => s.name)).toEqual(["train-logloss", "valid-auc"]);
    expect(result.pictures.metrics?.series[1]?.points).toHaveLength(12);
    expect(result.pictures.workers?.points.map((p) => p.workers)).toEqual([0, 1, 2, 0]);

    expect(result.picturesFile).toBe(join(outputDir, PICTURES_FILE));
    const markdown = await readFile(join(outputDir, PICTURES_FILE), "utf8");
    expect(markdown).toContain("### Cluster start");
    expect(markdown).toContain("| valid-auc | 0.775 (11) |");
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(4); // start, two metrics, workers (no prices on Docker)
    const pngDir = process.env["DFA_PICTURES_PNG_DIR"];
    if (pngDir) await mkdir(pngDir, { recursive: true });
    for (const [i, block] of blocks.entries()) {
      const svg = await browser.render(block, pngDir ? join(pngDir, `docker-${i}.png`) : undefined);
      expect(svg).toContain("<svg");
    }
  });

  test("a start whose members exit: each drawn red with its exit code from the engine's die events", async () => {
    const clusterId = newClusterId();
    const outputDir = join(dir, "out-failed");
    const result = await runPipeline(
      {
        backend: "docker",
        settings: {},
        // No such Python in the image: every member's command exits 127 at once.
        cluster: {
          clusterId,
          workers: 1,
          workerCpu: 1,
          workerMemory: "1GB",
          schedulerMemory: "1GB",
          python: "/no/such/python3",
        },
        image: { image: inject("daskImage") },
        tlsDirFor: (id) => join(dir, "state", id),
        job: { command: "true", runsOn: "cluster", workdir: dir, outputDir },
      },
      { logger, signal: new AbortController().signal },
    );
    expect(result.ending).toBe("error");
    expect(result.failedPhase).toBe("up");
    const stopped = result.pictures.startTimeline?.members.filter((m) => m.stoppedAt !== undefined) ?? [];
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    for (const m of stopped) expect(m.failure).toBe("exit 127");
    // The user of a failed start gets its picture too, in the summary and the output directory.
    const markdown = await readFile(join(outputDir, PICTURES_FILE), "utf8");
    expect(markdown).toContain(":crit, ");
    const pngDir = process.env["DFA_PICTURES_PNG_DIR"];
    const [gantt] = mermaidBlocks(markdown);
    expect(await browser.render(gantt ?? "", pngDir ? join(pngDir, "docker-failed.png") : undefined)).toContain(
      "stopped exit 127",
    );
  });
});
