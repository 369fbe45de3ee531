import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { archiveBuildContext } from "../src/build-context-archive.js";
import { type BuildContext, loadEnvironment, type RenderOptions, renderBuildContext } from "../src/index.js";
import { parseEnvironment } from "../src/load-environment.js";

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/golden/${path}`, import.meta.url));
const example = (path: string) => fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));

/** The whole context as one text: every file, then the tag. */
function describeContext(context: BuildContext): string {
  const parts = [...context.files.keys()]
    .sort()
    .map((path) => `=== ${path} ===\n${context.files.get(path)?.toString("utf8")}`);
  return `${parts.join("\n")}=== tag ===\n${context.tag}\n`;
}

const goldens: [string, string, RenderOptions][] = [
  ["tutorial", example("environment.yml"), {}],
  ["arm64", fixture("arm64/environment.yml"), { platform: "linux/arm64" }],
  ["requirements-micromamba", fixture("requirements-micromamba/requirements.txt"), {}],
  [
    "requirements-pip",
    fixture("requirements-pip/requirements.txt"),
    { baseImage: "dask-fargate-action/offline-dask:bookworm" },
  ],
  ["explicit", fixture("explicit/conda-linux-64.lock"), {}],
  [
    "variables-git",
    fixture("variables-git/environment.yml"),
    {
      baseImage: "mambaorg/micromamba:2.0.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      buildArgNames: ["PIP_INDEX_URL"],
      labels: { "com.example.team": "forecasting" },
    },
  ],
];

describe("golden build contexts", () => {
  test.each(goldens)("%s", async (name, path, options) => {
    const platform = options.platform ?? "linux/amd64";
    const context = renderBuildContext(await loadEnvironment(path, platform), options);
    await expect(describeContext(context)).toMatchFileSnapshot(`./__golden__/${name}.context.txt`);
  });
});

describe("determinism", () => {
  test("the same input renders byte-identical files and archives", async () => {
    const a = renderBuildContext(await loadEnvironment(example("environment.yml")));
    const b = renderBuildContext(await loadEnvironment(example("environment.yml")));
    expect(describeContext(a)).toBe(describeContext(b));
    expect((await archiveBuildContext(a.files)).equals(await archiveBuildContext(b.files))).toBe(true);
  });

  test("reordering keys, dependencies and pip requirements keeps the hash", () => {
    const one =
      "name: x\nchannels: [conda-forge]\ndependencies:\n  - python=3.12\n  - numpy>=1.26\n  - dask=2024.8\n  - pip:\n    - xgboost==2.1.1\n    - rich\nvariables:\n  A: '1'\n  B: '2'\n";
    const two =
      "variables:\n  B: '2'\n  A: '1'\ndependencies:\n  - pip:\n    - rich\n    - XGBoost==2.1.1\n  - dask =2024.8\n  - NumPy >= 1.26\n  - python=3.12\nchannels: [conda-forge]\nname: x\n";
    expect(renderBuildContext(parseEnvironment("environment.yml", two)).contentHash).toBe(
      renderBuildContext(parseEnvironment("environment.yml", one)).contentHash,
    );
  });

  test("changing a version, the base image, the platform or a variable changes the hash", () => {
    const text = "channels: [conda-forge]\ndependencies:\n  - dask=2024.8\n  - numpy=1.26\n";
    const hash = (t: string, options: RenderOptions = {}) =>
      renderBuildContext(parseEnvironment("environment.yml", t), options).contentHash;
    const base = hash(text);
    const variants = [
      hash(text.replace("numpy=1.26", "numpy=1.25")),
      hash(text, { baseImage: "mambaorg/micromamba:2.0.4" }),
      hash(text, { platform: "linux/arm64" }),
      hash(`${text}variables:\n  A: '1'\n`),
      hash(text.replace("[conda-forge]", "[conda-forge, bioconda]")),
      hash(text, { buildArgNames: ["PIP_INDEX_URL"] }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  test("channel order is kept: it sets channel priority", () => {
    const a = renderBuildContext(
      parseEnvironment("environment.yml", "channels: [conda-forge, bioconda]\ndependencies: [dask]\n"),
    );
    const b = renderBuildContext(
      parseEnvironment("environment.yml", "channels: [bioconda, conda-forge]\ndependencies: [dask]\n"),
    );
    expect(a.contentHash).not.toBe(b.contentHash);
  });

  test("the tag is env- and the first 16 hex digits of the content hash", () => {
    const context = renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"));
    expect(context.tag).toBe(`env-${context.contentHash.slice(0, 16)}`);
    expect(context.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** The Dockerfile's instructions, continuation lines joined. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, "")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
}

describe("the build directory is removed in the RUN that installs from it", () => {
  const buildDir = "/tmp/dask-fargate-build";
  const wheel = { contextPath: "local/wheels/pkg-1.0-py3-none-any.whl", content: Buffer.from("wheel") };
  const lockfile = [
    "@EXPLICIT",
    "https://conda.anaconda.org/conda-forge/linux-64/dask-core-2024.8.2-py_0.conda",
    "https://conda.anaconda.org/conda-forge/noarch/distributed-2024.8.2-pyhd8ed1ab_0.conda",
  ].join("\n");
  const cases: [string, string, string, RenderOptions, boolean][] = [
    ["conda only", "environment.yml", "dependencies: [dask]\n", {}, false],
    [
      "conda and pip with a local wheel",
      "environment.yml",
      "dependencies:\n  - dask\n  - pip:\n    - ./wheels/pkg-1.0-py3-none-any.whl\n",
      {},
      true,
    ],
    ["requirements on micromamba", "requirements.txt", "dask\n./wheels/pkg-1.0-py3-none-any.whl\n", {}, true],
    ["explicit lockfile", "conda.lock", lockfile, {}, false],
    [
      "requirements on a pip base",
      "requirements.txt",
      "dask\n./wheels/pkg-1.0-py3-none-any.whl\n",
      { baseImage: "python:3.12-slim" },
      true,
    ],
  ];
  test.each(cases)("%s", (_, file, text, options, local) => {
    const spec = parseEnvironment(file, text);
    const context = renderBuildContext(local ? { ...spec, localFiles: [wheel] } : spec, options);
    let present = false;
    for (const instruction of instructions(context.dockerfile)) {
      if (instruction.startsWith("COPY ") && instruction.includes(` ${buildDir}/`)) present = true;
      if (instruction.startsWith("RUN ") && instruction.includes(buildDir)) {
        // Removed in the same instruction (so the same layer) that reads it, as its last command.
        expect(instruction).toMatch(new RegExp(` && rm -rf ${buildDir}$`));
        present = false;
      }
    }
    expect(present).toBe(false);
  });
});

describe("user text never reaches a RUN line", () => {
  test("RUN instructions are the same for harmless and hostile environments of the same shape", () => {
    const runs = (text: string, labels: Record<string, string>) =>
      instructions(
        renderBuildContext(parseEnvironment("environment.yml", text), { labels, buildArgNames: ["PIP_INDEX_URL"] })
          .dockerfile,
      ).filter((l) => l.startsWith("RUN "));
    const plain = runs("name: x\ndependencies:\n  - dask\n  - pip:\n    - rich\nvariables:\n  A: '1'\n", {
      "com.example.team": "a",
    });
    const hostile = runs(
      [
        "name: '$(curl evil)'",
        "channels: ['https://conda.example.com/$(id)`id`']",
        "dependencies:",
        "  - dask",
        "  - pip:",
        "    - 'evil @ https://example.com/x.whl?a=$(id)&b=`id`'",
        "variables:",
        `  EVIL: '"; rm -rf / #\\'`,
      ].join("\n"),
      { "com.example.team": "$(id) `id` \\" },
    );
    expect(hostile).toEqual(plain);
  });

  test("hostile names and values stay in COPY'd files or escaped ENV/LABEL values", () => {
    const text = [
      "name: '$(curl evil)'",
      "dependencies:",
      "  - dask",
      "  - pip:",
      "    - 'evil @ https://example.com/x.whl?$(id)'",
      "variables:",
      `  EVIL: '"; rm -rf / #'`,
    ].join("\n");
    const context = renderBuildContext(parseEnvironment("environment.yml", text));
    const runLines = context.dockerfile.split("\n").filter((l) => /^(RUN|\s{4}(&&|\|\|))/.test(l));
    for (const line of runLines) {
      // The fixed "rm -rf /tmp/dask-fargate-build" is ours; the hostile value is "rm -rf / #".
      expect(line).not.toMatch(/evil|rm -rf \/ |\$\(/);
    }
    expect(context.dockerfile).toContain('ENV EVIL="\\"; rm -rf / #"');
    expect(context.files.get("requirements.txt")?.toString()).toContain("$(id)");
  });

  test("a pip base cannot take a conda environment", () => {
    expect(() =>
      renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"), {
        baseImage: "python:3.12-slim",
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ImageConfigError: base-image: "python:3.12-slim" has no conda, so it can only install a pip requirements file, not environment.yml; use a micromamba base image (e.g. mambaorg/micromamba:2.0.5) or a requirements.txt]`,
    );
  });

  test("an unpinned base image is refused", () => {
    expect(() =>
      renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"), {
        baseImage: "mambaorg/micromamba",
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ImageConfigError: base-image: "mambaorg/micromamba" is not pinned; add a tag or a digest, e.g. mambaorg/micromamba:2.0.5]`,
    );
  });
});
