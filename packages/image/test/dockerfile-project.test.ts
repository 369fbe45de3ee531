import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { archiveContextEntries } from "../src/build-context-archive.js";
import { ignoreRulesFromText, walkContext } from "../src/dockerfile-context.js";
import { inspectFromLines } from "../src/dockerfile-project.js";
import { type DockerfileProjectOptions, ensureImage, loadDockerfileProject } from "../src/index.js";

const DOCKERFILE = `FROM debian:bookworm@sha256:${"a".repeat(64)}
COPY prepare.sh /usr/bin/prepare.sh
COPY app/ /app/
ENTRYPOINT ["tini", "-g", "--", "sh", "/usr/bin/prepare.sh"]
`;

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A repository checkout in a temporary directory holding `files` (path → text), every file mode 0644. */
async function repo(files: Record<string, string>): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "dfa-dockerfile-")));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
    await chmod(join(dir, path), 0o644);
  }
  return dir;
}

const project = (files: Record<string, string> = {}) =>
  repo({
    "docker/Dockerfile": DOCKERFILE,
    "docker/prepare.sh": '#!/bin/sh\nexec "$@"\n',
    "docker/app/train.py": "print('train')\n",
    "docker/.dockerignore": "# data stays out\ndata/\n*.log\n",
    "docker/data/big.csv": "1,2,3\n",
    "docker/debug.log": "noise\n",
    ...files,
  });

const load = (root: string, options: Partial<DockerfileProjectOptions> = {}) =>
  loadDockerfileProject({ dockerfile: join(root, "docker/Dockerfile"), workspace: root, ...options });

/** The message of what `promise` rejects with, the temporary directory written as <repo>. */
async function failure(promise: Promise<unknown>, root: string): Promise<string> {
  const error = await promise.then(
    () => expect.unreachable("no error"),
    (e: unknown) => e as Error,
  );
  return `${error.name}: ${error.message.split(root).join("<repo>").split(process.cwd()).join("<cwd>")}`;
}

