/// <reference lib="dom" />
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

/**
 * Mermaid itself (npm `mermaid`) in Debian's headless Chromium (`apt-get install chromium`; never a browser
 * download): `render` parses a chart like GitHub does and fails on a syntax error, and can save its PNG.
 */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

export interface MermaidBrowser {
  /** Renders one chart to SVG; rejects with Mermaid's error on a syntax error. With `png`, saves a screenshot there. */
  render(chart: string, png?: string): Promise<string>;
  close(): Promise<void>;
}

export async function openMermaid(): Promise<MermaidBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const script = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  const browser: Browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const page: Page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 800 });
  await page.setContent('<!doctype html><html><body style="background:white"><div id="out"></div></body></html>');
  await page.addScriptTag({ path: script });
  await page.evaluate(() => {
    (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
    });
  });
  let n = 0;
  return {
    async render(chart, png) {
      n += 1;
      const svg = await page.evaluate(
        async (text: string, id: string) => {
          const m = (
            globalThis as unknown as {
              mermaid: { parse(t: string): Promise<unknown>; render(i: string, t: string): Promise<{ svg: string }> };
            }
          ).mermaid;
          await m.parse(text);
          const { svg } = await m.render(id, text);
          const out = document.getElementById("out");
          if (out) out.innerHTML = svg;
          return svg;
        },
        chart,
        `chart${n}`,
      );
      if (png) {
        const element = await page.$("#out svg");
        if (!element) throw new Error("the rendered chart has no SVG element");
        await element.screenshot({ path: png as `${string}.png` });
      }
      return svg;
    },
    close: () => browser.close(),
  };
}

/** The Mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? "");
}
