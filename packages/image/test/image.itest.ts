import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { projectDir, removeTagsStartingWith, writeProbeWheel } from "@dask-fargate-action/testkit/images";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { BuildError, buildImage, ensureImage, RegistryError, renderBuildContext } from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";
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
const repository = `${registry}/dfa-tests/probe-${suffix}`;
const probeValue = `probe-${suffix}`;
let dir: string;

beforeAll(async () => {
  dir = await projectDir({
    "requirements.txt": "dask\ndistributed\n./wheels/dfa_probe-1.0-py3-none-any.whl\n",
    "broken.txt": "dask\ndistributed\ndfa-no-such-project-anywhere==9.9.9\n",
  });
  await writeProbeWheel(dir, probeValue);
});

afterAll(async () => {
  await removeTagsStartingWith(docker, repository);
  await rm(dir, { recursive: true, force: true });
});

describe("build and push on the real engine and registry", () => {
  let first: Awaited<ReturnType<typeof ensureImage>>;

  test("builds the generated Dockerfile, pushes with auth and returns the digest", async () => {
    const logger = recordingLogger();
    first = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials,
      logger,
    });
    expect(first.status).toBe("built");
    expect(first.pushed).toBe(true);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Built by BuildKit: each step once, as `[n/m] INSTRUCTION`.
    expect(logger.lines.some((l) => /^info \[\d+\/\d+\] RUN /.test(l))).toBe(true);
    expect(logger.lines.join("\n")).not.toContain(credentials.password);
  });

  test("the image holds the installed content, runs as non-root under tini", async () => {
    const { output, exitCode } = await runInImage(docker, first.image, [
      "python3",
      "-c",
      "import os, dask, distributed, dfa_probe; print(dfa_probe.VALUE, os.getuid(), open('/proc/1/comm').read().strip())",
    ]);
    expect(exitCode).toBe(0);
    expect(output.trim()).toBe(`${probeValue} 1000 tini`);
    const labels = (await docker.getImage(first.image).inspect()).Config.Labels;
    expect(labels?.["io.dask-fargate-action.content-hash"]).toBe(first.contentHash);
  });

  test("the image's package record is read back: Python, Dask, XGBoost and the local wheel with their versions", async () => {
    const logger = recordingLogger();
    const again = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials,
      logger,
      record: true,
    });
    expect(again.status).toBe("unchanged");
    const record = again.record;
    // Debian bookworm's packages in the offline base (README: offline image), and the wheel installed by pip.
    expect(record?.python).toMatch(/^3\.11\./);
    // Debian's own version suffixes (+dfsg, +ds.1) are kept as the packages report them.
    expect(record?.packages["dask"]).toMatch(/^2022\.12\.1\b/);
    expect(record?.packages["distributed"]).toMatch(/^2022\.12\.1\b/);
    expect(record?.packages["xgboost"]).toMatch(/^1\.7\.4\b/);
    expect(record?.packages["dfa-probe"]).toBe("1.0");
    expect(logger.lines.join("\n")).toContain("python 3.11.");
  });

  test("the build directory with the requirements and the local wheel is gone from the image", async () => {
    // Removed in the RUN that installs from it, so no layer after the install holds it.
    const { output, exitCode } = await runInImage(docker, first.image, [
      "python3",
      "-c",
      "import os, glob; print(os.path.exists('/tmp/dask-fargate-build'), sorted(glob.glob('/tmp/**', recursive=True)))",
    ]);
    expect(exitCode).toBe(0);
    expect(output.trim()).toBe("False ['/tmp/']");
  });

  test("the registry serves the pushed manifest under the content tag", async () => {
    const auth = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
    const response = await fetch(`http://${registry}/v2/dfa-tests/probe-${suffix}/manifests/${first.tag}`, {
      headers: { Authorization: auth, Accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("docker-content-digest")).toBe(first.digest);
    const manifest = (await response.json()) as { layers: unknown[] };
    expect(manifest.layers.length).toBeGreaterThan(1);
  });

  test("a second ensure of the same environment builds and pushes nothing and reports the same digest", async () => {
    await new Promise((r) => setTimeout(r, 1100)); // engine events have one-second resolution
    const since = Math.floor(Date.now() / 1000);
    const logger = recordingLogger();
    const second = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials,
      logger,
    });
    await new Promise((r) => setTimeout(r, 1100));
    const events = await engineEvents(docker, since, Math.floor(Date.now() / 1000));
    expect(second.status).toBe("unchanged");
    expect(second.digest).toBe(first.digest);
    // Other packages' tests share the engine, so only events that name this repository count: a rebuild
    // would tag it and a push would push it.
    const ours = events.filter((e) => (e.Actor?.Attributes?.["name"] ?? "").startsWith(repository));
    expect(ours.filter((e) => ["create", "push", "tag", "build"].includes(e.Action))).toEqual([]);
    expect(logger.lines.join("\n")).toContain("unchanged");
  });

  test("the record of an image found unchanged in the registry and not on this engine is read from the registry", async () => {
    await docker.getImage(first.image).remove();
    const again = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials,
      record: true,
    });
    expect(again.status).toBe("unchanged");
    await expect(docker.getImage(first.image).inspect()).rejects.toThrow();
    expect(again.record?.packages["dfa-probe"]).toBe("1.0");
    expect(again.record?.python).toMatch(/^3\.11\./);
  });

  test("a rebuild with one changed pin shows what changed since the previous image of the same source", async () => {
    const next = await projectDir({
      "requirements.txt": "dask\ndistributed\n./wheels/dfa_probe-1.1-py3-none-any.whl\n",
    });
    try {
      await writeProbeWheel(next, probeValue, "1.1");
      const logger = recordingLogger();
      const rebuilt = await ensureImage({
        environmentFile: join(next, "requirements.txt"),
        image: repository,
        baseImage,
        credentials,
        logger,
        record: true,
      });
      expect(rebuilt.status).toBe("built");
      expect(rebuilt.changes).toEqual({ since: first.image, lines: ["dfa-probe 1.0 → 1.1"] });
      expect(logger.lines).toContain(`info changes since ${first.image}: dfa-probe 1.0 → 1.1`);
    } finally {
      await rm(next, { recursive: true, force: true });
    }
  });

  test("on the local engine alone (no registry), a rebuild with one changed pin shows what changed too", async () => {
    const local = `dfa-local-diff-${randomBytes(3).toString("hex")}`;
    const dirs = [
      await projectDir({ "requirements.txt": "dask\ndistributed\n./wheels/dfa_probe-1.0-py3-none-any.whl\n" }),
    ];
    dirs.push(await projectDir({ "requirements.txt": "dask\ndistributed\n./wheels/dfa_probe-1.1-py3-none-any.whl\n" }));
    try {
      await writeProbeWheel(dirs[0] ?? "", probeValue, "1.0");
      await writeProbeWheel(dirs[1] ?? "", probeValue, "1.1");
      const before = await ensureImage({
        environmentFile: join(dirs[0] ?? "", "requirements.txt"),
        image: local,
        push: false,
        baseImage,
        record: true,
      });
      const after = await ensureImage({
        environmentFile: join(dirs[1] ?? "", "requirements.txt"),
        image: local,
        push: false,
        baseImage,
        record: true,
      });
      expect(after.status).toBe("built");
      expect(after.changes).toEqual({ since: before.image, lines: ["dfa-probe 1.0 → 1.1"] });
    } finally {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
      await removeTagsStartingWith(docker, `${local}:`);
    }
  });

  test("force rebuilds and pushes again", async () => {
    const forced = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials,
      force: true,
    });
    expect(forced.status).toBe("built");
    expect(forced.pushed).toBe(true);
    expect(forced.tag).toBe(first.tag);
  });
});

