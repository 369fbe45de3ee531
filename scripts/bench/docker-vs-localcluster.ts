/**
 * The Docker backend's time to ready against distributed.LocalCluster with the same workers (process workers,
 * one thread each, mutual TLS), both started in the same run, alternating, on the same machine:
 * - as a new user meets it: `dask-fargate up --backend docker` as a whole process (then `down`), against a
 *   python process that starts LocalCluster and prints once every worker registered;
 * - in-process: upDockerCluster() against LocalCluster's own start (python imports excluded).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { downDockerCluster, newClusterId, resolveClusterSpec, upDockerCluster } from "@dask-fargate-action/core";
import { type BenchRow, median, spread } from "./result.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const RUNS = Number(process.env["BENCH_DOCKER_RUNS"] ?? 3);
const s = (v: number) => `${(v / 1000).toFixed(2)} s`;

/** The python with distributed: BENCH_PYTHON, else the first of python3 and /usr/bin/python3 that imports it. */
async function python(): Promise<string> {
  const candidates = [process.env["BENCH_PYTHON"], "python3", "/usr/bin/python3"].filter((p): p is string =>
    Boolean(p),
  );
  for (const candidate of candidates) {
    if (
      await run(candidate, ["-c", "import distributed"]).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new Error(`no python with distributed among ${candidates.join(", ")}; set BENCH_PYTHON`);
}

/** Spawns `python localcluster.py N`: whole-process ms to its "ready" line, and LocalCluster's own start. */
function localCluster(py: string, workers: number): Promise<{ processMs: number; inProcessMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(py, [join(root, "scripts/bench/localcluster.py"), String(workers)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let processMs: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (processMs === undefined && /^ready /m.test(out)) processMs = performance.now() - started;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const inProcess = Number(/^ready (\S+)/m.exec(out)?.[1]) * 1000;
      if (processMs === undefined || code !== 0)
        reject(new Error(`LocalCluster with ${workers} workers failed (exit ${code}): ${err.slice(-500)}`));
      else resolve({ processMs, inProcessMs: inProcess });
    });
  });
}

async function cli(args: string[]): Promise<number> {
  const started = performance.now();
  await run(process.execPath, [join(root, "packages/cli/dist/main.js"), ...args], { cwd: root });
  return performance.now() - started;
}

export async function measure(): Promise<BenchRow[]> {
  const py = await python();
  const { stdout } = await run(join(root, "scripts/make-offline-image.sh"), []);
  const image = stdout.trim().split("\n").pop() ?? "";
  const stateDir = await mkdtemp(join(tmpdir(), "dfa-bench-docker-"));
  const rows: BenchRow[] = [];
  try {
    for (const workers of [2, 4]) {
      const cliUp: number[] = [];
      const cliDown: number[] = [];
      const lib: number[] = [];
      const lcProcess: number[] = [];
      const lcInProcess: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const lc = await localCluster(py, workers);
        lcProcess.push(lc.processMs);
        lcInProcess.push(lc.inProcessMs);
        const clusterId = newClusterId();
        cliUp.push(
          await cli([
            "up",
            "--backend",
            "docker",
            "--workers",
            String(workers),
            "--image",
            image,
            "--worker-memory",
            "1536MiB",
            "--scheduler-memory",
            "1GB",
            "--cluster-id",
            clusterId,
            "--state-dir",
            stateDir,
          ]),
        );
        cliDown.push(await cli(["down", "--cluster-id", clusterId, "--state-dir", stateDir]));
        const spec = resolveClusterSpec({
          image,
          clusterId: newClusterId(),
          workers,
          workerCpu: 1,
          workerMemory: "1536MiB",
          schedulerMemory: "1GB",
        });
        const started = performance.now();
        const handle = await upDockerCluster(spec);
        lib.push(performance.now() - started);
        await downDockerCluster(spec.clusterId, { tlsDir: handle.tlsDir });
      }
      const ratio = median(cliUp) / median(lcProcess);
      const libRatio = median(lib) / median(lcInProcess);
      const same = `${RUNS} runs each, alternating in one run; image ${image}; TLS on both sides; LocalCluster(n_workers=${workers}, threads_per_worker=1, processes=True, security=Security.temporary()) on ${py}`;
      rows.push({
        group: "docker-vs-localcluster",
        measurement: `Docker backend 1+${workers}, whole process / LocalCluster`,
        value: `${ratio.toFixed(2)} (dask-fargate up ${s(median(cliUp))}, LocalCluster process ${s(median(lcProcess))}; down ${s(median(cliDown))})`,
        target: "≤ 1.5",
        met: ratio <= 1.5,
        method: `medians; node packages/cli/dist/main.js up --backend docker --workers ${workers} spawn to exit (every worker registered) vs python localcluster.py spawn to its "ready" line (client.wait_for_workers); ${same}`,
        data: { cliUp, cliDown, lcProcess },
      });
      rows.push({
        group: "docker-vs-localcluster",
        measurement: `Docker backend 1+${workers}, in-process / LocalCluster`,
        value: `${libRatio.toFixed(2)} (upDockerCluster ${spread(lib, s)}; LocalCluster ${spread(lcInProcess, s)})`,
        target: "≤ 1.5",
        met: libRatio <= 1.5,
        method: `medians; upDockerCluster() until every worker registered vs LocalCluster() + wait_for_workers() inside python (imports excluded); ${same}`,
        data: { lib, lcInProcess },
      });
    }
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
  return rows;
}
