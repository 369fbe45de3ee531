/**
 * The unchanged-image check on the real Docker Engine and a local authenticated registry (Debian's
 * docker-registry): ensureImage() for an environment whose content tag is already pushed. Reuses the image
 * package's bench fixtures (the probe wheel, the registry server of its integration tests).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensureImage } from "@dask-fargate-action/image";
import { projectDir, writeProbeWheel } from "@dask-fargate-action/testkit/images";
import { startRegistry } from "@dask-fargate-action/testkit/registry-server";
import Docker from "dockerode";
import { type BenchRow, median, spread } from "./result.js";

const run = promisify(execFile);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 10);

export async function measure(): Promise<BenchRow[]> {
  const docker = new Docker();
  const { stdout } = await run(fileURLToPath(new URL("../make-offline-image.sh", import.meta.url)), []);
  const baseImage = stdout.trim().split("\n").pop() ?? "";
  const registry = await startRegistry("bench", randomBytes(16).toString("hex"));
  const dir = await projectDir({ "requirements.txt": "dask\ndistributed\n./wheels/dfa_probe-1.0-py3-none-any.whl\n" });
  await writeProbeWheel(dir, "bench");
  const repository = `${registry.address}/bench/probe-${randomBytes(4).toString("hex")}`;
  const options = {
    environmentFile: join(dir, "requirements.txt"),
    image: repository,
    baseImage,
    credentials: { kind: "basic", username: registry.username, password: registry.password } as const,
  };
  try {
    const first = await ensureImage(options);
    const checks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const result = await ensureImage(options);
      checks.push(performance.now() - started);
      if (result.status !== "unchanged") throw new Error(`expected an unchanged image, got ${result.status}`);
    }
    return [
      {
        group: "image-check",
        measurement: "unchanged-image check",
        value: spread(checks, (v) => `${v.toFixed(0)} ms`),
        target: "< 2 s",
        met: median(checks) < 2000,
        method: `ensureImage() of an environment already pushed (parse, render, hash, registry manifest HEAD with basic auth), performance.now() in one process; Docker Engine ${(await docker.version()).Version}, local docker-registry with htpasswd; first call ${first.status}`,
        data: checks,
      },
    ];
  } finally {
    for (const image of await docker.listImages()) {
      if ((image.RepoTags ?? []).some((t) => t.startsWith(repository)))
        await docker.getImage(image.Id).remove({ force: true });
    }
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
