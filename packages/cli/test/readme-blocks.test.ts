import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type CommandName, isCommandName, parseFlags } from "../src/flags.js";
import { HELP } from "../src/help.js";
import { allShellBlocks, DOC_FILES, repoRoot } from "./doc-blocks.js";

/**
 * Docs are tests: every shell block of README.md, the pages under docs/ and the packages' READMEs says how it is
 * checked, in its info string. `sh` alone is only the README's first block (the two commands .ci/run runs as
 * written); `sh run-by=FILE` is run by that test file, which must exist and collect blocks from every doc
 * (doc-blocks.ts) or name the block's file; `sh check-only (why)` cannot run here (AWS, internet) and is checked
 * for shell syntax (bash -n) and for `dask-fargate` flags that exist. Every block of every kind gets the syntax
 * and flag checks, and the blocks per file are pinned below, so none drops out of these tests unnoticed.
 */
const blocks = allShellBlocks();

/**
 * How each file's blocks are checked, in order. A block moved to another file moves here too; a block that
 * disappears, or a file no longer collected, fails the test.
 */
const EXPECTED_BLOCKS: Record<string, string[]> = {
  "README.md": [
    "",
    "check-only (needs internet: pip downloads into python:3.11-slim)",
    "run-by=packages/cli/test/readme-aws-setup.itest.ts",
    "check-only (needs the GitHub CLI and your repository)",
    "run-by=packages/cli/test/readme-aws-blocks.itest.ts",
    "check-only (the build resolves environment.yml from conda channels on the micromamba base image and pushes to a registry Fargate pulls from; the Rehearse offline block runs the offline equivalent)",
    "run-by=packages/cli/test/readme-rehearsal.itest.ts",
  ],
  "docs/iam.md": [
    "run-by=packages/cli/test/readme-aws-blocks.itest.ts",
    "run-by=packages/cli/test/readme-aws-blocks.itest.ts",
  ],
  "docs/install.md": [
    "check-only (needs a release's tarballs; packages/cli/test/install.itest.ts runs these steps on freshly packed ones)",
  ],
  "packages/emulator/README.md": [
    "check-only (needs a release's tarball; packages/cli/test/install.itest.ts installs and starts a freshly packed one)",
    "check-only (starts a server that runs until Ctrl-C; the rehearsal test starts it the same way)",
    "check-only (settings for the commands that follow)",
    "check-only (the emulator's own test suites)",
  ],
};

