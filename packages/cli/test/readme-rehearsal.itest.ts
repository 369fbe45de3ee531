import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { afterAll, expect, test } from "vitest";
import { repoRoot, runByBlocks } from "./doc-blocks.js";

/**
 * The README's "Rehearse offline" block, run as written: its `npm run emulator` line starts the emulator (on a
 * free port instead of 4566, which another run on this machine may hold), and the other lines run in one shell
 * from the repository root. `npm ci && npm run build` is skipped: the suite runs after it. One run with real
 * containers (scheduler, 2 workers, the job), the image built from examples/Dockerfile on the offline base.
 */
const thisFile = "packages/cli/test/readme-rehearsal.itest.ts";
let emulator: ChildProcess | undefined;
let emulatorLog = "";
let stateDir: string | undefined;

/** The shell lines of the one block run by this file (the README's "Rehearse offline"), continuation lines kept joined, comments kept. */
function rehearsalBlock(): string[] {
  const blocks = runByBlocks(thisFile);
  if (blocks.length !== 1) throw new Error(`the docs have ${blocks.length} sh blocks run by ${thisFile}, not 1`);
  return (blocks[0]?.text ?? "").split(/(?<!\\)\n/);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterAll(async () => {
  if (emulator?.pid !== undefined && emulator.exitCode === null) {
    // Ctrl-C, as the README says: the emulator removes its containers and network and stops moto. The group
    // is npm's and the emulator's, both started by this test.
    const exited = new Promise((resolve) => emulator?.once("exit", resolve));
    process.kill(-emulator.pid, "SIGINT");
    await exited;
  }
  const instance = /dask-fargate-emulator-([0-9a-f]+)/.exec(emulatorLog)?.[1];
  if (instance) expect(await emulatorLeftovers(instance)).toEqual([]);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

test("the README's Rehearse offline block runs as written: the nightly workflow's command trains on the Fargate emulator", async () => {
  const lines = rehearsalBlock();
  expect(lines[0]).toBe("npm ci && npm run build");
  const emulatorLine = lines.find((l) => l.startsWith("npm run emulator"));
  expect(emulatorLine).toMatch(/--port 4566\b/);
  const port = String(await freePort());
  const withPort = (l: string) => l.replace(/\b4566\b/g, port);
  emulator = spawn("bash", ["-c", withPort(emulatorLine ?? "")], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      emulatorLog += chunk.toString();
      if (emulatorLog.includes(`ready http://127.0.0.1:${port}`)) resolve();
    };
    emulator?.stdout?.on("data", seen);
    emulator?.stderr?.on("data", seen);
    emulator?.once("exit", (code) =>
      reject(new Error(`the emulator exited (${code}) before it was ready:\n${emulatorLog}`)),
    );
  });
  stateDir = await mkdtemp(join(tmpdir(), "dfa-rehearsal-"));
  const script = [
    "set -euo pipefail",
    ...lines
      .slice(1)
      .filter((l) => l !== emulatorLine)
      .map(withPort),
  ].join("\n");
  const shell = spawn("bash", ["-c", script], {
    cwd: repoRoot,
    env: { ...process.env, DASK_FARGATE_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  shell.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  shell.stderr.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => shell.on("close", resolve));
  expect(code, out).toBe(0);
  expect(out).toContain("final valid-logloss");
  expect(out).toContain("training took");
  // No output-uri: warned before the start, and the last line says the files stayed in the cluster.
  expect(out).toContain("output-uri is not set: whatever it writes to DFA_OUTPUT_DIR stays in that task");
  expect(out).toMatch(/the job succeeded \(exit code 0\); files the job wrote to DFA_OUTPUT_DIR stayed in the cluster/);
});
