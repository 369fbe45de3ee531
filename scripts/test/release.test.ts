import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { entries, releaseNotes } from "../release/notes.mjs";
import { manifestProblems } from "../release/pack.mjs";
import { VERSION_CONSTANTS } from "../release/sync-versions.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const notesScript = join(root, "scripts", "release", "notes.mjs");

type Failure = { code: number; stdout: string; stderr: string };
const failure = (error: unknown) => error as Failure;

describe("changesets version, then the release notes (a copy of the repository's manifests and changesets)", () => {
  let copy: string;
  let version: string;

  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), "dfa-changesets-"));
    for (const file of ["package.json", "package-lock.json"]) await cp(join(root, file), join(copy, file));
    await cp(join(root, ".changeset"), join(copy, ".changeset"), { recursive: true });
    for (const dir of await readdir(join(root, "packages"))) {
      await mkdir(join(copy, "packages", dir), { recursive: true });
      await cp(join(root, "packages", dir, "package.json"), join(copy, "packages", dir, "package.json"));
    }
    for (const { pkg, file } of VERSION_CONSTANTS)
      await cp(join(root, "packages", pkg, file), join(copy, "packages", pkg, file));
    // No changeset pending (a release just happened): add one, so there is always something to version.
    await writeFile(
      join(copy, ".changeset", "test-change.md"),
      '---\n"@dask-fargate-action/image": patch\n---\n\nA fix in the image package.\n',
    );
    await symlink(join(root, "node_modules"), join(copy, "node_modules"));
    // Offline: the default changelog writer needs no network, and version needs no git.
    await run(process.execPath, [join(root, "node_modules", "@changesets", "cli", "bin.js"), "version"], { cwd: copy });
    // The rest of npm run version-packages (the bundle rebuild aside).
    await run(process.execPath, [join(root, "scripts", "release", "sync-versions.mjs"), copy]);
    version = (JSON.parse(await readFile(join(copy, "packages", "cli", "package.json"), "utf8")) as { version: string })
      .version;
  });

  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  test("every package gets the same new version, and the internal dependencies follow it", async () => {
    const before = (
      JSON.parse(await readFile(join(root, "packages", "cli", "package.json"), "utf8")) as { version: string }
    ).version;
    expect(version).not.toBe(before);
    for (const dir of await readdir(join(copy, "packages"))) {
      const manifest = JSON.parse(await readFile(join(copy, "packages", dir, "package.json"), "utf8")) as {
        version: string;
        dependencies?: Record<string, string>;
      };
      expect(manifest.version, dir).toBe(version);
      for (const [name, spec] of Object.entries(manifest.dependencies ?? {})) {
        if (name.startsWith("@dask-fargate-action/")) expect(spec, `${dir} → ${name}`).toBe(version);
      }
    }
    expect((await readdir(join(copy, ".changeset"))).filter((n) => n.endsWith(".md") && n !== "README.md")).toEqual([]);
  });

  test("the version constants in the sources follow (the user agent)", async () => {
    for (const { pkg, file, constant } of VERSION_CONSTANTS) {
      expect(await readFile(join(copy, "packages", pkg, file), "utf8"), pkg).toContain(
        `export const ${constant} = "${version}";`,
      );
    }
  });

  test("the image generator's version does not follow a release (it is part of every image's content hash)", async () => {
    const before = await readFile(join(root, "packages", "image", "src", "version.ts"), "utf8");
    expect(VERSION_CONSTANTS.map((c) => c.constant)).not.toContain("GENERATOR_VERSION");
    expect(before).not.toContain(`export const GENERATOR_VERSION = "${version}";`);
  });

  test("the notes list each change once with the packages it touched, and no dependency-bump lines", async () => {
    const { stdout } = await run(process.execPath, [notesScript, `v${version}`, copy]);
    expect(stdout).toContain("A fix in the image package. (@dask-fargate-action/image)");
    expect(stdout.match(/A fix in the image package\./g)).toHaveLength(1);
    expect(stdout).not.toMatch(/^- @dask-fargate-action\/\w+@/m);
    expect(stdout).not.toContain("No changes in this release");
  });

  test("a tag that is not the packages' version fails and names what differs", async () => {
    const error = failure(await run(process.execPath, [notesScript, "v99.0.0", copy]).catch((e: unknown) => e));
    expect(error.code).toBe(1);
    expect(error.stderr).toContain("@dask-fargate-action/cli is at");
    expect(error.stderr).toContain("not 99.0.0");
    const badTag = failure(await run(process.execPath, [notesScript, "release-1", copy]).catch((e: unknown) => e));
    expect(badTag.stderr).toContain('"release-1" is not a release tag');
  });

  test("an unreleased changeset fails the release", async () => {
    await writeFile(join(copy, ".changeset", "late.md"), '---\n"@dask-fargate-action/cli": patch\n---\n\nLate.\n');
    try {
      const error = failure(await run(process.execPath, [notesScript, `v${version}`, copy]).catch((e: unknown) => e));
      expect(error.code).toBe(1);
      expect(error.stderr).toContain("unreleased changesets in .changeset: late.md");
    } finally {
      await rm(join(copy, ".changeset", "late.md"));
    }
  });
});

