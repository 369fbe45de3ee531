#!/usr/bin/env node
// The notes of a release, from the changelogs changesets writes (packages/*/CHANGELOG.md), checked against the
// tag: every workspace package must be at the tag's version (the fixed group keeps them in step), no changeset
// may be left unreleased, and the version must have notes. A change that touched several packages is listed
// once, with the packages it touched; the lines changesets adds for dependency bumps alone are left out.
// Usage: node scripts/release/notes.mjs vX.Y.Z [REPOSITORY_ROOT] > notes.md
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const KINDS = ["Major Changes", "Minor Changes", "Patch Changes"];

/** The body of `## version` in a changelog, or undefined. */
export function versionSection(changelog, version) {
  const lines = changelog.split("\n");
  const start = lines.findIndex((l) => l.trim() === `## ${version}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The entries of a section per kind: each `- ` item with its continuation lines, dependency-only items left out. */
export function entries(section) {
  const found = [];
  let kind;
  let item;
  const close = () => {
    if (item && kind && !/^- @[^\s]+@\d/.test(item[0])) found.push({ kind, text: item.join("\n").trimEnd() });
    item = undefined;
  };
  for (const line of section.split("\n")) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) {
      close();
      kind = heading[1].trim();
    } else if (line.startsWith("- ")) {
      close();
      item = [line];
    } else if (item && (line.startsWith("  ") || line.trim() === "")) {
      item.push(line);
    } else {
      close();
    }
  }
  close();
  return found;
}

/** Markdown notes for a version from `{ name, changelog }` pairs; throws when there is nothing to say. */
export function releaseNotes(version, changelogs) {
  const byText = new Map();
  for (const { name, changelog } of changelogs) {
    const section = changelog === undefined ? undefined : versionSection(changelog, version);
    if (section === undefined) continue;
    for (const { kind, text } of entries(section)) {
      const key = `${kind}\n${text}`;
      const entry = byText.get(key) ?? { kind, text, packages: [] };
      entry.packages.push(name);
      byText.set(key, entry);
    }
  }
  if (byText.size === 0)
    throw new Error(
      `no changelog has notes for ${version}: add a changeset (npx changeset) and run npx changeset version`,
    );
  const out = [];
  const kinds = [...KINDS, ...new Set([...byText.values()].map((e) => e.kind).filter((k) => !KINDS.includes(k)))];
  for (const kind of kinds) {
    const list = [...byText.values()].filter((e) => e.kind === kind);
    if (list.length === 0) continue;
    out.push(`## ${kind}`, "");
    for (const e of list) out.push(`${e.text} (${e.packages.join(", ")})`);
    out.push("");
  }
  return out.join("\n");
}

async function main(tag, root = join(dirname(fileURLToPath(import.meta.url)), "..", "..")) {
  const match = /^v(\d+\.\d+\.\d+)$/.exec(tag ?? "");
  if (!match) throw new Error(`"${tag ?? ""}" is not a release tag: use vMAJOR.MINOR.PATCH, e.g. v1.2.3`);
  const version = match[1];
  const problems = [];
  const changelogs = [];
  for (const dir of (await readdir(join(root, "packages"))).sort()) {
    const manifest = JSON.parse(await readFile(join(root, "packages", dir, "package.json"), "utf8"));
    if (manifest.version !== version) problems.push(`${manifest.name} is at ${manifest.version}, not ${version}`);
    const changelog = await readFile(join(root, "packages", dir, "CHANGELOG.md"), "utf8").catch(() => undefined);
    changelogs.push({ name: manifest.name, changelog });
  }
  const pending = (await readdir(join(root, ".changeset"))).filter((n) => n.endsWith(".md") && n !== "README.md");
  if (pending.length > 0) problems.push(`unreleased changesets in .changeset: ${pending.join(", ")}`);
  if (problems.length > 0)
    throw new Error(
      `${tag} does not match the repository:\n- ${problems.join("\n- ")}\nRun npx changeset version, commit, and tag that commit.`,
    );
  return releaseNotes(version, changelogs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(await main(process.argv[2], process.argv[3]));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
