import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { EnvironmentFileError, loadEnvironment, renderBuildContext } from "../src/index.js";

// Local pip paths are copied into the build context and the image, so whatever they resolve to must
// stay inside the environment file's directory: symbolic links are resolved before anything is read.
let base: string;
let project: string;
let outside: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), "dfa-local-paths-")));
  project = join(base, "project");
  outside = join(base, "outside");
  await mkdir(project);
  await mkdir(outside);
  await writeFile(join(outside, "secret-1.0-py3-none-any.whl"), "SECRET-BYTES");
  await writeFile(join(outside, "id_rsa"), "SECRET-KEY");
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Writes requirements.txt with `lines` into the project and loads it; the message has the temp dir as <base>. */
async function loadError(lines: string[]): Promise<string> {
  await writeFile(join(project, "requirements.txt"), `dask\n${lines.join("\n")}\n`);
  try {
    const spec = await loadEnvironment(join(project, "requirements.txt"));
    return `(no error; copied ${spec.localFiles.map((f) => f.contextPath).join(", ")})`;
  } catch (error) {
    expect(EnvironmentFileError.isInstance(error)).toBe(true);
    return (error as Error).message.replaceAll(base, "<base>");
  }
}

describe("symbolic links out of the environment file's directory are refused", () => {
  test("a wheel that is a link to a file elsewhere", async () => {
    await mkdir(join(project, "wheels"));
    await symlink(join(outside, "secret-1.0-py3-none-any.whl"), join(project, "wheels", "pkg-1.0-py3-none-any.whl"));
    expect(await loadError(["./wheels/pkg-1.0-py3-none-any.whl"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./wheels/pkg-1.0-py3-none-any.whl" resolves to "<base>/outside/secret-1.0-py3-none-any.whl" through a symbolic link, outside the environment file's directory "<base>/project"
        fix: put a real copy of the wheel or project inside <base>/project (not a link to it), or remove the requirement"
    `);
  });

  test("a directory on the way that is a link", async () => {
    await symlink(outside, join(project, "wheels"));
    expect(await loadError(["./wheels/secret-1.0-py3-none-any.whl"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./wheels/secret-1.0-py3-none-any.whl" resolves to "<base>/outside/secret-1.0-py3-none-any.whl" through a symbolic link, outside the environment file's directory "<base>/project"
        fix: put a real copy of the wheel or project inside <base>/project (not a link to it), or remove the requirement"
    `);
  });

  test("a project directory that is a link to a directory elsewhere", async () => {
    await symlink(outside, join(project, "mypkg"));
    expect(await loadError(["./mypkg"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./mypkg" resolves to "<base>/outside" through a symbolic link, outside the environment file's directory "<base>/project"
        fix: put a real copy of the wheel or project inside <base>/project (not a link to it), or remove the requirement"
    `);
  });

  test("a link inside a copied project that points out", async () => {
    await mkdir(join(project, "mypkg", "src"), { recursive: true });
    await writeFile(join(project, "mypkg", "pyproject.toml"), "[project]\nname = 'mypkg'\n");
    await symlink(join(outside, "id_rsa"), join(project, "mypkg", "src", "key"));
    expect(await loadError(["./mypkg"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./mypkg" contains "src/key", a symbolic link to "<base>/outside/id_rsa", outside the environment file's directory "<base>/project"
        fix: remove the link from mypkg, or replace it with a real copy of what it points to"
    `);
  });

  test("a link inside a copied project that makes a loop", async () => {
    await mkdir(join(project, "mypkg", "src"), { recursive: true });
    await writeFile(join(project, "mypkg", "pyproject.toml"), "[project]\nname = 'mypkg'\n");
    await symlink(join(project, "mypkg"), join(project, "mypkg", "src", "again"));
    expect(await loadError(["./mypkg"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./mypkg" contains "src/again", a symbolic link to "<base>/project/mypkg", which contains the link itself (a loop)
        fix: remove the link from mypkg"
    `);
  });

  test("a dangling link inside a copied project", async () => {
    await mkdir(join(project, "mypkg"));
    await writeFile(join(project, "mypkg", "pyproject.toml"), "[project]\nname = 'mypkg'\n");
    await symlink(join(project, "gone"), join(project, "mypkg", "broken"));
    expect(await loadError(["./mypkg"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./mypkg" contains "broken", a symbolic link to "<base>/project/gone", which does not exist
        fix: remove the link from mypkg, or replace it with a real copy of what it points to"
    `);
  });
});

describe(".git is never copied (actions/checkout keeps a token in .git/config)", () => {
  test("a local requirement inside .git", async () => {
    await mkdir(join(project, ".git"));
    await writeFile(join(project, ".git", "config"), "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n");
    expect(await loadError(["./.git"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./.git" resolves to "<base>/project/.git", inside .git, which is never copied into a build
        fix: list the wheel or project directory itself, outside .git"
    `);
  });

  test("a link in a copied project that points into .git", async () => {
    await mkdir(join(project, ".git"));
    await writeFile(join(project, ".git", "config"), "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n");
    await mkdir(join(project, "mypkg"));
    await writeFile(join(project, "mypkg", "pyproject.toml"), "[project]\nname = 'mypkg'\n");
    await symlink(join(project, ".git", "config"), join(project, "mypkg", "cfg"));
    expect(await loadError(["./mypkg"])).toMatchInlineSnapshot(`
      "<base>/project/requirements.txt:2:1: the local requirement "./mypkg" contains "cfg", a symbolic link to "<base>/project/.git/config", inside .git, which is never copied into a build
        fix: remove the link from mypkg, or replace it with a real copy of what it points to"
    `);
  });
});

describe("links that stay inside are followed", () => {
  test("a project's link to a file elsewhere in the environment's directory is copied as a file", async () => {
    await mkdir(join(project, "shared"));
    await writeFile(join(project, "shared", "LICENSE"), "MIT");
    await mkdir(join(project, "mypkg"));
    await writeFile(join(project, "mypkg", "pyproject.toml"), "[project]\nname = 'mypkg'\n");
    await symlink(join("..", "shared", "LICENSE"), join(project, "mypkg", "LICENSE"));
    await writeFile(join(project, "requirements.txt"), "dask\n./mypkg\n");
    const spec = await loadEnvironment(join(project, "requirements.txt"));
    expect(spec.localFiles.map((f) => [f.contextPath, f.content.toString()])).toEqual([
      ["local/mypkg/LICENSE", "MIT"],
      ["local/mypkg/pyproject.toml", "[project]\nname = 'mypkg'\n"],
    ]);
  });

  test("a wheel reached through a link inside the directory is copied, and nothing from outside reaches the context", async () => {
    await mkdir(join(project, "dist"));
    await writeFile(join(project, "dist", "pkg-1.0-py3-none-any.whl"), "WHEEL");
    await symlink("dist", join(project, "wheels"));
    await writeFile(join(project, "requirements.txt"), "dask\n./wheels/pkg-1.0-py3-none-any.whl\n");
    const context = renderBuildContext(await loadEnvironment(join(project, "requirements.txt")));
    expect(context.files.get("local/wheels/pkg-1.0-py3-none-any.whl")?.toString()).toBe("WHEEL");
    for (const content of context.files.values()) expect(content.toString()).not.toContain("SECRET");
  });
});
