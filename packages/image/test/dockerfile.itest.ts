import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { removeTagsStartingWith } from "@dask-fargate-action/testkit/images";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { BuildError, type EnsureImageOptions, type EnsureImageResult, ensureImage } from "../src/index.js";
import { engineEvents, recordingLogger, runInImage } from "./integration/helpers.js";

const docker = new Docker();
const registry = inject("registryAddress");
const credentials = {
  kind: "basic",
  username: inject("registryUsername"),
  password: inject("registryPassword"),
} as const;
const baseImage = inject("baseImage");
const suffix = randomBytes(4).toString("hex");
const repository = `${registry}/dfa-tests/own-dockerfile-${suffix}`;
const fixture = fileURLToPath(new URL("fixtures/tutorial-dockerfile", import.meta.url));
let root: string;

/**
 * ensureImage on the copy of the tutorial-style fixture, pushing to the test registry, with the legacy builder: the
 * path of engines without BuildKit keeps its tests here (buildkit.itest.ts builds with BuildKit).
 */
const ensure = (options: Partial<EnsureImageOptions> = {}) =>
  ensureImage({
    dockerfile: join(root, "docker/Dockerfile"),
    workspace: root,
    image: repository,
    credentials,
    buildArgs: { BASE: baseImage },
    builder: "legacy",
    ...options,
  });

/** Engine events naming this test's repository (a build tags it, a push pushes it) while `action` runs. */
async function eventsDuring<T>(action: () => Promise<T>): Promise<{ result: T; actions: string[] }> {
  await new Promise((r) => setTimeout(r, 1100)); // engine events have one-second resolution
  const since = Math.floor(Date.now() / 1000);
  const result = await action();
  await new Promise((r) => setTimeout(r, 1100));
  const events = await engineEvents(docker, since, Math.floor(Date.now() / 1000));
  const ours = events.filter((e) => (e.Actor?.Attributes?.["name"] ?? "").startsWith(repository));
  return { result, actions: ours.map((e) => e.Action).filter((a) => ["create", "push", "tag", "build"].includes(a)) };
}

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "dfa-own-dockerfile-")));
  await cp(fixture, join(root, "docker"), { recursive: true });
  await mkdir(join(root, "docker/data"), { recursive: true });
  await writeFile(join(root, "docker/data/scratch.csv"), "1,2,3\n");
});

afterAll(async () => {
  await removeTagsStartingWith(docker, repository);
  await rm(root, { recursive: true, force: true });
});

describe("your own Dockerfile on the real engine and registry", () => {
  let first: EnsureImageResult;

  test("is built with its context and pushed; an unpinned FROM gets a notice", async () => {
    const logger = recordingLogger();
    first = await ensure({ logger });
    expect(first.status).toBe("built");
    expect(first.pushed).toBe(true);
    expect(first.tag).toMatch(/^dockerfile-[0-9a-f]{16}$/);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(logger.lines.some((l) => l.startsWith("info Step 1/"))).toBe(true);
    expect(first.notices.join("\n")).toMatch(/^docker\/Dockerfile:5: FROM \$\{BASE\} \(.+\) is not pinned by digest/);
    const labels = (await docker.getImage(first.image).inspect()).Config.Labels;
    expect(labels?.["io.dask-fargate-action.content-hash"]).toBe(first.contentHash);
    expect(labels?.["io.dask-fargate-action.source-file"]).toBe("docker/Dockerfile");
  });

  test("a command runs through the image's own entrypoint (tini, then prepare.sh, then exec) with the context's files", async () => {
    const { output, exitCode } = await runInImage(docker, first.image, [
      "python3",
      "-B",
      "-c",
      "import os, dfa_fixture; print(dfa_fixture.prepared(), '|', open('/proc/1/comm').read().strip(), '|', sorted(os.listdir('/opt/app')))",
    ]);
    expect(exitCode).toBe(0);
    expect(output.trim()).toBe("prepared by prepare.sh | tini | ['dfa_fixture.py']");
  });

  test("the package record of an image without one is read by running Python in it, not its entrypoint", async () => {
    const again = await ensure({ record: true });
    expect(again.record?.python).toMatch(/^3\.11\./);
    expect(again.record?.packages["distributed"]).toMatch(/^2022\.12\.1\b/);
  });

  test("a second run builds and pushes nothing and reports the same digest", async () => {
    const logger = recordingLogger();
    const { result, actions } = await eventsDuring(() => ensure({ logger }));
    expect(result.status).toBe("unchanged");
    expect(result.digest).toBe(first.digest);
    expect(actions).toEqual([]);
    expect(logger.lines.join("\n")).toContain("unchanged");
  });

  test("a change in an ignored file builds and pushes nothing", async () => {
    await writeFile(join(root, "docker/data/scratch.csv"), "4,5,6\n");
    await writeFile(join(root, "docker/build.log"), "noise\n");
    const { result, actions } = await eventsDuring(() => ensure());
    expect(result.status).toBe("unchanged");
    expect(result.tag).toBe(first.tag);
    expect(actions).toEqual([]);
  });

  test("a change in one context file rebuilds and pushes under a new tag", async () => {
    await writeFile(join(root, "docker/app/dfa_fixture.py"), 'def prepared() -> str:\n    return "changed"\n');
    const { result, actions } = await eventsDuring(() => ensure());
    expect(result.status).toBe("built");
    expect(result.pushed).toBe(true);
    expect(result.tag).not.toBe(first.tag);
    expect(actions).toContain("push");
    const { output } = await runInImage(docker, result.image, [
      "python3",
      "-c",
      "import dfa_fixture; print(dfa_fixture.prepared())",
    ]);
    expect(output.trim()).toBe("changed");
  });

  test("a failing step is named with its last output lines", async () => {
    await writeFile(join(root, "docker/Dockerfile.broken"), `FROM ${baseImage}\nRUN echo about to fail && false\n`);
    const error = await ensure({
      dockerfile: join(root, "docker/Dockerfile.broken"),
      push: false,
      buildArgs: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    // The engine counts the LABEL steps it adds for the labels given through the API.
    expect((error as BuildError).step).toMatch(/^Step 2\/\d+ : RUN echo about to fail && false$/);
    expect((error as BuildError).lastLines).toContain("about to fail");
  });
});