describe("bad input is refused before anything is built", () => {
  test("a Dockerfile that does not exist", async () => {
    const root = await project();
    expect(
      await failure(loadDockerfileProject({ dockerfile: join(root, "Dockerfile.missing"), workspace: root }), root),
    ).toMatchInlineSnapshot(
      `"ImageConfigError: dockerfile: "<repo>/Dockerfile.missing" does not exist (looked for <repo>/Dockerfile.missing); give the path of your Dockerfile from the repository root, e.g. docker/Dockerfile"`,
    );
  });

  test("a context outside the repository", async () => {
    const root = await project();
    const outside = await repo({ "secret.txt": "x" });
    const message = await failure(load(root, { context: outside }), root);
    expect(message.split(outside).join("<elsewhere>")).toMatchInlineSnapshot(
      `"ImageConfigError: context: the build context "<elsewhere>" resolves to <elsewhere>, outside the repository <repo>; everything in the context is sent to the engine and may be copied into the image, so it must be inside the checkout: give a directory inside <repo>, e.g. ".""`,
    );
  });

  test("a context that leaves the repository through a symbolic link", async () => {
    const root = await project();
    const outside = await repo({ "secret.txt": "x" });
    await symlink(outside, join(root, "linked"));
    const message = await failure(load(root, { context: join(root, "linked") }), root);
    expect(message.split(outside).join("<elsewhere>")).toContain(
      'the build context "<repo>/linked" resolves to <elsewhere>, outside the repository <repo>',
    );
  });

  test("a Dockerfile outside the repository", async () => {
    const root = await project();
    const outside = await repo({ Dockerfile: "FROM scratch\n" });
    const message = await failure(
      loadDockerfileProject({ dockerfile: join(outside, "Dockerfile"), context: root, workspace: root }),
      root,
    );
    expect(message.split(outside).join("<elsewhere>")).toMatchInlineSnapshot(
      `"ImageConfigError: dockerfile: "<elsewhere>/Dockerfile" resolves to <elsewhere>/Dockerfile, outside the repository <repo>; the Dockerfile must be part of the checkout: move it inside <repo>"`,
    );
  });

  test("a .dockerignore that excludes the Dockerfile names the file, line and pattern, and the fix", async () => {
    const root = await project({ "docker/.dockerignore": "# allow-list\n*\n!app/\n!prepare.sh\n" });
    expect(await failure(load(root), root)).toMatchInlineSnapshot(
      `"ImageConfigError: dockerfile: <repo>/docker/.dockerignore:2 excludes the Dockerfile "Dockerfile" from the build context (pattern "*"); the Dockerfile must be part of what is sent and hashed. Fix: add the line "!Dockerfile" after that pattern in .dockerignore"`,
    );
  });

  test("both dockerfile and environment-file are a caller's mistake (the front ends refuse them), never a build", async () => {
    const error = await ensureImage({ dockerfile: "Dockerfile", environmentFile: "environment.yml" }).then(
      () => expect.unreachable("no error"),
      (e: unknown) => e as Error,
    );
    expect(error.name).toBe("Error");
    expect(error.message).toContain("both an environment file and a Dockerfile");
  });

  test.each([
    [
      { context: "." },
      `"ImageConfigError: context: context is the build context of a Dockerfile; give dockerfile as well, or remove context"`,
    ],
    [
      {},
      `"ImageConfigError: environment-file: give environment-file (environment.yml, requirements.txt or a lockfile) or dockerfile (your own Dockerfile)"`,
    ],
    [
      { dockerfile: "Dockerfile", baseImage: "python:3.11" },
      `"ImageConfigError: base-image: base-image applies to environment files; with dockerfile, the Dockerfile's FROM and RUN lines decide it"`,
    ],
  ])("%j", async (options, expected) => {
    const error = await ensureImage(options).then(
      () => expect.unreachable("no error"),
      (e: unknown) => e as Error,
    );
    expect(JSON.stringify(`${error.name}: ${error.message}`)).toBe(expected);
  });
});

describe("the content tag", () => {
  test("is dockerfile- and 16 hex digits, the same for the same project", async () => {
    const root = await project();
    const [a, b] = [await load(root), await load(root)];
    expect(a.tag).toMatch(/^dockerfile-[0-9a-f]{16}$/);
    expect(b.contentHash).toBe(a.contentHash);
    expect(a.labels["io.dask-fargate-action.content-hash"]).toBe(a.contentHash);
    expect(a.labels["io.dask-fargate-action.source-file"]).toBe("docker/Dockerfile");
    expect((await archiveContextEntries(a.entries)).equals(await archiveContextEntries(b.entries))).toBe(true);
  });

  test.each([
    ["a context file's content", "docker/app/train.py", "print('train more')\n"],
    ["the Dockerfile", "docker/Dockerfile", `${DOCKERFILE}ENV X=1\n`],
    ["a new context file", "docker/app/extra.py", ""],
    [".dockerignore", "docker/.dockerignore", "data/\n"],
  ])("changes with %s", async (_what, path, text) => {
    const root = await project();
    const before = await load(root);
    await writeFile(join(root, path), text);
    expect((await load(root)).tag).not.toBe(before.tag);
  });

  test.each([
    ["a file in an ignored directory", "docker/data/big.csv"],
    ["an ignored file", "docker/debug.log"],
    ["a file outside the context", "README.md"],
    ["a file inside .git", "docker/.git/index"],
  ])("does not change with %s", async (_what, path) => {
    const root = await project({ [path]: "one" });
    const before = await load(root);
    await writeFile(join(root, path), "two");
    expect((await load(root)).tag).toBe(before.tag);
  });

  test("changes with a file's permission bits (COPY keeps them)", async () => {
    const root = await project();
    const before = await load(root);
    await chmod(join(root, "docker/prepare.sh"), 0o755);
    expect((await load(root)).tag).not.toBe(before.tag);
  });

  test("changes with a build-arg value, a build-arg name and the platform", async () => {
    const root = await project();
    const plain = (await load(root)).tag;
    const tags = [
      (await load(root, { buildArgs: { BASE: "one" } })).tag,
      (await load(root, { buildArgs: { BASE: "two" } })).tag,
      (await load(root, { buildArgs: { OTHER: "one" } })).tag,
      (await load(root, { platform: "linux/arm64" })).tag,
    ];
    expect(new Set([plain, ...tags]).size).toBe(5);
  });

  test("the context defaults to the Dockerfile's directory; a wider context sends more and hashes differently", async () => {
    const root = await project();
    const narrow = await load(root);
    const wide = await load(root, { context: root });
    expect(narrow.dockerfilePath).toBe("Dockerfile");
    expect(wide.dockerfilePath).toBe("docker/Dockerfile");
    expect(wide.tag).not.toBe(narrow.tag);
  });

  test("a Dockerfile outside its context is sent under a fixed name, as the Docker CLI adds one", async () => {
    const root = await project({ "Dockerfile.ci": DOCKERFILE });
    const built = await loadDockerfileProject({
      dockerfile: join(root, "Dockerfile.ci"),
      context: join(root, "docker"),
      workspace: root,
    });
    expect(built.dockerfilePath).toBe(".dockerfile.dask-fargate");
    expect(built.entries.map((e) => e.path)).toContain(".dockerfile.dask-fargate");
  });
});

