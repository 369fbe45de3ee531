import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);
const cliDir = fileURLToPath(new URL("../", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

test("npx dask-fargate works from the repository root", async () => {
  const { stdout } = await run("npx", ["--no-install", "dask-fargate", "--help"], { cwd: repoRoot });
  expect(stdout).toMatch(/^Usage: dask-fargate COMMAND/);
});

test("npm links the bin at install time, before the build made dist/ (a clean clone's npm ci && npm run build)", async () => {
  // A workspace with the CLI's own package.json and bin/, and no dist/ yet: what npm ci sees in a clean clone.
  // npm skips a bin whose file does not exist, so a bin inside dist/ would never be linked.
  const root = await mkdtemp(join(tmpdir(), "dfa-bin-"));
  try {
    const manifest = JSON.parse(await readFile(join(cliDir, "package.json"), "utf8")) as Record<string, unknown>;
    const { dependencies: _d, devDependencies: _dd, scripts: _s, ...bare } = manifest;
    await mkdir(join(root, "packages", "cli"), { recursive: true });
    await writeFile(join(root, "package.json"), JSON.stringify({ name: "scratch", private: true, workspaces: ["packages/*"] }));
    await writeFile(join(root, "packages", "cli", "package.json"), JSON.stringify(bare));
    await cp(join(cliDir, "bin"), join(root, "packages", "cli", "bin"), { recursive: true });
    await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: root });
    const link = join(root, "node_modules", ".bin", "dask-fargate");
    expect(await realpath(link)).toBe(await realpath(join(root, "packages", "cli", "bin", "dask-fargate.js")));
    // The build comes after: the linked bin runs what it made.
    await mkdir(join(root, "packages", "cli", "dist"));
    await writeFile(join(root, "packages", "cli", "dist", "main.js"), 'console.log("built main ran");\n');
    const { stdout } = await run("npx", ["--no-install", "dask-fargate"], { cwd: root });
    expect(stdout.trim()).toBe("built main ran");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
