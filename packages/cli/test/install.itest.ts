import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

// The CLI and the emulator as a user gets them without a clone: the public packages packed with `npm pack`
// (what a release attaches and what npm would publish), installed into an empty folder outside the workspace,
// third-party dependencies from the npm registry through the usual npm cache.

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const docker = new Docker();
const image = inject("daskImage");
const clusterId = `cli-install-${process.pid}`;
let scratch: string;
let stateDir: string;
let app: string;
let tarballs: string[];
let upStarted = false;

/** The test's environment without npm's own variables: `npm run --workspace` sets some that would make the
 * install below act on the workspace instead of the empty folder. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, DASK_FARGATE_STATE_DIR: stateDir, ...extra };
}

/** `npx --no-install BIN ...` in the install folder: only what the tarballs installed, never a download. */
async function npx(bin: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npx", ["--no-install", bin, ...args], {
      cwd: app,
      env: userEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

async function leftovers(id: string): Promise<string[]> {
  const filter = { label: [`io.dask-fargate-action.cluster-id=${id}`] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  const networks = await docker.listNetworks({ filters: filter });
  return [...containers.map((c) => c.Names[0] ?? c.Id), ...networks.map((n) => n.Name)];
}

beforeAll(async () => {
  // The install is not named dfa-*: the secrets check reads every file of dfa-* temp directories, and third-party
  // packages ship test fixtures with PEM keys (ssh2's, the AWS SDK's examples) that are theirs, not a leak. The
  // CLI's state (cluster records, TLS files) goes to a dfa-* directory, so the check still reads what we write.
  scratch = await mkdtemp(join(tmpdir(), "dask-fargate-install-"));
  stateDir = await mkdtemp(join(tmpdir(), "dfa-install-state-"));
  app = join(scratch, "app");
  await mkdir(app);
  const packed = await run(
    process.execPath,
    [join(repoRoot, "scripts", "release", "pack.mjs"), join(scratch, "packs")],
    { env: userEnv() },
  );
  tarballs = packed.stdout.trim().split("\n");
  await writeFile(join(app, "package.json"), `${JSON.stringify({ name: "scratch-app", private: true })}\n`);
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...tarballs], {
    cwd: app,
    env: userEnv(),
  });
});

