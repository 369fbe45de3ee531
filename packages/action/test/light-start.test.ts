import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

// Issue 13: the bundle evaluates every module main and post import statically before their first line, so
// those must stay light: the inputs, the runner's I/O and core's settings reader (@dask-fargate-action/core/settings,
// over core's validators and the branded-error helper @dask-fargate-action/errors their errors build on),
// not core's index (the AWS SDK clients, dockerode), the image builder or the pipeline, which main loads with
// import() after its first line.
const src = fileURLToPath(new URL("../src/", import.meta.url));
const packages = resolve(src, "../..");

/** Core's source behind one of its subpaths, from its `exports` map (`./dist/x.js` is built from `src/x.ts`). */
function coreSubpathSource(specifier: string): string | undefined {
  const subpath = `.${specifier.slice("@dask-fargate-action/core".length)}`;
  const exports = JSON.parse(readFileSync(resolve(packages, "core/package.json"), "utf8")).exports as Record<
    string,
    { import: string }
  >;
  const built = exports[subpath]?.import;
  return built ? resolve(packages, "core", built.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")) : undefined;
}

/**
 * The modules `entry` loads before it runs, following static imports (not `import()`, not `import type`), into
 * core's sources where a core subpath is imported.
 */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...[...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+"([^"]+)"/gm)].map((m) => m[1] ?? ""),
      ...[...text.matchAll(/^import\s+"([^"]+)"/gm)].map((m) => m[1] ?? ""),
    ];
    for (const specifier of specifiers) {
      const core = specifier.startsWith("@dask-fargate-action/core/") ? coreSubpathSource(specifier) : undefined;
      if (core) {
        visit(core);
        continue;
      }
      // The branded-error helper core's errors build on: followed into its source, which must stay light too.
      if (specifier === "@dask-fargate-action/errors") {
        visit(resolve(packages, "errors/src/index.ts"));
        continue;
      }
      if (!specifier.startsWith(".")) {
        external.add(specifier);
        continue;
      }
      const target = resolve(dirname(file), specifier);
      const ts = target.replace(/\.js$/, ".ts");
      visit(existsSync(ts) ? ts : target);
    }
  };
  visit(resolve(src, entry));
  return { files: [...files].map((f) => relative(packages, f)).sort(), packages: [...external].sort() };
}

test.each(["entry-main.ts", "entry-post.ts"])("%s loads only light modules before its first line", (entry) => {
  const graph = staticGraph(entry);
  expect(graph.packages.filter((p) => !p.startsWith("node:"))).toEqual(["@actions/core"]);
  // Core is reached through its light subpath only (main's inputs): its settings reader, which imports only node: modules and core's validators.
  if (entry === "entry-main.ts") expect(graph.files).toContain("core/src/settings/index.ts");
  expect(
    graph.files.filter(
      (f) => !f.startsWith("action/src/") && !f.startsWith("core/src/") && f !== "errors/src/index.ts",
    ),
  ).toEqual([]);
  expect(graph.files).not.toContain("core/src/index.ts");
});

test("main loads the commands, and post core's backend factory, with import() after the first line", () => {
  expect(readFileSync(resolve(src, "main.ts"), "utf8")).toContain('await import("./commands.js")');
  expect(readFileSync(resolve(src, "post.ts"), "utf8")).toContain('import("@dask-fargate-action/core/backend")');
});