describe("build args", () => {
  test("the engine writes build-arg values into the image history, which is why values with credentials are refused", async () => {
    const value = `visible-${suffix}`;
    const context = renderBuildContext(parseEnvironment("requirements.txt", "dask\ndistributed\n"), {
      baseImage,
      buildArgNames: ["DFA_PROBE_ARG"],
    });
    const tag = `${repository}-args:1`;
    await buildImage({ docker, context, tags: [tag], buildArgs: { DFA_PROBE_ARG: value } });
    try {
      const history = (await docker.getImage(tag).history()) as { CreatedBy: string }[];
      expect(history.some((h) => h.CreatedBy.includes(`DFA_PROBE_ARG=${value}`))).toBe(true);
    } finally {
      await docker.getImage(tag).remove({ force: true });
    }
  });
});

describe("failures are clear", () => {
  test("a failing build names the failing step and its last output lines", async () => {
    const error = await ensureImage({
      environmentFile: join(dir, "broken.txt"),
      image: repository,
      baseImage,
      credentials,
      push: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    const buildError = error as BuildError;
    expect(buildError.step).toMatch(/^\[\d+\/\d+\] RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install/);
    expect(buildError.lastLines.join("\n")).toMatch(/dfa-no-such-project-anywhere/);
    expect(buildError.message).toContain("image build failed at");
  });

  test("a wrong password fails with a clear message and never shows the password", async () => {
    const wrong = `wrong-${randomBytes(12).toString("hex")}`;
    const logger = recordingLogger();
    const error = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials: { kind: "basic", username: credentials.username, password: wrong },
      logger,
      force: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/check the registry username and password/);
    expect(`${(error as Error).message}\n${logger.lines.join("\n")}`).not.toContain(wrong);
  });

  test("the manifest lookup with a wrong password is refused before any build", async () => {
    const wrong = `wrong-${randomBytes(12).toString("hex")}`;
    const error = await ensureImage({
      environmentFile: join(dir, "requirements.txt"),
      image: repository,
      baseImage,
      credentials: { kind: "basic", username: credentials.username, password: wrong },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as Error).message).not.toContain(wrong);
  });

  test("a local-only ensure reuses the local image the second time", async () => {
    const options = {
      environmentFile: join(dir, "requirements.txt"),
      image: `${repository}-local`,
      push: false,
      baseImage,
    };
    const built = await ensureImage(options);
    const again = await ensureImage(options);
    expect([built.status, again.status]).toEqual(["built", "unchanged"]);
    await docker.getImage(built.image).remove({ force: true });
  });
});