describe("what the context sends follows Docker's .dockerignore rules", () => {
  const sent = async (files: Record<string, string>, ignore: string) => {
    const root = await repo(files);
    return (await walkContext(root, ignoreRulesFromText(".dockerignore", ignore))).map(
      (e) => `${e.type === "directory" ? "d" : e.type === "symlink" ? "l" : "f"} ${e.path}`,
    );
  };
  const files = {
    "a.txt": "",
    "b.log": "",
    "sub/a.txt": "",
    "sub/b.log": "",
    "sub/keep/x.log": "",
    "docs/readme.md": "",
  };

  test.each([
    // `*` matches within one path component: sub/b.log stays.
    [
      "*.log",
      [
        "f a.txt",
        "d docs",
        "f docs/readme.md",
        "d sub",
        "f sub/a.txt",
        "f sub/b.log",
        "d sub/keep",
        "f sub/keep/x.log",
      ],
    ],
    ["**/*.log", ["f a.txt", "d docs", "f docs/readme.md", "d sub", "f sub/a.txt", "d sub/keep"]],
    // A pattern matches a path or its parents; names are anchored at the context root.
    ["sub", ["f a.txt", "f b.log", "d docs", "f docs/readme.md"]],
    [
      "a.txt",
      [
        "f b.log",
        "d docs",
        "f docs/readme.md",
        "d sub",
        "f sub/a.txt",
        "f sub/b.log",
        "d sub/keep",
        "f sub/keep/x.log",
      ],
    ],
    // An exception re-includes a file below an excluded directory (the directory itself is not sent).
    ["sub\n!sub/keep/x.log", ["f a.txt", "f b.log", "d docs", "f docs/readme.md", "f sub/keep/x.log"]],
    ["*\n!docs", ["d docs", "f docs/readme.md"]],
    [
      "# a comment\n\n  docs/  \n",
      ["f a.txt", "f b.log", "d sub", "f sub/a.txt", "f sub/b.log", "d sub/keep", "f sub/keep/x.log"],
    ],
  ])("%j", async (ignore, expected) => {
    expect(await sent(files, ignore)).toEqual(expected);
  });

  test("symbolic links are sent as links, never followed; .git is never sent", async () => {
    const root = await repo({ "a.txt": "", ".git/config": "[http] extraheader = AUTHORIZATION: basic ***" });
    await symlink("/etc", join(root, "etc-link"));
    const entries = await walkContext(root, undefined);
    expect(entries.map((e) => (e.type === "symlink" ? `${e.path} -> ${e.target}` : e.path))).toEqual([
      "a.txt",
      "etc-link -> /etc",
    ]);
  });
});

