import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAwsClients, setupRoles } from "@dask-fargate-action/core";
import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

// Issue 14's signal scenarios for the CLI on the Fargate emulator (tasks without containers): SIGINT and
// SIGTERM at phases of `up`, and kill -9 during up followed by the reaper. After each, nothing of the
// cluster remains (after kill -9, once `reap` ran), and the user's message says it was interrupted.
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
let emulator: Emulator;
let stateDir: string;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Runs the CLI; when `until` matches its output so far, sends `signal` once. */
function cli(
  args: readonly string[],
  interrupt?: { readonly until: RegExp; readonly signal: NodeJS.Signals },
): Promise<Run> {
  const child = spawn(process.execPath, [main, ...args], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      DASK_FARGATE_STATE_DIR: stateDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let sent = false;
  const seen = (c: Buffer) => {
    output += c.toString();
    if (interrupt && !sent && interrupt.until.test(output)) {
      sent = true;
      child.kill(interrupt.signal);
    }
  };
  child.stdout.on("data", seen);
  child.stderr.on("data", seen);
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, output })));
}

const up = (clusterId: string) => [
  "up",
  "--backend",
  "fargate",
  "--image",
  "dask:signals",
  "--cluster-id",
  clusterId,
  "--workers",
  "2",
  "--worker-memory",
  "2GB",
];
const leftovers = (clusterId: string) => awsLeftovers(createAwsClients({ region: "us-east-1" }), clusterId);

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: "fast" });
  stateDir = await mkdtemp(join(tmpdir(), "dfa-signals-"));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
  await setupRoles(createAwsClients({ region: "us-east-1" }));
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  await rm(stateDir, { recursive: true, force: true });
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

describe("signals during up", () => {
  // The phases as up reports them on stderr; the signal is sent when the line appears.
  const phases: readonly [string, RegExp][] = [
    ["preflight (before anything is created)", /preflight/i],
    ["scheduler launch", /scheduler PROVISIONING/],
    // Printed once the scheduler's IP is known: the workers are launched by then (with its address, or before it to look it up) and up waits for every task.
    ["waiting for workers", /^scheduler at /m],
  ];
  const rows = phases.flatMap(([phase, until]) =>
    (["SIGINT", "SIGTERM"] as const).map((signal) => [`${signal} at ${phase}`, until, signal] as const),
  );
  test.each(rows)(
    "%s: exit 130 (or the signal's code), the message says interrupted, nothing remains",
    async (_name, until, signal) => {
      const clusterId = `sig-${signal.toLowerCase()}-${Math.random().toString(16).slice(2, 8)}`;
      const run = await cli(up(clusterId), { until, signal });
      expect(run.output).toMatch(/interrupt|cancel/i);
      // The check after the run: without a signal this cluster would be running now.
      expect([130, 143]).toContain(run.code);
      expect(await leftovers(clusterId)).toEqual([]);
    },
  );

  test("kill -9 during up leaves the cluster to the reaper, and reap removes it", async () => {
    const clusterId = `sig-kill-${Math.random().toString(16).slice(2, 8)}`;
    const run = await cli(up(clusterId), { until: /scheduler PROVISIONING/, signal: "SIGKILL" });
    expect(run.signal).toBe("SIGKILL");
    // The process had no chance to clean up: its resources are still there until the reaper runs.
    expect((await leftovers(clusterId)).length).toBeGreaterThan(0);
    const reaped = await cli(["reap", "--backend", "fargate", "--region", "us-east-1", "--older-than", "0s"]);
    expect(reaped.code, reaped.output).toBe(0);
    expect(await leftovers(clusterId)).toEqual([]);
  });
});
