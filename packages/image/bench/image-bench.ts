/**
 * Benchmark of the image job on this machine's real Docker Engine and a local authenticated registry.
 * Prints the method and the numbers; asserts nothing (targets are read by people, not by CI).
 *
 *   npm run bench -w @dask-fargate-action/image
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { projectDir, removeTagsStartingWith, writeProbeWheel } from "@dask-fargate-action/testkit/images";
import { startRegistry } from "@dask-fargate-action/testkit/registry-server";
import Docker from "dockerode";
import { ensureImage } from "../src/index.js";

const run = promisify(execFile);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 10);

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${median.toFixed(0)} ms, min ${(sorted[0] ?? 0).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms over ${ms.length} runs`;
};

async function main(): Promise<void> {
  const docker = new Docker();
  const { stdout } = await run(fileURLToPath(new URL("../../../scripts/make-offline-image.sh", import.meta.url)), []);
  const baseImage = stdout.trim().split("\n").pop() ?? "";
  const registry = await startRegistry("bench", randomBytes(16).toString("hex"));
  const dir = await projectDir({ "requirements.txt": "dask\ndistributed\n./wheels/dfa_probe-1.0-py3-none-any.whl\n" });
  await writeProbeWheel(dir, "bench");
  const repository = `${registry.address}/bench/probe-${randomBytes(4).toString("hex")}`;
  const credentials = { kind: "basic", username: registry.username, password: registry.password } as const;
  const options = { environmentFile: join(dir, "requirements.txt"), image: repository, baseImage, credentials };
  try {
    console.log("method: wall time of ensureImage() measured with performance.now() in one process;");
    console.log(
      `        Docker Engine ${(await docker.version()).Version}, registry ${registry.address} (htpasswd), base ${baseImage}`,
    );

    const fullBuilds: number[] = [];
    for (let i = 0; i < 3; i++) {
      // A fresh build arg name changes the content hash, so each run is a full build without layer cache hits for our layers.
      const started = performance.now();
      const result = await ensureImage({ ...options, buildArgs: { [`BENCH_${i}_${Date.now()}`]: "1" } });
      fullBuilds.push(performance.now() - started);
      if (result.status !== "built") throw new Error("expected a build");
    }
    // The first run also pushes the base image's layers to the empty registry; later runs push only the new layers.
    console.log(
      `full build + push (new content hash each run): ${fullBuilds.map((ms) => `${ms.toFixed(0)} ms`).join(", ")} (first includes pushing the base layers)`,
    );

    await ensureImage(options);
    const checks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const result = await ensureImage(options);
      checks.push(performance.now() - started);
      if (result.status !== "unchanged") throw new Error("expected unchanged");
    }
    console.log(
      `unchanged-environment check (parse, render, hash, registry HEAD with auth): ${stats(checks)} — target < 2000 ms`,
    );
  } finally {
    await removeTagsStartingWith(docker, repository);
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
