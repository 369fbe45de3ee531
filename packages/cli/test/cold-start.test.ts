import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));

/** Every module main.ts loads before it runs a command: its static imports, followed through our own files. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(file, "utf8");
  // `import type` is erased by the compiler; `await import(...)` is loaded only when a command runs.
  for (const [, specifier] of text.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms)) {
    if (!specifier || seen.has(specifier)) continue;
    seen.add(specifier);
    if (specifier.startsWith(".")) staticImports(join(dirname(file), specifier.replace(/\.js$/, ".ts")), seen);
  }
  return seen;
}

test("--help and a bad flag load no command module, no AWS SDK and no Docker client (cold start)", () => {
  const loaded = [...staticImports(join(src, "main.ts"))].sort();
  // Core's settings entry is light (core's light-entries test): the table, its reader and their validators, no AWS SDK, no dockerode.
  expect(loaded).toEqual(["./flags.js", "./help.js", "@dask-fargate-action/core/settings", "node:util"]);
});
