import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createAwsClients, setupRoles } from "../src/index.js";
import { emulatorLeftovers } from "./integration/emulator.js";
import { runScenario, SCENARIOS, type ScenarioResult } from "./integration/fault-matrix.js";

// The fault scenario matrix on the Fargate emulator (issue 14), every phase from roles to teardown, tasks
// without containers. One runner (fault-matrix.ts); each row says what the fault is and how the run must end.
let emulator: Emulator;
const results: (ScenarioResult & { readonly name: string })[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: "fast" });
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" });
  await setupRoles(createAwsClients({ region: "us-east-1" }));
});

afterAll(async () => {
  process.stderr.write(
    `fault matrix:\n${results.map((r) => `  ${r.ok ? "ok  " : "FAIL"} ${r.seconds.toFixed(1)} s  ${r.name}${r.message ? ` — ${r.message.split("\n")[0]?.slice(0, 160)}` : ""}`).join("\n")}\n`,
  );
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

describe("fault matrix", () => {
  test.each(SCENARIOS.map((s) => [`${s.phase}: ${s.fault}`, s] as const))("%s", async (name, scenario) => {
    const result = await runScenario(emulator, scenario);
    results.push({ ...result, name });
    expect(result.leftovers).toEqual([]);
    expect({ message: result.message, ok: result.ok }).toMatchObject({ ok: true });
  });
});
