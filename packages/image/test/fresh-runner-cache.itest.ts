import { randomBytes } from "node:crypto";
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyEngineOf } from "@dask-fargate-action/testkit/images";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { ImageSize } from "../src/image-size.js";
import { type EnsureImageOptions, ensureImage, sizeText } from "../src/index.js";
import { engineEvents, recordingLogger } from "./integration/helpers.js";

// A fresh runner has an empty engine: without a cache every step runs again. Every pushed image carries BuildKit's
// inline cache and the next build takes the previous image of the same source as cache-from, so a change to the last
// step rebuilds only that step, and the layers before it come from the registry. Proven here with the engine emptied
// of this test's image and of BuildKit's own cache records for it, against a build without cache.
const docker = new Docker();
const registry = inject("registryAddress");
const credentials = {
  kind: "basic",
  username: inject("registryUsername"),
  password: inject("registryPassword"),
} as const;
const baseImage = inject("baseImage");
const nonce = randomBytes(6).toString("hex");
const repository = `${registry}/dfa-tests/fresh-runner-${nonce}`;
let root: string;

// Two slow steps with layers of their own (random bytes, so no other image shares them), then the step that changes.
const DOCKERFILE = `FROM ${baseImage}
RUN echo ${nonce} step one && head -c 24000000 /dev/urandom > /opt/one.bin && sleep 8
RUN echo ${nonce} step two && head -c 8000000 /dev/urandom > /opt/two.bin && sleep 4
COPY last.txt /opt/last.txt
`;

const ensure = (options: Partial<EnsureImageOptions> = {}) =>
  ensureImage({ dockerfile: join(root, "Dockerfile"), workspace: root, image: repository, credentials, ...options });

/** As on a fresh runner: this test's image and BuildKit cache records gone, other users' left alone. */
const emptyEngine = () => emptyEngineOf(docker, repository, nonce);

/** Build steps and pushed layers from a build's log lines. */
function summary(lines: readonly string[]) {
  return {
    cached: lines.filter((l) => /^info CACHED \[\d+\/\d+\] RUN echo /.test(l)).length,
    ran: lines.filter((l) => /^info \[\d+\/\d+\] (RUN echo|COPY last)/.test(l)).length,
    pushed: lines.filter((l) => /^debug [0-9a-f]{12}: Pushed$/.test(l)).length,
    existing: lines.filter((l) => /^debug [0-9a-f]{12}: Layer already exists$/.test(l)).length,
  };
}

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "dfa-fresh-runner-")));
  await writeFile(join(root, "Dockerfile"), DOCKERFILE);
  await writeFile(join(root, "last.txt"), "version 1\n");
  const first = await ensure();
  expect(first.status).toBe("built");
});

afterAll(async () => {
  await emptyEngine().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

test("on an emptied engine, a change to the last step rebuilds only that step; the layers before it come from the registry", async () => {
  await emptyEngine();
  await writeFile(join(root, "last.txt"), "version 2\n");
  const logger = recordingLogger();
  const started = Date.now();
  const cachedBuild = await ensure({ logger });
  const cachedMs = Date.now() - started;
  expect(cachedBuild.status).toBe("built");
  // The size the registry serves: at least the two random layers (about 32 MB, which gzip cannot shrink), and the
  // pull estimate of the model for it.
  expect(cachedBuild.size?.compressedBytes).toBeGreaterThan(32_000_000);
  expect(cachedBuild.size?.estimatedPullSeconds).toBeCloseTo(
    16.5 + ((cachedBuild.size?.compressedBytes ?? 0) / 2 ** 20) * 0.025,
    0,
  );
  expect(logger.lines).toContain(`info ${cachedBuild.image}: ${sizeText(cachedBuild.size as ImageSize)}`);
  expect(logger.lines, logger.lines.join("\n")).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        new RegExp(`^info cache from ${repository}:dockerfile-[0-9a-f]{16} \\(the previous image of Dockerfile\\)$`),
      ),
    ]),
  );
  const cached = summary(logger.lines);
  // Both slow RUN steps come from the cache, only COPY runs; only its layer is pushed, the registry has the others.
  expect(cached, logger.lines.join("\n")).toMatchObject({ cached: 2, ran: 1, pushed: 1 });
  expect(cached.existing).toBeGreaterThanOrEqual(2);

  // The same change on an emptied engine without cache: every step runs and every layer of the steps is pushed.
  await emptyEngine();
  await writeFile(join(root, "last.txt"), "version 3\n");
  const plain = recordingLogger();
  const plainStarted = Date.now();
  const plainBuild = await ensure({ logger: plain, cacheFrom: [] });
  const plainMs = Date.now() - plainStarted;
  expect(plainBuild.status).toBe("built");
  const uncached = summary(plain.lines);
  expect(uncached, plain.lines.join("\n")).toMatchObject({ cached: 0, ran: 3, pushed: 3 });
  // The slow steps sleep 12 s in all; with the cache none of them runs (half of that as the margin on a busy machine).
  expect(plainMs - cachedMs).toBeGreaterThan(6000);
  console.log(
    `fresh-runner rebuild after a last-step change: ${cachedMs} ms with cache from the registry, ${plainMs} ms without (${(plainMs / cachedMs).toFixed(1)}×)`,
  );
});

test("the package record of an image built from a Dockerfile is found in the registry without pulling, and what changed since the previous one", async () => {
  await writeFile(join(root, "last.txt"), "version 4\n");
  const building = recordingLogger();
  const built = await ensure({ record: true, logger: building });
  expect(built.status).toBe("built");
  expect(built.record?.packages["distributed"]).toMatch(/^2022\.12\.1\b/);
  expect(building.lines).toContain(
    `info package record pushed as ${built.image}.record (read later without pulling the image)`,
  );

  await emptyEngine();
  await new Promise((r) => setTimeout(r, 1100)); // engine events have one-second resolution
  const since = Math.floor(Date.now() / 1000);
  const reading = recordingLogger();
  const again = await ensure({ record: true, logger: reading });
  await new Promise((r) => setTimeout(r, 1100));
  expect(again.status).toBe("unchanged");
  expect(again.record).toEqual(built.record);
  expect(reading.lines).toContain(
    `info package record of ${built.image} read from ${built.image}.record without pulling`,
  );
  const events = await engineEvents(docker, since, Math.floor(Date.now() / 1000));
  expect(
    events.filter((e) => e.Type === "image" && (e.Actor?.Attributes?.["name"] ?? "").startsWith(repository)),
  ).toEqual([]);

  // The next build compares its record with the previous image's, read from that image's companion.
  await writeFile(join(root, "last.txt"), "version 5\n");
  const next = await ensure({ record: true });
  expect(next.status).toBe("built");
  expect(next.changes).toEqual({ since: built.image, lines: [] });
});
