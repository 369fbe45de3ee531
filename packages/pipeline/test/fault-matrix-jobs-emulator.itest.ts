import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { type AwsClients, createAwsClients, newClusterId, setupRoles } from "@dask-fargate-action/core";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { JOB_SCENARIOS, type JobKind, type JobScenario } from "@dask-fargate-action/testkit/fault-matrix";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { type RunResult, runPipeline } from "../src/index.js";

// The fault matrix's job and outputs phases (issue 14; the table is core's fault-matrix.ts, listed in
// docs/reliability.md): each row is one run as the CLI and the action make it — runPipeline with the Fargate
// backend on the emulator, every task a real container of our task definitions with real Dask — with the fault
// armed once the cluster is ready and cleared before the teardown. After each: nothing of the cluster is left in
// AWS, and the run's message names the cause and the phase.
const region = "us-east-1";
const bucket = "dfa-fault-matrix";
let emulator: Emulator;
let clients: AwsClients;
let scratch = "";
const results: { name: string; ok: boolean; seconds: number; message: string }[] = [];

beforeAll(async () => {
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
  // The administrator's one-time setup, with the static outputs policy the runs' output-uri needs.
  await setupRoles(clients, { outputUri: `s3://${bucket}/matrix` });
  await clients.s3?.send(new CreateBucketCommand({ Bucket: bucket }));
  scratch = await mkdtemp(join(tmpdir(), "dfa-fault-matrix-jobs-"));
});

afterAll(async () => {
  process.stderr.write(
    `fault matrix (job and outputs):\n${results.map((r) => `  ${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)} s  ${r.name} — ${r.message.slice(0, 200)}`).join("\n")}\n`,
  );
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
  await rm(scratch, { recursive: true, force: true });
});

/** The job's command: what the matrix row needs to happen in the job task. */
function commandOf(kind: JobKind): string {
  switch (kind) {
    case "outputs":
      return 'printf "{\\"trees\\": 10}" > "$DFA_OUTPUT_DIR/model.json"; echo "job wrote its model"';
    case "wait":
      return 'python3 -c \'import time; print("job running", flush=True); time.sleep(15); print("job done")\'';
    case "oom":
      // The job task has the scheduler's size (2 GiB here): 4 GiB makes the kernel kill the container, as on Fargate.
      return "python3 -c \"print('allocating', flush=True); b = b'x' * (4096 * 1024 * 1024)\"";
  }
}

/** The run's result, and the counted fault rules that were not used up (a recovery proves nothing if its fault never hit). */
async function run(scenario: JobScenario, clusterId: string): Promise<{ result: RunResult; unusedFaults: number }> {
  let victim = "";
  let unusedFaults = 0;
  let interrupted = false;
  const outputDir = scenario.job === "outputs" ? join(scratch, clusterId) : undefined;
  const result = await runPipeline(
    {
      backend: "fargate",
      settings: {
        fargate: {
          region,
          outputUri: `s3://${bucket}/matrix/`,
          ...(scenario.interruptSpotWorker ? { spotWorkers: true } : {}),
        },
      },
      cluster: { clusterId, workers: 1, schedulerMemory: "2GB", workerCpu: 1, workerMemory: "2GB" },
      image: { image: inject("daskImage"), record: false },
      tlsDirFor: (id) => join(scratch, "tls", id),
      job: { command: commandOf(scenario.job), runsOn: "cluster", workdir: ".", ...(outputDir ? { outputDir } : {}) },
    },
    {
      logger: { info: () => {}, warn: () => {}, debug: () => {} },
      signal: new AbortController().signal,
      onReady: (handle) => {
        victim = handle.fargate?.workerTaskArns[0] ?? "";
        for (const rule of scenario.rules ?? []) emulator.addFault(rule);
      },
      onJobOutput: (line) => {
        if (scenario.interruptSpotWorker && line === "job running" && !interrupted) {
          interrupted = true;
          emulator.interruptSpot(victim);
        }
      },
      phase: (phase, _title, work) => {
        if (phase === "down") {
          unusedFaults = (emulator.listFaults() as { left: number | null }[]).filter((f) => f.left !== null).length;
          emulator.clearFaults();
        }
        return work();
      },
    },
  );
  return { result, unusedFaults };
}

describe("fault matrix: job and outputs phases, real containers", () => {
  test.each(JOB_SCENARIOS.map((s) => [`${s.phase}: ${s.fault}`, s] as const))("%s", async (name, scenario) => {
    const started = Date.now();
    const clusterId = newClusterId();
    const { result, unusedFaults } = await run(scenario, clusterId).finally(() => emulator.clearFaults());
    const leftovers = await awsLeftovers(clients, clusterId);
    const { outcome } = scenario;
    const namesPhase = result.message.includes(`${scenario.phase} phase`);
    let ok: boolean;
    if (outcome.kind === "recovers") {
      const files =
        scenario.job === "outputs"
          ? await readFile(join(scratch, clusterId, "model.json"), "utf8").catch(() => "")
          : "";
      ok =
        result.ending === "succeeded" &&
        result.failedPhase === undefined &&
        unusedFaults === 0 &&
        (scenario.job !== "outputs" || files === '{"trees": 10}');
    } else if (outcome.kind === "reports") {
      ok = result.ending === "succeeded" && outcome.cause.test(result.message) && namesPhase;
    } else {
      // Files that did not come back fail the run even when the job succeeded (exit code 1).
      const exitsNonZero = result.exitCode !== 0;
      ok = result.failedPhase === scenario.phase && outcome.cause.test(result.message) && namesPhase && exitsNonZero;
    }
    results.push({
      name,
      ok: ok && leftovers.length === 0,
      seconds: (Date.now() - started) / 1000,
      message: result.message,
    });
    expect(leftovers).toEqual([]);
    expect({
      ending: result.ending,
      failedPhase: result.failedPhase,
      message: result.message,
      unusedFaults,
      ok,
    }).toMatchObject({ ok: true });
  });
});
