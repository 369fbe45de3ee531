import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type Docker from "dockerode";
import { describe, expect, test } from "vitest";
import { BuildkitProgress } from "../src/buildkit-progress.js";
import { type BuildkitTrace, decodeBuildkitTrace, encodeBuildkitTrace } from "../src/buildkit-trace.js";
import { BuildError, buildImage, detectBuilder, ensureImage } from "../src/index.js";
import { checkSessionMounts } from "../src/session-mounts.js";
import { recordingLogger } from "./integration/helpers.js";

describe("moby.buildkit.trace messages", () => {
  test("a message recorded from the engine (API 1.41) decodes to its steps, cached ones marked", async () => {
    const line = (await readFile(new URL("fixtures/buildkit/cached-trace.jsonl", import.meta.url), "utf8")).trim();
    const trace = decodeBuildkitTrace((JSON.parse(line) as { aux: string }).aux);
    expect(trace.vertexes.map((v) => [v.name, v.cached, v.completed])).toEqual([
      [
        "[base 2/2] RUN --mount=type=cache,target=/root/.cache/x echo hi > /root/.cache/x/a && ls /root/.cache/x",
        true,
        true,
      ],
      ["[stage-2 1/2] RUN --mount=type=bind,source=f.txt,target=/tmp/f.txt cat /tmp/f.txt", true, true],
      ["[other 1/1] COPY --chmod=755 f.txt /f.txt", true, true],
      ["[stage-2 2/2] COPY --from=other /f.txt /g.txt", true, true],
    ]);
    expect(trace.vertexes[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("encode and decode are inverse for steps, logs and warnings", () => {
    const trace = decodeBuildkitTrace(
      encodeBuildkitTrace({
        vertexes: [{ digest: "sha256:1", name: "[1/2] RUN make", started: true, error: "exit code: 2" }],
        logs: [{ vertex: "sha256:1", stream: 2, text: "café ✓\n" }],
        warnings: [{ vertex: "sha256:1", text: "deprecated" }],
      }),
    );
    expect(trace).toEqual({
      vertexes: [
        {
          digest: "sha256:1",
          name: "[1/2] RUN make",
          cached: false,
          started: true,
          completed: false,
          error: "exit code: 2",
        },
      ],
      logs: [{ vertex: "sha256:1", stream: 2, text: "café ✓\n" }],
      warnings: [{ vertex: "sha256:1", text: "deprecated" }],
    });
  });

  test("bytes that are not a StatusResponse are refused", () => {
    expect(() => decodeBuildkitTrace(Buffer.from([0x0a, 0xff, 0xff, 0xff]).toString("base64"))).toThrow();
  });
});

const vertex = (digest: string, name: string, more: Partial<BuildkitTrace["vertexes"][number]> = {}) => ({
  digest,
  name,
  cached: false,
  started: false,
  completed: false,
  error: "",
  ...more,
});

describe("progress is shown as the legacy builder's is", () => {
  test("each step once when it starts, CACHED for cached ones, the builder's bookkeeping and step output as debug lines", () => {
    const logger = recordingLogger();
    const progress = new BuildkitProgress(logger);
    progress.add({
      vertexes: [vertex("a", "[internal] load remote build context", { started: true })],
      logs: [],
      warnings: [],
    });
    progress.add({
      vertexes: [vertex("b", "[1/3] FROM base", { cached: true, started: true, completed: true })],
      logs: [],
      warnings: [],
    });
    progress.add({ vertexes: [vertex("c", "[2/3] RUN pip install x", { started: true })], logs: [], warnings: [] });
    progress.add({
      vertexes: [vertex("c", "[2/3] RUN pip install x", { started: true })],
      logs: [{ vertex: "c", stream: 1, text: "Coll" }],
      warnings: [],
    });
    progress.add({ vertexes: [], logs: [{ vertex: "c", stream: 1, text: "ecting x\nInstalled\n" }], warnings: [] });
    progress.add({
      vertexes: [vertex("c", "", { started: true, completed: true })],
      logs: [],
      warnings: [{ vertex: "c", text: "a warning" }],
    });
    expect(logger.lines).toEqual([
      "debug [internal] load remote build context",
      "info CACHED [1/3] FROM base",
      "info [2/3] RUN pip install x",
      "debug Collecting x",
      "debug Installed",
      "warn [2/3] RUN pip install x: a warning",
    ]);
    expect(progress.failure).toBeUndefined();
  });

  test("a failing step is named with its own last lines, not another step's running at the same time", () => {
    const progress = new BuildkitProgress(recordingLogger(), 2);
    progress.add({
      vertexes: [vertex("x", "[a 1/1] RUN one", { started: true }), vertex("y", "[b 1/1] RUN two", { started: true })],
      logs: [],
      warnings: [],
    });
    progress.add({
      vertexes: [],
      logs: [
        { vertex: "x", stream: 1, text: "x1\nx2\nx3\n" },
        { vertex: "y", stream: 1, text: "y1\n" },
        { vertex: "x", stream: 2, text: "last words" },
      ],
      warnings: [],
    });
    progress.add({
      vertexes: [vertex("x", "[a 1/1] RUN one", { started: true, completed: true, error: "exit code: 1" })],
      logs: [],
      warnings: [],
    });
    expect(progress.failure).toEqual({ step: "[a 1/1] RUN one", error: "exit code: 1", tail: ["x3", "last words"] });
  });
});

/** A fake engine whose build answers with `lines` (JSON messages) and whose version is `version`. */
function fakeEngine(lines: object[], version: object = { ApiVersion: "1.41", Os: "linux", Version: "20.10.24" }) {
  const calls: Record<string, unknown>[] = [];
  const docker = {
    version: async () => version,
    buildImage: async (_tar: unknown, options: Record<string, unknown>) => {
      calls.push(options);
      return Readable.from(lines.map((l) => `${JSON.stringify(l)}\n`));
    },
    getImage: () => ({ tag: async () => undefined }),
  } as unknown as Docker;
  return { docker, calls };
}

const context = { files: new Map([["Dockerfile", Buffer.from("FROM scratch\n")]]), platform: "linux/amd64" } as never;
const trace = (t: Parameters<typeof encodeBuildkitTrace>[0]) => ({
  id: "moby.buildkit.trace",
  aux: encodeBuildkitTrace(t),
});

describe("buildImage chooses the builder and reads its stream", () => {
  test("BuildKit (version 2) on an engine that has it, with the target, cache-from and inline cache asked for", async () => {
    const { docker, calls } = fakeEngine([
      trace({ vertexes: [{ digest: "d", name: "[1/1] FROM scratch", started: true }] }),
      { id: "moby.image.id", aux: { ID: "sha256:abc" } },
    ]);
    const built = await buildImage({
      docker,
      context,
      tags: ["t:1"],
      target: "runtime",
      cacheFrom: ["r:old"],
      inlineCache: true,
    });
    expect(built).toEqual({ imageId: "sha256:abc", builder: "buildkit" });
    expect(calls[0]).toMatchObject({
      version: "2",
      target: "runtime",
      cachefrom: ["r:old"],
      buildargs: { BUILDKIT_INLINE_CACHE: "1" },
    });
  });

  test("a failing BuildKit step gives a BuildError with the step and its last lines", async () => {
    const { docker } = fakeEngine([
      trace({
        vertexes: [{ digest: "d", name: "[2/2] RUN exit 3", started: true }],
        logs: [{ vertex: "d", stream: 1, text: "one\ntwo\n" }],
      }),
      trace({
        vertexes: [{ digest: "d", name: "[2/2] RUN exit 3", started: true, completed: true, error: "exit code: 3" }],
      }),
      {
        error: "executor failed running [/bin/sh -c exit 3]: exit code: 3",
        errorDetail: { message: "executor failed running [/bin/sh -c exit 3]: exit code: 3" },
      },
    ]);
    const error = (await buildImage({ docker, context, tags: ["t:1"] }).catch((e: unknown) => e)) as BuildError;
    expect(BuildError.isInstance(error)).toBe(true);
    expect(error.message).toContain('failed at "[2/2] RUN exit 3"');
    expect(error.message).toContain("| two");
  });

  test("the legacy builder on an engine without BuildKit, with a notice; no inline cache there", async () => {
    const { docker, calls } = fakeEngine([{ stream: "Step 1/1 : FROM scratch\n" }, { aux: { ID: "sha256:def" } }], {
      ApiVersion: "1.38",
      Os: "linux",
      Version: "18.06.3",
    });
    const logger = recordingLogger();
    const built = await buildImage({ docker, context, tags: ["t:1"], logger, inlineCache: true });
    expect(built).toEqual({ imageId: "sha256:def", builder: "legacy" });
    expect(calls[0]?.["version"]).toBeUndefined();
    expect(calls[0]?.["buildargs"]).toEqual({});
    expect(logger.lines[0]).toMatch(
      /^warn the Docker Engine \(18\.06\.3, API 1\.38, linux\) has no BuildKit; building with the legacy builder/,
    );
    expect(logger.lines).toContain("info Step 1/1 : FROM scratch");
  });

  test.each([
    [{ ApiVersion: "1.41", Os: "linux" }, "buildkit"],
    [{ ApiVersion: "1.39", Os: "linux" }, "buildkit"],
    [{ ApiVersion: "2.0", Os: "linux" }, "buildkit"],
    [{ ApiVersion: "1.38", Os: "linux" }, "legacy"],
    [{ ApiVersion: "1.41", Os: "windows" }, "legacy"],
  ])("engine %j → %s", async (version, builder) => {
    expect((await detectBuilder(fakeEngine([], version).docker)).builder).toBe(builder);
  });
});

describe("mounts that need a BuildKit session are refused before the build", () => {
  test.each([
    ["RUN --mount=type=secret,id=pip,target=/root/.netrc pip install x", "secret"],
    ["RUN --mount=type=ssh git clone git@github.com:org/x", "ssh"],
    ["RUN --network=none --mount=target=/r,type=secret pip install x", "secret"],
  ])("%s", (line, type) => {
    expect(() => checkSessionMounts(`FROM base\n# a comment\n${line}\n`, "docker/Dockerfile")).toThrow(
      `dockerfile: docker/Dockerfile:3: RUN --mount=type=${type} needs a BuildKit session`,
    );
  });

  test("cache and bind mounts, and a comment naming a secret mount, pass", () => {
    expect(() =>
      checkSessionMounts(
        "FROM base\n# RUN --mount=type=secret,id=x\nRUN --mount=type=cache,target=/root/.cache/pip --mount=type=bind,source=a,target=/a true\n",
        "Dockerfile",
      ),
    ).not.toThrow();
  });
});

describe("a registry cache that cannot be looked up costs only the cache", () => {
  test("the build goes on without cache-from, with a warning; an unreadable size is a warning too", async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), "dfa-cache-lookup-")));
    try {
      await writeFile(join(dir, "Dockerfile"), "FROM scratch\nCOPY f /f\n");
      await writeFile(join(dir, "f"), "x");
      const builds: Record<string, unknown>[] = [];
      const docker = {
        version: async () => ({ ApiVersion: "1.41", Os: "linux" }),
        buildImage: async (_tar: unknown, options: Record<string, unknown>) => {
          builds.push(options);
          return Readable.from([`${JSON.stringify({ id: "moby.image.id", aux: { ID: "sha256:abc" } })}\n`]);
        },
        getImage: () => ({
          tag: async () => undefined,
          push: async () =>
            Readable.from([`${JSON.stringify({ aux: { Tag: "t", Digest: `sha256:${"d".repeat(64)}`, Size: 1 } })}\n`]),
        }),
      } as unknown as Docker;
      const fetch = async (url: string) => {
        if (url.includes("/tags/list")) throw new TypeError("network down");
        return new Response("", { status: 404 });
      };
      const logger = recordingLogger();
      const result = await ensureImage({
        dockerfile: join(dir, "Dockerfile"),
        workspace: dir,
        image: "127.0.0.1:5999/team/dask",
        credentials: { kind: "basic", username: "u", password: "p" },
        docker,
        fetch,
        logger,
      });
      expect(result.status).toBe("built");
      expect(result.pushed).toBe(true);
      expect(builds[0]?.["cachefrom"]).toBeUndefined();
      expect(builds[0]).toMatchObject({ version: "2", buildargs: { BUILDKIT_INLINE_CACHE: "1" } });
      expect(logger.lines).toContain(
        "warn no cache from the registry: the previous image of Dockerfile could not be looked up (registry 127.0.0.1:5999: cannot reach http://127.0.0.1:5999/v2/team/dask/tags/list?n=1000 (network down))",
      );
      expect(logger.lines.some((l) => l.startsWith("warn the size of 127.0.0.1:5999/team/dask:dockerfile-"))).toBe(
        true,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
