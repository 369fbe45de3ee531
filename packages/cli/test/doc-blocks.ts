import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The documentation whose shell blocks are tests: the root README, the pages under docs/ and the packages'
 * READMEs, as paths from the repository root. Blocks move between these files freely: every test that runs
 * blocks collects them from all of them (`runByBlocks`), and readme-blocks.test.ts pins how many each file has.
 */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function markdownUnder(dir: string): string[] {
  if (!existsSync(join(repoRoot, dir))) return [];
  return readdirSync(join(repoRoot, dir), { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? markdownUnder(`${dir}/${entry.name}`)
        : entry.name.endsWith(".md")
          ? [`${dir}/${entry.name}`]
          : [],
    )
    .sort();
}

export const DOC_FILES: readonly string[] = [
  "README.md",
  ...markdownUnder("docs"),
  ...readdirSync(join(repoRoot, "packages"))
    .sort()
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => existsSync(join(repoRoot, f))),
];

export interface ShellBlock {
  /** The file, from the repository root. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The info string after the language: empty, `run-by=FILE` or `check-only (why)`. */
  readonly info: string;
  readonly text: string;
}

/** The shell blocks (sh, bash, shell, console) of one documentation file. */
export function shellBlocks(file: string): ShellBlock[] {
  const lines = readFileSync(join(repoRoot, file), "utf8").split("\n");
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(sh|bash|shell|console)\b(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    blocks.push({ file, line: i + 1, info: (open[2] ?? "").trim(), text: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

/** Every shell block of the documentation. */
export const allShellBlocks = (): ShellBlock[] => DOC_FILES.flatMap(shellBlocks);

/** The blocks whose info string is `run-by=` the given test file (a path from the repository root), wherever they are. */
export const runByBlocks = (runner: string): ShellBlock[] =>
  allShellBlocks().filter((b) => b.info === `run-by=${runner}`);
