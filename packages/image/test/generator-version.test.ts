import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { loadEnvironment, type RenderOptions, renderBuildContext } from "../src/index.js";
import { GENERATOR_VERSION } from "../src/version.js";

// GENERATOR_VERSION is part of every image's content hash: a new value rebuilds every user's image, an unchanged
// value after a change in what is rendered would reuse images built the old way. So the version and the rendered
// output move together: each version maps to the digest of what it renders for fixed inputs (the version's own
// text taken out, and the tags, which follow from it). A failure here means: bump GENERATOR_VERSION in
// src/version.ts and add the new digest below (keep the old lines: they are the history).
const RENDERED_BY_VERSION: Readonly<Record<string, string>> = {
  "0.1.0": "2194fb6a23d67241d57a98b9d7ab5bf6bd720461a75d7777752197d26f41bd66",
};

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/golden/${path}`, import.meta.url));
const example = (path: string) => fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));

const inputs: [string, RenderOptions][] = [
  [example("environment.yml"), {}],
  [fixture("arm64/environment.yml"), { platform: "linux/arm64" }],
  [fixture("requirements-micromamba/requirements.txt"), {}],
  [fixture("requirements-pip/requirements.txt"), { baseImage: "dask-fargate-action/offline-dask:bookworm" }],
  [fixture("explicit/conda-linux-64.lock"), {}],
  [
    fixture("variables-git/environment.yml"),
    { buildArgNames: ["PIP_INDEX_URL"], labels: { "com.example.team": "forecasting" } },
  ],
];

async function renderedDigest(): Promise<string> {
  const hash = createHash("sha256");
  for (const [path, options] of inputs) {
    const context = renderBuildContext(await loadEnvironment(path, options.platform ?? "linux/amd64"), options);
    for (const name of [...context.files.keys()].sort()) {
      const text = (context.files.get(name) ?? Buffer.alloc(0))
        .toString("utf8")
        .replaceAll(GENERATOR_VERSION, "<generator-version>");
      hash.update(`${name}\n${text}\n`);
    }
  }
  return hash.digest("hex");
}

test("what the generator renders changes only with a new GENERATOR_VERSION", async () => {
  const digest = await renderedDigest();
  expect(
    RENDERED_BY_VERSION[GENERATOR_VERSION],
    `the rendered build for GENERATOR_VERSION ${GENERATOR_VERSION} is ${digest}: if what the generator renders changed, bump GENERATOR_VERSION and record the digest`,
  ).toBe(digest);
});

test("no two versions render the same (a bump without a change rebuilds every image for nothing)", () => {
  const digests = Object.values(RENDERED_BY_VERSION);
  expect(new Set(digests).size).toBe(digests.length);
});
