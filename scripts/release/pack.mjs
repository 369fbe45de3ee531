#!/usr/bin/env node
// Packs every public workspace package (no "private": true) with `npm pack` into DEST and checks what users
// would install: each tarball's own dependencies on the project's packages are the exact versions packed
// beside it (never a private package, a workspace or file: spec, or a range), and every package has the
// same version (changesets' fixed group keeps them in step). Prints the tarballs' paths, one a line.
// Usage: node scripts/release/pack.mjs DEST
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function workspacePackages() {
  const names = (await readdir(join(root, "packages"))).sort();
  const manifests = [];
  for (const name of names) {
    const dir = join(root, "packages", name);
    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    manifests.push({ dir, manifest });
  }
  return manifests;
}

/** Problems with the public packages' manifests, as sentences; empty when they are fit to pack. */
export function manifestProblems(packages) {
  const problems = [];
  const byName = new Map(packages.map((p) => [p.manifest.name, p.manifest]));
  const published = packages.filter((p) => !p.manifest.private);
  const versions = new Set(published.map((p) => p.manifest.version));
  if (versions.size > 1)
    problems.push(
      `the public packages have different versions (${[...versions].join(", ")}); run npx changeset version`,
    );
  for (const { manifest } of published) {
    const where = `${manifest.name} (package.json)`;
    if (!Array.isArray(manifest.files) || manifest.files.length === 0)
      problems.push(`${where}: "files" must list what the tarball ships`);
    if (!manifest.engines?.node) problems.push(`${where}: "engines.node" must say which Node it runs on`);
    if (manifest.license !== "MIT") problems.push(`${where}: "license" must be MIT, as LICENSE says`);
    for (const [dep, spec] of Object.entries(manifest.dependencies ?? {})) {
      const own = byName.get(dep);
      if (!own) continue;
      if (own.private)
        problems.push(`${where}: depends on the private package ${dep}; make it public or a devDependency`);
      else if (spec !== own.version)
        problems.push(`${where}: depends on ${dep}@${spec}, not the exact version packed beside it (${own.version})`);
    }
  }
  return problems;
}

export async function packPublic(dest) {
  const packages = await workspacePackages();
  const problems = manifestProblems(packages);
  if (problems.length > 0) throw new Error(`cannot pack:\n- ${problems.join("\n- ")}`);
  await mkdir(dest, { recursive: true });
  const published = packages.filter((p) => !p.manifest.private).map((p) => p.manifest.name);
  // One npm for all of them: each npm start costs seconds on a busy machine.
  const workspaces = published.flatMap((name) => ["--workspace", name]);
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dest, ...workspaces], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const tarballs = [];
  for (const packed of JSON.parse(stdout)) {
    if (packed.files.some((f) => f.path.startsWith("src/") || f.path.startsWith("test/"))) {
      throw new Error(`${packed.name}: the tarball holds sources or tests; fix "files" in its package.json`);
    }
    tarballs.push(join(dest, packed.filename));
  }
  if (tarballs.length !== published.length)
    throw new Error(`npm pack made ${tarballs.length} tarballs for ${published.length} packages`);
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (!dest) {
    console.error("usage: node scripts/release/pack.mjs DEST");
    process.exit(2);
  }
  try {
    for (const tarball of await packPublic(resolve(dest))) console.log(tarball);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
