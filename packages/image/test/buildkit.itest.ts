import { randomBytes } from "node:crypto";
import { cp, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILDKIT_DOCKERFILE_PROJECT } from "@dask-fargate-action/testkit/fixtures";
import { removeTagsStartingWith } from "@dask-fargate-action/testkit/images";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { BuildError, type EnsureImageOptions, ensureImage, ImageConfigError } from "../src/index.js";
import { engineEvents, recordingLogger, runInImage } from "./integration/helpers.js";

// BuildKit through the Engine API on the real engine: a Dockerfile that the legacy builder refuses (cache and bind
// mounts, COPY --chmod, independent stages, a stage never needed) builds, and each feature does what it says.
const docker = new Docker();
const baseImage = inject("baseImage");
const suffix = randomBytes(4).toString("hex");
const repository = `dfa-test-buildkit-${suffix}`;
const fixture = BUILDKIT_DOCKERFILE_PROJECT;
let root: string;

const ensure = (options: Partial<EnsureImageOptions> = {}) =>
  ensureImage({
    dockerfile: join(root, "docker/Dockerfile"),
    workspace: root,
    image: repository,
    push: false,
    buildArgs: { BASE: baseImage },
    ...options,
  });

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "dfa-buildkit-")));
  await cp(fixture, join(root, "docker"), { recursive: true });
});

afterAll(async () => {
  await removeTagsStartingWith(docker, repository);
  await rm(root, { recursive: true, force: true });
});

describe("a BuildKit-only Dockerfile on the real engine", () => {
  let image: string;

  test("builds with BuildKit: steps shown by stage, the stage nothing needs never built", async () => {
    const logger = recordingLogger();
    const result = await ensure({ logger, buildArgs: { BASE: baseImage, CACHE_RUN: `a-${suffix}` } });
    image = result.image;
    expect(result.status).toBe("built");
    const steps = logger.lines.filter((l) => /^info (CACHED )?\[/.test(l));
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^info (CACHED )?\[scripts 1\/1\] COPY --chmod=755 prepare\.sh \/prepare\.sh$/),
        expect.stringMatching(/^info (CACHED )?\[runtime 2\/3\] RUN --mount=type=bind,source=app,target=\/mnt\/app/),
      ]),
    );
    expect(logger.lines.join("\n")).not.toContain("[unused");
    expect(logger.lines.some((l) => l.startsWith("info Step "))).toBe(false);
  });

  test("the image runs through its entrypoint; COPY --chmod set the mode; the bind-mounted code is there, the mount and the cache are not", async () => {
    const script = [
      "python3 -c 'import dfa_fixture; print(dfa_fixture.prepared())'",
      "stat -c %a /usr/bin/prepare.sh",
      "echo $(ls /opt/app)",
      "test -e /mnt/app/dfa_fixture.py && echo mount-kept || echo mount-gone",
      "test -e /root/.cache/dfa/runs && echo cache-kept || echo cache-gone",
    ].join("; ");
    const { output, exitCode } = await runInImage(docker, image, ["sh", "-c", script]);
    expect(exitCode).toBe(0);
    expect(output.trim().split("\n")).toEqual([
      "prepared by prepare.sh",
      "755",
      "__pycache__ dfa_fixture.py",
      "mount-gone",
      "cache-gone",
    ]);
  });

  test("the cache mount keeps what a step wrote there across builds, outside the image", async () => {
    const read = async (ref: string) =>
      Number((await runInImage(docker, ref, ["cat", "/opt/build/cache-runs"])).output.trim());
    const before = await read(image);
    const again = await ensure({ buildArgs: { BASE: baseImage, CACHE_RUN: `b-${suffix}` } });
    expect(again.tag).not.toBe(image.split(":")[1]);
    expect(await read(again.image)).toBeGreaterThan(before);
  });

  test("target builds one stage; platform sets the image's architecture (a scratch stage needs no base of that platform)", async () => {
    const result = await ensure({ target: "scripts", platform: "linux/arm64" });
    const info = await docker.getImage(result.image).inspect();
    expect(info.Architecture).toBe("arm64");
    expect(info.RootFS.Layers).toHaveLength(1);
    const other = await ensure({ target: "scripts" });
    expect(other.tag).not.toBe(result.tag);
    expect((await docker.getImage(other.image).inspect()).Architecture).toBe("amd64");
  });

  test("a failing step is named with its own last lines", async () => {
    await writeFile(
      join(root, "docker/Dockerfile.broken"),
      `FROM ${baseImage}\nRUN --mount=type=cache,target=/c echo about to fail && false\n`,
    );
    const error = await ensure({ dockerfile: join(root, "docker/Dockerfile.broken"), buildArgs: {} }).catch(
      (e: unknown) => e,
    );
    expect(BuildError.isInstance(error)).toBe(true);
    expect((error as BuildError).step).toMatch(
      /^\[(stage-0 )?2\/2\] RUN --mount=type=cache,target=\/c echo about to fail && false$/,
    );
    expect((error as BuildError).lastLines).toContain("about to fail");
  });

  test("a secret mount is refused before anything reaches the engine", async () => {
    await writeFile(
      join(root, "docker/Dockerfile.secret"),
      `FROM ${baseImage}\nRUN --mount=type=secret,id=netrc pip install private-thing\n`,
    );
    await new Promise((r) => setTimeout(r, 1100)); // engine events have one-second resolution
    const since = Math.floor(Date.now() / 1000);
    const error = await ensure({ dockerfile: join(root, "docker/Dockerfile.secret"), buildArgs: {} }).catch(
      (e: unknown) => e,
    );
    expect(ImageConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      "docker/Dockerfile.secret:2: RUN --mount=type=secret needs a BuildKit session",
    );
    await new Promise((r) => setTimeout(r, 1100));
    const events = await engineEvents(docker, since, Math.floor(Date.now() / 1000));
    expect(events.filter((e) => (e.Actor?.Attributes?.["name"] ?? "").startsWith(repository))).toEqual([]);
  });

  test("the legacy builder refuses the same Dockerfile, so the features above are BuildKit's", async () => {
    const error = await ensure({ builder: "legacy", buildArgs: { BASE: baseImage, CACHE_RUN: `c-${suffix}` } }).catch(
      (e: unknown) => e,
    );
    expect(BuildError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/the --(chmod|mount) option requires BuildKit/);
  });
});
