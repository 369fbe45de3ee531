import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

// Tests, benchmarks and configs reach another package only by its name (`@dask-fargate-action/testkit/...`,
// `@dask-fargate-action/core`), never by a relative path into its folder: what several packages' tests share lives
// in the testkit, and a package's test folder is its own.

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Relative module paths and file URLs in `text`: imports, dynamic imports, `new URL(..., import.meta.url)`. */
const SPECIFIERS = [
  /\bfrom\s+"(\.{1,2}\/[^"]+)"/g,
  /\bimport\(\s*"(\.{1,2}\/[^"]+)"/g,
  /new URL\(\s*"(\.{1,2}\/[^"]*)",\s*import\.meta\.url/g,
];
/** In configs (vitest's setup files, tsconfig's include), every string that starts with `../`. */
const CONFIG_PATHS = [/"(\.\.\/[^"]*)"/g];

/** The package folder (`packages/<name>`) a repository path is in, or undefined outside packages/. */
function packageOf(path: string): string | undefined {
  const parts = relative(root, path).split(sep);
  return parts[0] === "packages" && parts[1] ? `packages/${parts[1]}` : undefined;
}

/** The references in one file (its path relative to the repository) that land in another package's folder. */
function crossPackageReferences(file: string, text: string): string[] {
  const isConfig = /(^|\/)(vitest[^/]*\.config\.ts|tsconfig[^/]*\.json)$/.test(file);
  const own = packageOf(join(root, file));
  const found: string[] = [];
  for (const pattern of isConfig ? [...SPECIFIERS, ...CONFIG_PATHS] : SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const spec = match[1] ?? "";
      // Config paths are relative to the config's folder, module paths and URLs to the file's.
      const target = packageOf(resolve(root, dirname(file), spec));
      if (target !== undefined && target !== own) found.push(`${file}: "${spec}" reaches into ${target}`);
    }
  }
  return found;
}

/** The repository's TypeScript and JavaScript sources, tests, benchmarks, scripts and configs. */
function sources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!["node_modules", "dist", ".git", ".turbo", "fixtures", "__golden__", "__snapshots__"].includes(entry.name))
          walk(path);
      } else if (/\.(ts|mts|js|mjs)$/.test(entry.name) || /^tsconfig.*\.json$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const top of ["packages", "scripts", "examples"]) walk(top);
  // This file's own samples of what is refused.
  return files.filter((file) => file !== "packages/testkit/test/package-boundaries.test.ts");
}

describe("no test, benchmark or config reaches into another package by a relative path", () => {
  test("the repository has none", () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => crossPackageReferences(file, readFileSync(join(root, file), "utf8")))).toEqual([]);
  });

  test("each kind of reach is found: an import, a dynamic import, a file URL, a config path, a script's import", () => {
    expect(
      crossPackageReferences(
        "packages/cli/test/a.itest.ts",
        'import { awsLeftovers } from "../../core/test/integration/aws-state.js";\n',
      ),
    ).toHaveLength(1);
    expect(
      crossPackageReferences(
        "packages/cli/test/a.itest.ts",
        'const m = await import("../../image/test/helpers.js");\n',
      ),
    ).toHaveLength(1);
    expect(
      crossPackageReferences("packages/cli/test/a.itest.ts", 'new URL("../../image/test/fixtures/x", import.meta.url)'),
    ).toHaveLength(1);
    expect(
      crossPackageReferences(
        "packages/cli/vitest.integration.config.ts",
        'globalSetup: ["../core/test/integration/global-setup.ts"]',
      ),
    ).toHaveLength(1);
    expect(
      crossPackageReferences("packages/cli/tsconfig.json", '"include": ["src", "../core/test/x.d.ts"]'),
    ).toHaveLength(1);
    expect(
      crossPackageReferences(
        "scripts/bench/a.ts",
        'import { startRegistry } from "../../packages/image/test/integration/registry-server.js";',
      ),
    ).toHaveLength(1);
  });

  test("a package's own files, the repository's scripts and examples, and imports by name are allowed", () => {
    expect(
      crossPackageReferences(
        "packages/cli/test/a.itest.ts",
        'import { x } from "../src/x.js";\nimport { y } from "./helpers.js";\n',
      ),
    ).toEqual([]);
    expect(
      crossPackageReferences(
        "packages/core/test/integration/a.ts",
        'import { LABEL } from "../../src/internal/labels.js";',
      ),
    ).toEqual([]);
    expect(
      crossPackageReferences(
        "packages/cli/test/a.itest.ts",
        'new URL("../../../examples/train_xgboost.py", import.meta.url)',
      ),
    ).toEqual([]);
    expect(
      crossPackageReferences(
        "packages/cli/test/a.itest.ts",
        'import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";',
      ),
    ).toEqual([]);
    expect(
      crossPackageReferences(
        "packages/cli/vitest.integration.config.ts",
        'globalSetup: ["@dask-fargate-action/testkit/global-setup"]',
      ),
    ).toEqual([]);
  });
});
