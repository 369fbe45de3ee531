import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type MermaidBrowser, mermaidBlocks, openMermaid } from "@dask-fargate-action/testkit/mermaid-browser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderPictures } from "../src/index.js";
import { parseMetrics } from "../src/pictures/training-metrics.js";
import { syntheticPictures, syntheticTimeline } from "./synthetic-pictures.js";

// Every chart the summary can hold, parsed and drawn by Mermaid itself in Debian's headless Chromium: a chart GitHub
// would show as a syntax error fails here. DFA_PICTURES_PNG_DIR keeps the PNGs to look at.
let browser: MermaidBrowser;
const pngDir = process.env["DFA_PICTURES_PNG_DIR"];

beforeAll(async () => {
  browser = await openMermaid();
  if (pngDir) await mkdir(pngDir, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

async function renderAll(markdown: string, name: string): Promise<string[]> {
  const svgs: string[] = [];
  for (const [i, block] of mermaidBlocks(markdown).entries())
    svgs.push(await browser.render(block, pngDir ? join(pngDir, `${name}-${i}.png`) : undefined));
  return svgs;
}

describe("the summary's Mermaid charts render in Mermaid", () => {
  test("a chart with a syntax error fails (the check can fail)", async () => {
    await expect(browser.render("gantt\n  dateFormat x\n  section a\n    bad :: b1, zero, one")).rejects.toThrow();
    await expect(browser.render('xychart-beta\n  title "x"\n  line [1, 2,')).rejects.toThrow();
  });

  test("a small start (one row per member, a failed start), metrics and workers with cost", async () => {
    const markdown = renderPictures(syntheticPictures(4, 1));
    const svgs = await renderAll(markdown, "small");
    expect(svgs).toHaveLength(1 + 8 + 2);
    expect(svgs[0]).toContain("registration");
    expect(svgs[0]).toContain("stopped CannotPullContainerError 429 Too Many");
  });

  test("500 workers: one bar per phase percentile, not 500 bars; the summary stays far under GitHub's 1 MiB", async () => {
    const markdown = renderPictures(syntheticPictures(500, 7));
    expect(Buffer.byteLength(markdown)).toBeLessThan(64 * 1024);
    const [gantt] = mermaidBlocks(markdown);
    expect((gantt?.match(/^ {4}\S/gm) ?? []).length).toBeLessThanOrEqual(3 + 4 * 3 + 2);
    const svgs = await renderAll(markdown, "500");
    expect(svgs[0]).toContain("workers pull (493)");
    expect(svgs[0]).toContain("stopped during the start (7)");
  });

  test("workers replaced during the job are drawn after the start: one bar each, or the first and last of many", async () => {
    const base = syntheticPictures(4, 0);
    const at = (base.startTimeline?.startedAt ?? 0) + 90_000;
    const few = [
      { member: "c1-worker a1", replacement: "worker b1", startedAt: at },
      { member: "c1-worker a2", replacement: "worker b2", startedAt: at + 5000 },
    ];
    const [small] = await renderAll(renderPictures({ ...base, replacements: few }), "replaced");
    expect(small).toContain("replaced during the job (2)");
    expect(small).toContain("c1-worker a2 by worker b2");
    const many = Array.from({ length: 300 }, (_, i) => ({
      member: `c1-worker a${i}`,
      replacement: `worker b${i}`,
      startedAt: at + i * 100,
    }));
    const markdown = renderPictures({ ...syntheticPictures(500, 0), replacements: many });
    const [gantt] = mermaidBlocks(markdown);
    expect(gantt?.match(/ by worker b/g)).toHaveLength(2);
    const [big] = await renderAll(markdown, "replaced-500");
    expect(big).toContain("replaced during the job (300)");
  });

  test("labels from the job and the engine cannot break a chart or carry workflow commands", async () => {
    const hostile = [
      'bad"name',
      "::error::x",
      "a```b",
      "##[group]x",
      "x;y:z#w",
      "[link](http://e)",
      "%%{init}%%",
      "<script>",
    ];
    const metrics = parseMetrics(
      hostile.map((name) => [0, 1, 2].map((r) => JSON.stringify({ round: r, [name]: r })).join("\n")).join("\n"),
    );
    const timeline = syntheticTimeline(2, 1);
    const failed = {
      ...timeline,
      members: timeline.members.map((m) => (m.failure ? { ...m, failure: 'x"::warning::```\n##[y] <b>' } : m)),
    };
    const markdown = renderPictures({ startTimeline: failed, metrics });
    expect(markdown).not.toMatch(/^\s*::/m);
    expect(markdown).not.toContain("##[");
    expect(markdown.split("```").length % 2).toBe(1);
    const svgs = await renderAll(markdown, "hostile");
    expect(svgs.length).toBeGreaterThan(1);
    for (const svg of svgs) expect(svg).not.toContain("<script");
  });
});
