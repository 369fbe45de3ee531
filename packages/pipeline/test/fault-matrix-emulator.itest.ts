import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAwsClients, downFargateCluster, newClusterId, setupRoles } from "@dask-fargate-action/core";
import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import { runPhaseOf, SCENARIOS, type Scenario } from "@dask-fargate-action/testkit/fault-matrix";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { renderPictures, runPipeline } from "../src/index.js";

// The fault scenario matrix's rows 1–33 (issue 14; the table is core's fault-matrix.ts, listed in docs/reliability.md)
// on the Fargate emulator, tasks without containers (`--exec none`). Each row is one `run` as the CLI and the action
// make it — runPipeline with the Fargate backend and a job on the runner (`true`), so the message under test is the
// one the user reads — with the fault on one phase: armed before the run (up's phases) or when the teardown starts.
// Then a second teardown by cluster id alone with fresh clients, as after a crash. Each row asserts:
// - nothing of the cluster remains (`awsLeftovers`);
// - its fault was used: every emulator rule of the row hit at least one call (a counted rule: all its `times`), from the
//   emulator's own record (`faultUses`); a middleware fault, from its own count; "teardown twice": the run's teardown
//   removed the cluster and the second one found nothing;
// - a recovery: the run succeeded and its message names no failed phase; a failure: the run failed in the row's phase
//   (`up` or `down`), and its message starts with `up phase: ` / `down phase: ` and names the cause.
const region = "us-east-1";
let emulator: Emulator;
let scratch = "";
const results: { name: string; ok: boolean; seconds: number; message: string }[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: "fast" });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: region,
  });
  await setupRoles(createAwsClients({ region }));
  scratch = await mkdtemp(join(tmpdir(), "dfa-fault-matrix-"));
});

afterAll(async () => {
  process.stderr.write(
    `fault matrix:\n${results.map((r) => `  ${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)} s  ${r.name}${r.message ? ` — ${r.message.split("\n")[0]?.slice(0, 160)}` : ""}`).join("\n")}\n`,
  );
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
  await rm(scratch, { recursive: true, force: true });
});

/** What a row did: the run's ending, failed phase and message; how its fault was used; what the second teardown removed. */
async function runScenario(scenario: Scenario) {
  const clusterId = newClusterId();
  const clients = createAwsClients({ region });
  const ruleIds: string[] = [];
  let middlewareFired = 0;
  let disarm: () => void = () => undefined;
  let armed = false;
  const arm = () => {
    armed = true;
    for (const rule of scenario.rules ?? []) ruleIds.push(emulator.addFault(rule));
    disarm = scenario.middleware?.(clients, () => middlewareFired++) ?? (() => undefined);
  };
  const unarm = () => {
    disarm();
    disarm = () => undefined;
    emulator.clearFaults();
  };
  let firstTeardownRemoved = 0;
  if (scenario.phase !== "teardown") arm();
  const result = await runPipeline(
    {
      backend: "fargate",
      // The job runs on this machine, so the scheduler must be reachable from it: ingress from here, on its public IP.
      settings: { fargate: { region, clientCidr: "127.0.0.1/32" }, clients },
      cluster: { clusterId, workers: 2, workerCpu: 1, workerMemory: "2GB" },
      image: { image: "dask:matrix", record: false },
      tlsDirFor: (id) => join(scratch, id),
      job: { command: "true", runsOn: "runner", workdir: scratch },
    },
    {
      logger: { info: () => {}, warn: () => {}, debug: () => {} },
      signal: new AbortController().signal,
      phase: async (phase, _title, work) => {
        if (phase !== "down") return work();
        // Up's faults end with up; the teardown's start here.
        if (scenario.phase === "teardown") arm();
        else unarm();
        try {
          const report = await work();
          firstTeardownRemoved = (report as { removed?: unknown[] }).removed?.length ?? 0;
          return report;
        } finally {
          unarm();
        }
      },
    },
  ).finally(unarm);
  const second = await downFargateCluster({ clusterId }, { clients: createAwsClients({ region }) });
  const leftovers = await awsLeftovers(createAwsClients({ region }), clusterId);
  const uses = emulator.faultUses().filter((u) => ruleIds.includes(u.id));
  return {
    result,
    armed,
    uses,
    middlewareFired,
    firstTeardownRemoved,
    secondTeardownRemoved: second.removed.length,
    leftovers,
  };
}

