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
    await writeFile(
      join(root, "package.json"),
      JSON.stringify({ name: "scratch", private: true, workspaces: ["packages/*"] }),
    );
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

test("up and plan on the docker backend load dockerode and no AWS SDK client", async () => {
  // A probe preloaded with --import lists, at exit, the CommonJS files the process loaded: the AWS SDK clients and
  // dockerode are CommonJS, so every file of theirs is in require.cache however it was reached.
  const scratch = await mkdtemp(join(tmpdir(), "dfa-light-"));
  try {
    const probe = join(scratch, "probe.mjs");
    await writeFile(
      probe,
      `import { createRequire } from "node:module";
process.on("exit", () => {
  const files = Object.keys(createRequire(import.meta.url).cache);
  process.stderr.write("LOADED " + JSON.stringify({ aws: files.some((f) => f.includes("/node_modules/@aws-sdk/")), dockerode: files.some((f) => f.includes("/node_modules/dockerode/")) }) + "\\n");
});
`,
    );
    // An engine that is not there: up fails at its first Docker call, after loading everything its path needs.
    const env = {
      ...process.env,
      DOCKER_HOST: `unix://${join(scratch, "no-engine.sock")}`,
      DASK_FARGATE_STATE_DIR: join(scratch, "state"),
    };
    const loaded = async (args: string[]) => {
      const result = await run(process.execPath, ["--import", probe, join(cliDir, "bin", "dask-fargate.js"), ...args], {
        env,
      }).catch((error: { stderr: string }) => error);
      return JSON.parse(/^LOADED (.*)$/m.exec(result.stderr)?.[1] ?? "null");
    };
    const flags = ["--backend", "docker", "--workers", "2", "--image", "daskdev/dask:2024.1.0", "--json"];
    expect(await loaded(["up", ...flags])).toEqual({ aws: false, dockerode: true });
    expect(await loaded(["plan", ...flags])).toEqual({ aws: false, dockerode: expect.any(Boolean) });
    // The probe sees them where a command loads them: setup-roles imports core's index (printing a template calls no AWS).
    expect(await loaded(["setup-roles", "--print-cloudformation"])).toEqual({ aws: true, dockerode: true });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
