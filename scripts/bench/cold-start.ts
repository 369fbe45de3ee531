/**
 * Cold starts as a user meets them: `node packages/cli/dist/main.js --help` to its exit, and the committed action
 * bundle (what the runner executes) to its first log line; and the bundle's size.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchRow, median, spread } from "./result.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const RUNS = Number(process.env["BENCH_COLD_RUNS"] ?? 9);
const ms = (v: number) => `${(v / 1000).toFixed(3)} s`;

/** Wall time from spawn to the first stdout line (or to exit, when `untilExit`). */
function timeProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  untilExit: boolean,
): Promise<{ ms: number; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    let firstAt: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (firstAt === undefined && out.includes("\n")) {
        firstAt = performance.now();
        if (!untilExit) child.kill();
      }
    });
    child.on("error", reject);
    child.on("close", () => {
      const end = untilExit ? performance.now() : firstAt;
      if (end === undefined) reject(new Error(`${args.join(" ")} printed no line`));
      else resolve({ ms: end - started, firstLine: out.split("\n")[0] ?? "" });
    });
  });
}

/** CPU seconds (user + system) of one run to its exit, from /usr/bin/time: steady under a loaded machine, unlike wall time. */
function cpuOf(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", () => {
      const m = /cpu ([\d.]+) ([\d.]+)/.exec(err);
      if (m) resolve((Number(m[1]) + Number(m[2])) * 1000);
      else reject(new Error(`/usr/bin/time printed no CPU time for ${args.join(" ")}`));
    });
  });
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export async function measure(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const env = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "" };
  const cli: number[] = [];
  const cliCpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    cli.push((await timeProcess(["packages/cli/dist/main.js", "--help"], env, true)).ms);
    cliCpu.push(await cpuOf(["packages/cli/dist/main.js", "--help"], env));
  }
  rows.push({
    group: "cold-start",
    measurement: "CLI cold start (`dask-fargate --help`)",
    value: `${spread(cli, ms)}; CPU ${spread(cliCpu, ms)}`,
    target: "≤ 0.15 s",
    met: median(cli) <= 150,
    method: `node packages/cli/dist/main.js --help, spawn to exit, ${RUNS} runs one after another, empty environment but PATH and HOME; CPU = user + system to exit (/usr/bin/time)`,
    data: { wallMs: cli, cpuMs: cliCpu },
  });

  const dir = await mkdtemp(join(tmpdir(), "dfa-bench-action-"));
  try {
    const files = Object.fromEntries(
      ["GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "GITHUB_ENV"].map((k) => [k, join(dir, k)]),
    );
    for (const file of Object.values(files)) await writeFile(file, "");
    // `down` without cluster-id: the bundle loads, reads its inputs and logs its first line (the input error) at once.
    const actionEnv = { ...env, ...files, RUNNER_TEMP: dir, INPUT_COMMAND: "down" };
    const action: number[] = [];
    const actionCpu: number[] = [];
    let firstLine = "";
    for (let i = 0; i < RUNS; i++) {
      const run = await timeProcess(["packages/action/dist/main/index.js"], actionEnv, false);
      action.push(run.ms);
      firstLine = run.firstLine;
      actionCpu.push(await cpuOf(["packages/action/dist/main/index.js"], actionEnv));
    }
    const main = (await stat(join(root, "packages/action/dist/main/index.js"))).size;
    const post = await stat(join(root, "packages/action/dist/post/index.js")).then(
      (s) => s.size,
      () => 0,
    );
    const all = await sizeOf(join(root, "packages/action/dist"));
    rows.push({
      group: "cold-start",
      measurement: "action cold start to first log line",
      value: `${spread(action, ms)}; CPU to exit ${spread(actionCpu, ms)}`,
      target: "≤ 0.3 s",
      met: median(action) <= 300,
      method: `node packages/action/dist/main/index.js (the committed bundle) with INPUT_COMMAND=down and no cluster-id, spawn to its first stdout line ("${firstLine.slice(0, 40)}…"), ${RUNS} runs; CPU = user + system to exit (it exits right after that line)`,
      data: { wallMs: action, cpuMs: actionCpu },
    });
    rows.push({
      group: "cold-start",
      measurement: "action bundle size",
      value: `main/index.js ${(main / 1e6).toFixed(1)} MB, post/index.js ${(post / 1e6).toFixed(1)} MB, dist/ ${(all / 1e6).toFixed(1)} MB in all`,
      target: "smaller than 2 × 8.3 MB (issue 13)",
      met: main + post < 2 * 8.3e6,
      method: "file sizes of the committed packages/action/dist",
      data: { main, post, all },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