afterAll(async () => {
  if (upStarted && (await leftovers(clusterId)).length > 0)
    await npx("dask-fargate", "down", "--cluster-id", clusterId);
  await rm(scratch, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

test("the public packages pack, and the install holds them at one version without sources, tests or private packages", async () => {
  const names = tarballs.map((t) => t.split("/").pop());
  expect(names).toEqual([
    expect.stringMatching(/^dask-fargate-action-cli-\d+\.\d+\.\d+\.tgz$/),
    expect.stringMatching(/^dask-fargate-action-core-/),
    expect.stringMatching(/^dask-fargate-action-emulator-/),
    expect.stringMatching(/^dask-fargate-action-errors-/),
    expect.stringMatching(/^dask-fargate-action-image-/),
    expect.stringMatching(/^dask-fargate-action-pipeline-/),
  ]);
  const installed = join(app, "node_modules", "@dask-fargate-action");
  expect((await readdir(installed)).sort()).toEqual(["cli", "core", "emulator", "errors", "image", "pipeline"]);
  const versions = new Set<string>();
  for (const name of await readdir(installed)) {
    const manifest = JSON.parse(await readFile(join(installed, name, "package.json"), "utf8")) as {
      version: string;
      private?: boolean;
    };
    versions.add(manifest.version);
    expect(manifest.private, name).toBeUndefined();
    const files = await readdir(join(installed, name));
    expect(files, name).not.toContain("src");
    expect(files, name).not.toContain("test");
    expect(files, name).toContain("dist");
    expect(files, name).toContain("LICENSE");
  }
  expect(versions.size).toBe(1);
  // One copy of each project package: the CLI's dependencies resolved to the tarballs, not to the registry.
  const lock = JSON.parse(await readFile(join(app, "package-lock.json"), "utf8")) as {
    packages: Record<string, { resolved?: string }>;
  };
  const own = Object.entries(lock.packages).filter(([path]) => path.includes("@dask-fargate-action/"));
  expect(own.map(([path]) => path).sort()).toEqual(
    ["cli", "core", "emulator", "errors", "image", "pipeline"].map((n) => `node_modules/@dask-fargate-action/${n}`),
  );
  for (const [path, entry] of own) expect(entry.resolved, path).toMatch(/^file:.*\.tgz$/);
});

test("every entry of every package's exports loads from the install, with its types file", async () => {
  const installed = join(app, "node_modules", "@dask-fargate-action");
  const specifiers: string[] = [];
  for (const name of await readdir(installed)) {
    const manifest = JSON.parse(await readFile(join(installed, name, "package.json"), "utf8")) as {
      exports: Record<string, { types: string; import: string }>;
    };
    for (const [subpath, entry] of Object.entries(manifest.exports)) {
      specifiers.push(`@dask-fargate-action/${name}${subpath.slice(1)}`);
      await expect(readFile(join(installed, name, entry.types), "utf8"), `${name} ${subpath} types`).resolves.toContain(
        "export",
      );
    }
  }
  expect(specifiers).toContain("@dask-fargate-action/core/defaults");
  // Imported by a module inside the install folder, as a user's script there would.
  const probe = join(app, "probe.mjs");
  await writeFile(
    probe,
    `for (const s of ${JSON.stringify(specifiers)}) console.log(s, Object.keys(await import(s)).length);\n`,
  );
  const { stdout } = await run(process.execPath, [probe], { cwd: app, env: userEnv() });
  for (const s of specifiers) expect(stdout).toMatch(new RegExp(`^${s.replace(/[/.-]/g, "\\$&")} [1-9]\\d*$`, "m"));
});

test("npx dask-fargate --help runs the installed CLI", async () => {
  expect(await realpath(join(app, "node_modules", ".bin", "dask-fargate"))).toBe(
    await realpath(join(app, "node_modules", "@dask-fargate-action", "cli", "bin", "dask-fargate.js")),
  );
  const help = await npx("dask-fargate", "--help");
  expect(help.code, help.stderr).toBe(0);
  expect(help.stdout).toMatch(/^Usage: dask-fargate COMMAND/);
});

describe("the installed CLI on the Docker Engine", () => {
  const cluster = ["--backend", "docker", "--image", image, "--scheduler-memory", "1GB", "--worker-memory", "1536MiB"];

  test("plan validates the settings and prints the start's requests", async () => {
    const plan = await npx("dask-fargate", "plan", ...cluster, "--workers", "2", "--json");
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual(expect.any(Object));
  });

  test("up starts a real cluster and down removes all of it", async () => {
    upStarted = true;
    const up = await npx("dask-fargate", "up", ...cluster, "--workers", "1", "--cluster-id", clusterId, "--json");
    expect(up.code, up.stderr).toBe(0);
    expect((JSON.parse(up.stdout) as { schedulerAddress: string }).schedulerAddress).toMatch(
      /^tls:\/\/127\.0\.0\.1:\d+$/,
    );
    expect((await leftovers(clusterId)).length).toBeGreaterThan(0);
    const down = await npx("dask-fargate", "down", "--cluster-id", clusterId, "--json");
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(clusterId)).toEqual([]);
    expect(await readdir(join(stateDir, "clusters"))).toEqual([]);
  });
});

test("npx dask-fargate-emulator starts the installed emulator and stops it cleanly", async () => {
  const help = await npx("dask-fargate-emulator", "--help");
  expect(help.code, help.stderr).toBe(0);
  expect(help.stdout).toMatch(/^Usage: dask-fargate-emulator \[options\]/);
  // --exec none and the suite's moto: no containers and no moto start of its own, the point is that the installed
  // files start and answer.
  // Started through the installed bin link itself, so SIGTERM reaches the emulator without npx in between.
  const bin = join(app, "node_modules", ".bin", "dask-fargate-emulator");
  const child: ChildProcess = spawn(
    bin,
    ["--port", "0", "--exec", "none", "--moto-endpoint", inject("motoEndpoint"), "--quiet"],
    {
      cwd: app,
      env: userEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout?.on("data", (c: Buffer) => {
        stdout += c.toString();
        const ready = /^ready (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
        if (ready?.[1]) resolve(ready[1]);
      });
      void closed.then((code) => reject(new Error(`the emulator exited (${code}) before it was ready: ${stderr}`)));
    });
    // An ECS call answered through the installed emulator (forwarded to moto).
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListClusters",
        authorization:
          "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "{}",
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ clusterArns: expect.any(Array) });
    child.kill("SIGTERM");
    expect(await closed, stderr).toBe(0);
  } finally {
    // A failed assertion above must not leave the emulator running.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});
