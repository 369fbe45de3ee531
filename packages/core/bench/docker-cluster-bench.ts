/**
 * Benchmark of the local Docker backend on this machine: time to ready (every worker registered at the
 * scheduler) for 1+2 and 1+4 clusters, and the wall time of the XGBoost example as an in-cluster job.
 * Prints the method and the numbers; asserts nothing.
 *
 *   npm run bench -w @dask-fargate-action/core
 */
import { execFile } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { downDockerCluster, newClusterId, resolveClusterSpec, runDockerJob, upDockerCluster } from "../src/index.js";

const run = promisify(execFile);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const examples = fileURLToPath(new URL("../../../examples", import.meta.url));

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${((sorted[Math.floor(sorted.length / 2)] ?? 0) / 1000).toFixed(2)} s (min ${((sorted[0] ?? 0) / 1000).toFixed(2)}, max ${((sorted.at(-1) ?? 0) / 1000).toFixed(2)}) over ${ms.length} runs`;
};

async function main(): Promise<void> {
  const { stdout } = await run(fileURLToPath(new URL("../../../scripts/make-offline-image.sh", import.meta.url)), []);
  const image = stdout.trim().split("\n").pop() ?? "";
  console.log(
    `method: upDockerCluster() until every worker is registered (readiness "dask", polled over the scheduler's HTTP API),`,
  );
  console.log(`        then runDockerJob() with examples/train_xgboost.py; performance.now() in one process; TLS on;`);
  console.log(`        image ${image}; ${cpus().length} CPUs; each run is a new cluster, removed afterwards`);
  for (const workers of [2, 4]) {
    const ready: number[] = [];
    const training: number[] = [];
    for (let i = 0; i < RUNS; i++) {
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
      ready.push(performance.now() - started);
      try {
        const jobStarted = performance.now();
        const result = await runDockerJob(handle, {
          command: "python3 train_xgboost.py",
          runsOn: "cluster",
          workdir: examples,
        });
        if (result.exitCode !== 0) throw new Error(`training failed with exit code ${result.exitCode}`);
        training.push(performance.now() - jobStarted);
      } finally {
        await downDockerCluster(spec.clusterId, { stateDir: handle.stateDir });
      }
    }
    console.log(`1+${workers}: time to ready ${summary(ready)}`);
    console.log(`1+${workers}: XGBoost example wall time (job container start to exit) ${summary(training)}`);
  }
}

await main();