describe("FROM lines not pinned by digest get a notice", () => {
  const digest = `sha256:${"b".repeat(64)}`;
  test.each([
    ["FROM python:3.11-slim\n", ["python:3.11-slim"], 1],
    [`FROM python:3.11-slim@${digest}\n`, [`python:3.11-slim@${digest}`], 0],
    [
      `FROM --platform=linux/amd64 python@${digest} AS build\nFROM build\nCOPY --from=build / /\n`,
      [`python@${digest}`],
      0,
    ],
    ["FROM scratch\n", [], 0],
    [`ARG BASE=python:3.11@${digest}\nFROM \${BASE}\n`, [`python:3.11@${digest}`], 0],
    ["ARG BASE=python:3.11\nFROM $BASE\n", ["python:3.11"], 1],
    ["# escape=`\nFROM `\n  ghcr.io/org/base:1\n", ["ghcr.io/org/base:1"], 1],
    ["from \\\n# a comment inside\n  daskdev/dask:2024.1.0 as base\nfrom base\n", ["daskdev/dask:2024.1.0"], 1],
  ])("%j", (dockerfile, images, count) => {
    const { baseImages, notices } = inspectFromLines(dockerfile, "Dockerfile", {});
    expect(baseImages).toEqual(images);
    expect(notices).toHaveLength(count);
  });

  test("the notice says where, why and how to pin; a build arg overrides the ARG default", () => {
    const { notices } = inspectFromLines("ARG BASE=python:3.11\nFROM $BASE\n", "docker/Dockerfile", {
      BASE: "daskdev/dask:2024.1.0",
    });
    expect(notices).toMatchInlineSnapshot(`
      [
        "docker/Dockerfile:2: FROM $BASE (daskdev/dask:2024.1.0) is not pinned by digest: the content tag covers the Dockerfile's text, not what the registry serves under that tag, so a base that moved upstream is not rebuilt (and a rebuild may get another base); pin it, e.g. FROM daskdev/dask:2024.1.0@sha256:<digest>",
      ]
    `);
  });
});

describe("target: the stage to build", () => {
  const STAGED = `FROM debian:bookworm@sha256:${"a".repeat(64)} AS build\nRUN make\nFROM build AS runtime\nCOPY app/ /app/\n`;

  test("changes the content tag, one per stage", async () => {
    const root = await project({ "docker/Dockerfile": STAGED });
    const tags = [
      (await load(root)).tag,
      (await load(root, { target: "build" })).tag,
      (await load(root, { target: "runtime" })).tag,
    ];
    expect(new Set(tags).size).toBe(3);
    expect((await load(root, { target: "build" })).target).toBe("build");
  });

  test("a stage the Dockerfile does not name is refused with its stages", async () => {
    const root = await project({ "docker/Dockerfile": STAGED });
    expect(await failure(load(root, { target: "test" }), root)).toBe(
      'ImageConfigError: target: docker/Dockerfile has no stage "test"; its stages are build, runtime; give one of them or remove target',
    );
  });

  test("with an environment file it is refused", async () => {
    const error = await ensureImage({ environmentFile: "environment.yml", target: "x" }).then(
      () => expect.unreachable("no error"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe(
      "target: target names a stage of your own Dockerfile; the image generated from an environment file has one stage: remove target",
    );
  });

  test("a secret mount is refused when the project is read, naming the line", async () => {
    const root = await project({
      "docker/Dockerfile": `${DOCKERFILE}RUN --mount=type=secret,id=netrc pip install x\n`,
    });
    expect(await failure(load(root), root)).toMatch(
      /^ImageConfigError: dockerfile: docker\/Dockerfile:5: RUN --mount=type=secret needs a BuildKit session/,
    );
  });
});