/** The `dask-fargate` invocations in shell text (also as `node packages/cli/dist/main.js` and `npx dask-fargate`), as argument lists. */
export function cliInvocations(text: string): string[][] {
  const joined = text.replace(/\\\n/g, " ");
  const calls: string[][] = [];
  const starts =
    /(?:^|[\s(;&|`])(?:npx (?:--no-install )?dask-fargate|dask-fargate|node packages\/cli\/dist\/main\.js)(?=\s)/g;
  for (const match of joined.matchAll(starts)) {
    const args: string[] = [];
    let token = "";
    let inToken = false;
    let quote: string | undefined;
    let depth = 0;
    for (let i = (match.index ?? 0) + match[0].length; i < joined.length; i++) {
      const c = joined[i] ?? "";
      if (quote) {
        if (c === quote && depth === 0) quote = undefined;
        else token += c;
        if (c === "(" && joined[i - 1] === "$") depth++;
        if (c === ")" && depth > 0) depth--;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        inToken = true;
        continue;
      }
      if (c === "$" && joined[i + 1] === "(") {
        // A command substitution is one value here.
        let level = 0;
        let j = i + 1;
        for (; j < joined.length; j++) {
          if (joined[j] === "(") level++;
          if (joined[j] === ")" && --level === 0) break;
        }
        token += joined.slice(i, j + 1);
        inToken = true;
        i = j;
        continue;
      }
      if (c === "\n" || c === "|" || c === ";" || c === "&" || c === ">" || c === ")" || c === "#") break;
      if (/\s/.test(c)) {
        if (inToken) args.push(token);
        token = "";
        inToken = false;
        continue;
      }
      token += c;
      inToken = true;
    }
    if (inToken) args.push(token);
    calls.push(args);
  }
  return calls;
}

/** Parses one invocation as the CLI would; returns the command name. */
function checkInvocation(args: string[]): CommandName | "--help" {
  const [name, ...rest] = args;
  // `dask-fargate --help` (or -h) alone prints the usage, as main.ts does.
  if ((name === "--help" || name === "-h") && rest.length === 0) return "--help";
  if (!name || !isCommandName(name)) throw new Error(`"${name}" is not a dask-fargate command`);
  parseFlags(name, rest);
  return name;
}

describe("the shell blocks of the README, docs/ and the packages' READMEs", () => {
  test("there are blocks, and the first one of README.md is the plain sh block .ci/run runs", () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks[0]).toMatchObject({ file: "README.md", line: 8, info: "" });
  });

  test("the docs collected are README.md, every page under docs/ and the packages' READMEs", () => {
    expect(DOC_FILES[0]).toBe("README.md");
    for (const page of [
      "docs/iam.md",
      "docs/install.md",
      "docs/security.md",
      "docs/reliability.md",
      "packages/cli/README.md",
    ])
      expect(DOC_FILES).toContain(page);
  });

  test("each file has the blocks pinned here, checked as pinned: none dropped out of the tests", () => {
    const found: Record<string, string[]> = {};
    for (const block of blocks) found[block.file] = [...(found[block.file] ?? []), block.info];
    expect(found).toEqual(EXPECTED_BLOCKS);
  });

  test("every run-by test file runs as many blocks as it is given, and only the plain first block has no runner", () => {
    const byRunner = new Map<string, number>();
    for (const block of blocks) {
      const runBy = /^run-by=(\S+)$/.exec(block.info)?.[1];
      if (runBy) byRunner.set(runBy, (byRunner.get(runBy) ?? 0) + 1);
    }
    // readme-aws-setup and readme-rehearsal each run exactly one block (they refuse more); readme-aws-blocks runs
    // one per marker it knows and fails when a block of its own went unrun.
    expect(Object.fromEntries(byRunner)).toEqual({
      "packages/cli/test/readme-aws-setup.itest.ts": 1,
      "packages/cli/test/readme-aws-blocks.itest.ts": 3,
      "packages/cli/test/readme-rehearsal.itest.ts": 1,
    });
  });

  test.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))(
    "%s says how it is checked, is valid shell, and uses flags that exist",
    (_where, block) => {
      const first = block === blocks[0];
      const runBy = /^run-by=(\S+)$/.exec(block.info)?.[1];
      if (!first)
        expect(block.info, "info string: run-by=FILE or check-only (why)").toMatch(/^(run-by=\S+|check-only \(.+\))$/);
      if (runBy) {
        expect(existsSync(join(repoRoot, runBy)), runBy).toBe(true);
        const runner = readFileSync(join(repoRoot, runBy), "utf8");
        // The runner collects its blocks from every doc (runByBlocks), or reads this block's file by name.
        const collects = runner.includes('from "./doc-blocks.js"') && runner.includes("runByBlocks(");
        expect(collects || runner.includes(`"${block.file}"`), `${runBy} collects the blocks of ${block.file}`).toBe(
          true,
        );
      }
      execFileSync("bash", ["-n"], { input: block.text });
      for (const call of cliInvocations(block.text)) expect(() => checkInvocation(call), call.join(" ")).not.toThrow();
    },
  );

  test("the invocation reader finds flags through line continuations, quotes and command substitutions", () => {
    const text = `image=$(node packages/cli/dist/main.js build --dockerfile examples/Dockerfile --no-push --json \\
  --build-arg BASE_IMAGE="$(scripts/make-offline-image.sh)" | python3 -c 'x')
dask-fargate setup-roles --output-uri s3://B/P   # a comment --not-a-flag`;
    expect(cliInvocations(text)).toEqual([
      [
        "build",
        "--dockerfile",
        "examples/Dockerfile",
        "--no-push",
        "--json",
        "--build-arg",
        "BASE_IMAGE=$(scripts/make-offline-image.sh)",
      ],
      ["setup-roles", "--output-uri", "s3://B/P"],
    ]);
    expect(() => checkInvocation(["up", "--wrokers", "2"])).toThrow(/unknown flag --wrokers/);
  });
});

describe("the examples of dask-fargate COMMAND --help", () => {
  const commands = Object.keys(HELP).filter(isCommandName);
  test.each(commands)("%s: every example parses, and the files and base images it names exist", (command) => {
    const examples = HELP[command].split("\nExample")[1] ?? "";
    const calls = cliInvocations(examples);
    expect(calls.length, command).toBeGreaterThan(0);
    for (const call of calls) {
      expect(checkInvocation(call)).toBe(command);
      const value = (flag: string) => call[call.indexOf(flag) + 1];
      for (const flag of ["--environment-file", "--dockerfile", "--job-workdir", "--context"])
        if (call.includes(flag))
          expect(existsSync(join(repoRoot, value(flag) ?? "")), `${flag} ${value(flag)}`).toBe(true);
      // A base image is one the repository makes, or the pinned default: never a tag that exists nowhere.
      if (call.includes("--base-image")) expect(value("--base-image")).toBe("$(scripts/make-offline-image.sh)");
      const script = /python3 (\S+\.py)/.exec(value("--job-command") ?? "")?.[1];
      if (script) expect(existsSync(join(repoRoot, value("--job-workdir") ?? ".", script)), script).toBe(true);
    }
  });
});
