/**
 * `npm run bench`: every measurement of issue 13 in one run, one table (each number beside its method and
 * target) on stdout, the same rows with their raw numbers in bench-results/results.json.
 * BENCH_ONLY=fargate-emulator,cold-start re-runs some of them and keeps the other rows of the last results.json
 * (each row says when it ran). Progress goes to stderr.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, release, totalmem } from "node:os";
import type { BenchRow } from "./result.js";

const MEASUREMENTS: Record<string, () => Promise<{ measure: () => Promise<BenchRow[]> }>> = {
  "cold-start": () => import("./cold-start.js"),
  "image-check": () => import("./image-check.js"),
  "image-rebuild": () => import("./image-rebuild.js"),
  "docker-vs-localcluster": () => import("./docker-vs-localcluster.js"),
  "fargate-emulator": () => import("./fargate-emulator.js"),
};

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

async function main(): Promise<void> {
  const only = process.env["BENCH_ONLY"]?.split(",");
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
  const date = new Date().toISOString();
  const dir = new URL("../../bench-results/", import.meta.url);
  const kept: (BenchRow & { ranAt?: string })[] = only
    ? await readFile(new URL("results.json", dir), "utf8").then(
        (text) =>
          (JSON.parse(text) as { rows: (BenchRow & { ranAt?: string })[] }).rows.filter((r) => !only.includes(r.group)),
        () => [],
      )
    : [];
  const rows: (BenchRow & { ranAt?: string })[] = [];
  const failures: string[] = [];
  for (const [name, load] of Object.entries(MEASUREMENTS)) {
    if (only && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    try {
      rows.push(...(await (await load()).measure()).map((r) => ({ ...r, ranAt: new Date().toISOString() })));
    } catch (error) {
      // One broken measurement does not hide the others; it is a row of its own and fails the run.
      failures.push(name);
      rows.push({
        group: name,
        measurement: name,
        value: `failed: ${error instanceof Error ? error.message : String(error)}`,
        target: "",
        met: false,
        method: "",
      });
    }
  }
  // Kept rows first in the runner's order of measurements.
  const order = Object.keys(MEASUREMENTS);
  rows.push(...kept);
  rows.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  const lines = [
    `Machine: ${machine}. Date: ${date}.`,
    "",
    "| measurement | result | target | met | method |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${cell(r.measurement)} | ${cell(r.value)} | ${cell(r.target)} | ${r.met === undefined ? "—" : r.met ? "yes" : "**no**"} | ${cell(r.method)} |`,
    ),
  ];
  console.log(lines.join("\n"));
  await mkdir(dir, { recursive: true });
  await writeFile(new URL("results.json", dir), `${JSON.stringify({ machine, date, rows }, null, 2)}\n`);
  process.stderr.write("bench: written to bench-results/results.json\n");
  if (failures.length) {
    process.stderr.write(`bench: ${failures.join(", ")} failed\n`);
    process.exitCode = 1;
  }
}

await main();
