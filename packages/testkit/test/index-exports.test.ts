import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

// A package's index is its public API: what other packages, the CLI, the benchmarks and the package's README use.
// Each value it exports must be imported by name from outside the package or named in its README; a package's own
// tests import its modules directly. Types are not counted: they describe the exported functions' inputs and results.

const root = fileURLToPath(new URL("../../../", import.meta.url));
const PACKAGES = ["image", "emulator", "pipeline"];

/** The values (not types) `packages/<pkg>/src/index.ts` exports, by their exported name. */
function exportedValues(pkg: string): string[] {
  const index = readFileSync(join(root, "packages", pkg, "src", "index.ts"), "utf8");
  const values: string[] = [];
  for (const match of index.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s+from/g)) {
    if (match[1]) continue;
    for (const item of (match[2] ?? "").split(",").map((s) => s.trim())) {
      if (item === "" || item.startsWith("type ")) continue;
      values.push(item.split(" as ").pop()?.trim() ?? item);
    }
  }
  return values;
}

/** Every name imported from `@dask-fargate-action/<pkg>` by a source, test, benchmark or script outside the package. */
function importedFromOutside(pkg: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!["node_modules", "dist", ".turbo", "fixtures"].includes(entry.name) && path !== `packages/${pkg}`)
          walk(path);
      } else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) {
        const text = readFileSync(join(root, path), "utf8");
        for (const match of text.matchAll(
          new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+"@dask-fargate-action/${pkg}"`, "g"),
        )) {
          for (const item of (match[1] ?? "").split(","))
            names.add(
              item
                .replace(/^\s*type\s+/, "")
                .split(" as ")[0]
                ?.trim() ?? "",
            );
        }
      }
    }
  };
  for (const top of ["packages", "scripts", "examples"]) walk(top);
  return names;
}

test.each(PACKAGES)("every value %s's index exports is used outside the package or named in its README", (pkg) => {
  const used = importedFromOutside(pkg);
  const readme = readFileSync(join(root, "packages", pkg, "README.md"), "utf8");
  const values = exportedValues(pkg);
  expect(values.length).toBeGreaterThan(0);
  const unused = values.filter((name) => !used.has(name) && !new RegExp(`\\b${name}\\b`).test(readme));
  expect(unused, `exported by packages/${pkg}/src/index.ts but used by no other package and not in its README`).toEqual(
    [],
  );
});
