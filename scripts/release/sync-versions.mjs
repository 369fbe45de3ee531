#!/usr/bin/env node
// After `changeset version`: writes each package's new version into the source constants that must equal its
// package.json (core's CORE_VERSION for the AWS user agent; core has a test that keeps them equal). The action
// bundle must be rebuilt after it. Image's GENERATOR_VERSION is not one of them: it is part of every image's
// content hash, so it moves only when what the generator renders changes (packages/image/test/generator-version.test.ts),
// and a release that changes nothing in the image does not make every user rebuild.
// Usage: node scripts/release/sync-versions.mjs [REPOSITORY_ROOT]
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const VERSION_CONSTANTS = [{ pkg: "core", file: "src/version.ts", constant: "CORE_VERSION" }];

export async function syncVersions(root) {
  const changed = [];
  for (const { pkg, file, constant } of VERSION_CONSTANTS) {
    const { version } = JSON.parse(await readFile(join(root, "packages", pkg, "package.json"), "utf8"));
    const path = join(root, "packages", pkg, file);
    const source = await readFile(path, "utf8");
    const pattern = new RegExp(`(export const ${constant} = )"[^"]*";`);
    if (!pattern.test(source))
      throw new Error(`packages/${pkg}/${file}: no \`export const ${constant} = "...";\` to update`);
    const updated = source.replace(pattern, `$1${JSON.stringify(version)};`);
    if (updated !== source) {
      await writeFile(path, updated);
      changed.push(`packages/${pkg}/${file}: ${constant} = ${version}`);
    }
  }
  return changed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  try {
    const changed = await syncVersions(root);
    console.log(changed.length > 0 ? changed.join("\n") : "the version constants already match package.json");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
