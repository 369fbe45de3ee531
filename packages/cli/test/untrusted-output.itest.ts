import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, inject, test } from "vitest";

// A job's output is text its author controls. Printed raw, it would run terminal control sequences on the user's
// terminal (OSC 52 writes the clipboard, CSI clears the screen) and, with the CLI in a workflow's `run:` step,
// workflow commands. A real job in a container of a real Docker cluster, through the built CLI.
const image = inject("daskImage");
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "dfa-cli-untrusted-"));
});

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, DASK_FARGATE_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** Prints a workflow command, OSC 52 (clipboard), a CSI (clear screen), a C1 CSI and a legacy command; then fails with them in its last lines. */
const JOB = [
  "python3 -c \"import sys; E=chr(27); print('::warning::x'); print(E+']52;c;ZXZpbA=='+chr(7)+'osc52');",
  "print(E+'[2J'+E+'[31m'+'csi'); print(chr(0x9b)+'1;1H'+'c1'); print('  ##[error]legacy'); sys.stdout.flush(); sys.exit(3)\"",
].join(" ");

/** Anything a terminal or the Actions runner would act on. */
function actedOn(text: string): string[] {
  const found: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  if (/[\u001b\u0007\u009b\u009d]/.test(text)) found.push("a terminal control character");
  if (/^\s*::/m.test(text)) found.push("a line starting with ::");
  if (text.includes("##[")) found.push("##[");
  return found;
}

test("a job's workflow commands and terminal sequences reach the CLI's output visibly, never raw", async () => {
  const id = `cli-hostile-${process.pid}`;
  const result = await cli([
    "run",
    "--image",
    image,
    "--scheduler-memory",
    "1GB",
    "--worker-memory",
    "1536MiB",
    "--workers",
    "1",
    "--cluster-id",
    id,
    "--job-command",
    JOB,
  ]);
  expect(result.code, result.stderr).toBe(3);
  // The job's lines are there, readable: the escapes and the zero-width spaces show what was sent.
  expect(result.stdout).toContain(":\u200B:warning::x");
  expect(result.stdout).toContain("\\u001b]52;c;ZXZpbA==\\u0007osc52");
  expect(result.stdout).toContain("\\u001b[2J\\u001b[31mcsi");
  expect(result.stdout).toContain("\\u009b1;1Hc1");
  expect(result.stdout).toContain("##\u200B[error]legacy");
  expect(actedOn(result.stdout)).toEqual([]);
  expect(actedOn(result.stderr)).toEqual([]);
  const docker = new Docker();
  expect(
    await docker.listContainers({ all: true, filters: { label: [`io.dask-fargate-action.cluster-id=${id}`] } }),
  ).toEqual([]);
});

test("--json carries the same text as valid JSON with nothing raw in it", async () => {
  const id = `cli-hostile-json-${process.pid}`;
  const result = await cli([
    "run",
    "--image",
    image,
    "--scheduler-memory",
    "1GB",
    "--worker-memory",
    "1536MiB",
    "--workers",
    "1",
    "--cluster-id",
    id,
    "--job-command",
    JOB,
    "--json",
  ]);
  expect(result.code, result.stderr).toBe(3);
  const summary = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf("\n{") + 1)) as {
    clusterId: string;
    exitCode: number;
  };
  expect(summary).toMatchObject({ clusterId: id, exitCode: 3 });
  expect(actedOn(result.stdout)).toEqual([]);
  expect(actedOn(result.stderr)).toEqual([]);
});