describe("fault matrix: every phase from roles to teardown, as a run", () => {
  test.each(SCENARIOS.map((s) => [`${s.phase}: ${s.fault}`, s] as const))("%s", async (name, scenario) => {
    const started = Date.now();
    const run = await runScenario(scenario);
    const { result } = run;
    // The fault was used: each rule hit a call (a counted one, all its times); a middleware made its fault.
    const unused = run.uses
      .filter((u) => u.used === 0 || (u.rule.times !== undefined && u.used < u.rule.times))
      .map((u) => `${u.id} used ${u.used}`);
    const faultUsed =
      (scenario.rules ?? []).length > 0
        ? run.uses.length === (scenario.rules ?? []).length && unused.length === 0
        : scenario.middleware
          ? run.middlewareFired > 0
          : // "teardown twice": the run's teardown removed the cluster, the second found nothing.
            run.firstTeardownRemoved > 0 && run.secondTeardownRemoved === 0;
    const { outcome } = scenario;
    const phase = runPhaseOf(scenario.phase);
    const outcomeOk =
      outcome.kind === "recovers"
        ? result.ending === "succeeded" && result.failedPhase === undefined && !/phase: /.test(result.message)
        : result.ending === "error" &&
          result.failedPhase === phase &&
          result.message.startsWith(`${phase} phase: `) &&
          outcome.cause.test(result.message);
    // The start's picture: ECS's timestamps of the tasks of every start that launched them, and a task that stopped
    // during the start drawn red with its reason.
    const timeline = result.pictures.startTimeline;
    const scheduler = timeline?.members.find((m) => m.role === "scheduler");
    const pictureOk = scenario.fault.includes("(the scheduler task stops)")
      ? outcome.kind === "fails" &&
        outcome.cause.test(scheduler?.failure ?? "") &&
        / :crit, /.test(renderPictures(result.pictures))
      : outcome.kind !== "recovers" ||
        timeline?.members.filter((m) => m.startedAt !== undefined && m.pullStartedAt !== undefined).length === 3;
    // The run's result says what became of its teardown: a failed one with its own error; after a failed start whose
    // cleanup removed everything, this pass finds the rest gone.
    const teardownOk =
      outcome.kind === "fails" && phase === "down"
        ? result.teardown.state === "failed" &&
          outcome.cause.test(String(result.teardown.state === "failed" ? result.teardown.error : ""))
        : result.teardown.state === "done" || (outcome.kind === "fails" && result.teardown.state === "not needed");
    const ok = run.armed && faultUsed && outcomeOk && pictureOk && teardownOk && run.leftovers.length === 0;
    results.push({ name, ok, seconds: (Date.now() - started) / 1000, message: result.message });
    expect(run.leftovers).toEqual([]);
    expect({
      ending: result.ending,
      failedPhase: result.failedPhase,
      message: result.message,
      unused,
      uses: run.uses.length,
      middlewareFired: run.middlewareFired,
      teardowns: [run.firstTeardownRemoved, run.secondTeardownRemoved],
      faultUsed,
      outcomeOk,
      pictureOk,
      teardown: result.teardown.state,
      teardownOk,
    }).toMatchObject({ faultUsed: true, outcomeOk: true, pictureOk: true, teardownOk: true });
  });
});

test("a run's backend starts the cluster with the run's own resolved Fargate spec, not one it resolved again", async () => {
  const clusterId = newClusterId();
  const result = await runPipeline(
    {
      backend: "fargate",
      settings: { fargate: { region, clientCidr: "127.0.0.1/32" }, clients: createAwsClients({ region }) },
      cluster: { clusterId, workers: 1 },
      image: { image: "dask:matrix", record: false },
      tlsDirFor: (id) => join(scratch, id),
    },
    { logger: { info: () => {}, warn: () => {}, debug: () => {} }, signal: new AbortController().signal },
  );
  try {
    expect(result.ending, result.message).toBe("up");
    expect(result.teardown).toEqual({ state: "not needed" });
    // The handle's Fargate spec is the very object resolveRun made: the backend took it as given.
    expect(result.handle?.fargate?.spec).toBe(
      result.run.backendSpec.backend === "fargate" ? result.run.backendSpec.fargate : undefined,
    );
    expect(result.spec).toBe(result.run.cluster);
  } finally {
    await downFargateCluster(
      { clusterId },
      { clients: createAwsClients({ region }), tlsDir: join(scratch, clusterId) },
    );
  }
  expect(await awsLeftovers(createAwsClients({ region }), clusterId)).toEqual([]);
});
