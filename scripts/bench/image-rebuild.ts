/**
 * A fresh runner's rebuild after a one-layer change, with and without the registry cache (BuildKit's inline cache
 * of the previous image, taken as cache-from), and the package record of a Dockerfile image found in the registry
 * without pulling. Real Docker Engine, local authenticated registry (Debian's docker-registry); "fresh runner" means
 * the engine emptied of the image and of BuildKit's cache records of its steps before each build.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensureImage, LABELS, parseImageReference, readRemoteRecordOrCompanion } from "@dask-fargate-action/image";
import { emptyEngineOf } from "@dask-fargate-action/testkit/images";
import { startRegistry } from "@dask-fargate-action/testkit/registry-server";
import Docker from "dockerode";
import { type BenchRow, median, spread } from "./result.js";

const run = promisify(execFile);
const RUNS = Number(process.env["BENCH_REBUILD_RUNS"] ?? 3);

export async function measure(): Promise<BenchRow[]> {
  const docker = new Docker();
  const { stdout } = await run(fileURLToPath(new URL("../make-offline-image.sh", import.meta.url)), []);
  const baseImage = stdout.trim().split("\n").pop() ?? "";
  const registry = await startRegistry("bench", randomBytes(16).toString("hex"));
  const nonce = randomBytes(6).toString("hex");
  const repository = `${registry.address}/bench/rebuild-${nonce}`;
  const dir = await realpath(await mkdtemp(join(tmpdir(), "dfa-bench-rebuild-")));
  // Steps like a team's: a large dependency layer, a smaller one, then the code that changes.
  await writeFile(
    join(dir, "Dockerfile"),
    `FROM ${baseImage}\nRUN echo ${nonce} deps && head -c 200000000 /dev/urandom > /opt/deps.bin\nRUN echo ${nonce} more && head -c 50000000 /dev/urandom > /opt/more.bin\nCOPY code.txt /opt/code.txt\n`,
  );
  const credentials = { kind: "basic", username: registry.username, password: registry.password } as const;
  const options = { dockerfile: join(dir, "Dockerfile"), workspace: dir, image: repository, credentials };
  let version = 0;
  const rebuild = async (cache: boolean): Promise<number> => {
    await emptyEngineOf(docker, repository, nonce);
    await writeFile(join(dir, "code.txt"), `version ${++version}\n`);
    const lines: string[] = [];
    const logger = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      debug: (m: string) => lines.push(m),
    };
    const started = performance.now();
    const result = await ensureImage({ ...options, logger, ...(cache ? {} : { cacheFrom: [] }) });
    const elapsed = performance.now() - started;
    if (result.status !== "built") throw new Error(`expected a build, got ${result.status}`);
    // What the row claims: with the cache both RUN steps are taken from it and only the changed layer is pushed.
    const cached = lines.filter((l) => /^CACHED \[\d+\/\d+\] RUN echo /.test(l)).length;
    const pushed = lines.filter((l) => /^[0-9a-f]{12}: Pushed$/.test(l)).length;
    if (cache ? cached !== 2 || pushed !== 1 : cached !== 0)
      throw new Error(
        `unexpected build: ${cached} cached RUN steps, ${pushed} layers pushed; ${lines.filter((l) => /cache|CACHED|\[\d+\/\d+\]/.test(l)).join(" / ")}`,
      );
    return elapsed;
  };
  try {
    await writeFile(join(dir, "code.txt"), "version 0\n");
    await ensureImage(options); // the first image, with the base's layers, pushed once
    const cached: number[] = [];
    const uncached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      cached.push(await rebuild(true));
      uncached.push(await rebuild(false));
    }
    // The record: pushed next to the image by a build with record, then read from the registry alone.
    await writeFile(join(dir, "code.txt"), "with record\n");
    const withRecord = await ensureImage({ ...options, record: true });
    await emptyEngineOf(docker, repository, nonce);
    const target = parseImageReference(repository, "image");
    const login = { username: registry.username, password: registry.password };
    const lookups: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const found = await readRemoteRecordOrCompanion(
        target,
        withRecord.tag,
        withRecord.digest,
        "linux/amd64",
        LABELS.record,
        { login },
      );
      lookups.push(performance.now() - started);
      if (found?.from !== "companion") throw new Error("expected the record from its companion");
    }
    const engine = `Docker Engine ${(await docker.version()).Version}, local docker-registry with htpasswd`;
    return [
      {
        group: "image-rebuild",
        measurement: "fresh-runner rebuild after a last-layer change, cache from the registry",
        value: spread(cached, (v) => `${(v / 1000).toFixed(1)} s`),
        target: "only the changed layer rebuilt and pushed",
        met: undefined,
        method: `ensureImage() of a Dockerfile (200 MB and 50 MB RUN layers, then COPY of the changed file) on an engine emptied of the image and its BuildKit cache records; cache-from the previous image (inline cache); ${engine}`,
        data: cached,
      },
      {
        group: "image-rebuild",
        measurement: "the same rebuild without cache",
        value: `${spread(uncached, (v) => `${(v / 1000).toFixed(1)} s`)}; ${(median(uncached) / median(cached)).toFixed(1)}× the cached one`,
        target: "",
        met: undefined,
        method:
          "as above with cacheFrom: [] (every step runs, every new layer is pushed); alternating with the cached runs",
        data: uncached,
      },
      {
        group: "image-rebuild",
        measurement: "package record of a Dockerfile image, registry only (no pull)",
        value: spread(lookups, (v) => `${v.toFixed(0)} ms`),
        target: "< 2 s",
        met: median(lookups) < 2000,
        method: `readRemoteRecordOrCompanion() of a dockerfile- tag: the record companion's manifest, config and one-file layer, each GET with basic auth (bcrypt on the registry); image not on the engine; ${engine}`,
        data: lookups,
      },
    ];
  } finally {
    await emptyEngineOf(docker, repository, nonce).catch(() => undefined);
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