describe("release notes from changelog text", () => {
  const changelog = [
    "# @x/a",
    "",
    "## 2.0.0",
    "",
    "### Major Changes",
    "",
    "- Breaking thing",
    "  continued on a second line.",
    "",
    "### Patch Changes",
    "",
    "- @x/b@2.0.0",
    "  - @x/c@2.0.0",
    "",
    "## 1.0.0",
    "",
    "### Minor Changes",
    "",
    "- Old thing",
  ].join("\n");

  test("entries keep multi-line items and drop dependency bumps", () => {
    expect(entries(changelog.split("## 1.0.0")[0] ?? "")).toEqual([
      { kind: "Major Changes", text: "- Breaking thing\n  continued on a second line." },
    ]);
  });

  test("a version without notes in any changelog is an error, not an empty release", () => {
    expect(() => releaseNotes("3.0.0", [{ name: "@x/a", changelog }])).toThrow("no changelog has notes for 3.0.0");
    expect(releaseNotes("1.0.0", [{ name: "@x/a", changelog }])).toBe("## Minor Changes\n\n- Old thing (@x/a)\n");
  });
});

describe("the public manifests", () => {
  const pkg = (manifest: Record<string, unknown>) => ({
    dir: "",
    manifest: { version: "1.0.0", license: "MIT", files: ["dist"], engines: { node: ">=22" }, ...manifest },
  });

  test("the repository's packages are fit to pack", async () => {
    const { workspacePackages } = await import("../release/pack.mjs");
    expect(manifestProblems(await workspacePackages())).toEqual([]);
  });

  test("every public package ships the repository's LICENSE (npm packs a package's own LICENSE file)", async () => {
    const { workspacePackages } = await import("../release/pack.mjs");
    const license = await readFile(join(root, "LICENSE"), "utf8");
    for (const { dir, manifest } of await workspacePackages()) {
      if (!manifest.private) expect(await readFile(join(dir, "LICENSE"), "utf8"), manifest.name).toBe(license);
    }
  });

  test("a private dependency, a range, a version out of step or a missing field is named", () => {
    const problems = manifestProblems([
      pkg({ name: "@x/private", private: true }),
      pkg({ name: "@x/lib", version: "1.1.0" }),
      pkg({
        name: "@x/cli",
        files: undefined,
        engines: undefined,
        dependencies: { "@x/private": "1.0.0", "@x/lib": "^1.1.0", ora: "^9.0.0" },
      }),
    ]);
    expect(problems).toEqual([
      "the public packages have different versions (1.1.0, 1.0.0); run npx changeset version",
      '@x/cli (package.json): "files" must list what the tarball ships',
      '@x/cli (package.json): "engines.node" must say which Node it runs on',
      "@x/cli (package.json): depends on the private package @x/private; make it public or a devDependency",
      "@x/cli (package.json): depends on @x/lib@^1.1.0, not the exact version packed beside it (1.1.0)",
    ]);
  });
});

describe("workflow files are checked by actionlint", () => {
  const lint = join(root, "scripts", "lint-workflows.mjs");

  test("the project's workflows and the examples pass", async () => {
    const { stdout } = await run(process.execPath, [lint], { cwd: root });
    expect(stdout).toMatch(/^actionlint: \d+ workflow file\(s\) passed$/m);
    const count = Number(/(\d+) workflow file/.exec(stdout)?.[1]);
    const own = (await readdir(join(root, ".github", "workflows"))).length;
    const examples = (await readdir(join(root, "workflows-examples"))).length;
    expect(count).toBe(own + examples);
  });

  test("a broken workflow fails with the file, line and reason", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dfa-workflow-"));
    try {
      const good = await readFile(join(root, ".github", "workflows", "ci.yml"), "utf8");
      const expression = (name: string) => `\${{ ${name} }}`;
      const cases: [string, string, RegExp][] = [
        [
          "unknown-event.yml",
          good.replace(/^ {2}pull_request:/m, "  pull_requests:"),
          /unknown Webhook event "pull_requests"/,
        ],
        ["no-runs-on.yml", good.replace(/^ {4}runs-on: .*$/m, ""), /"runs-on" section is missing/],
        [
          "bad-expression.yml",
          good.replace(expression("github.ref"), expression("github.reff")),
          /property "reff" is not defined/,
        ],
        ["not-yaml.yml", "on: [push\njobs: {", /could not parse as YAML|unexpected/i],
      ];
      for (const [name, text] of cases) {
        expect(text, name).not.toBe(good);
        await writeFile(join(dir, name), text);
      }
      // One run for all (the WebAssembly build takes seconds to load); each file must have its own finding.
      const error = failure(
        await run(process.execPath, [lint, ...cases.map(([name]) => join(dir, name))]).catch((e: unknown) => e),
      );
      expect(error.code).toBe(1);
      for (const [name, , reason] of cases) {
        const lines = error.stderr.split("\n").filter((line) => line.includes(`${name}:`));
        expect(lines.join("\n"), name).toMatch(reason);
        expect(lines[0], name).toMatch(new RegExp(`${name}:\\d+:\\d+: `));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
