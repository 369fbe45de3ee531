import { describe, expect, test } from "vitest";
import { adminHandler, type EmulatorControls } from "../src/admin.js";
import type { FaultRule } from "../src/faults.js";
import { FAST_TIMING } from "../src/lifecycle.js";
import { FargateQuotas } from "../src/service-quotas.js";

function controls() {
  const calls: string[] = [];
  const faults: FaultRule[] = [];
  const quotas = new FargateQuotas();
  const c: EmulatorControls = {
    state: () => ({ tasks: [] }),
    reset: async () => void calls.push("reset"),
    addFault: (rule) => `f${faults.push(rule)}`,
    removeFault: (id) => id === "f1",
    clearFaults: () => void calls.push("clear"),
    listFaults: () => faults,
    faultUses: () => faults.map((rule, i) => ({ id: `f${i + 1}`, rule, used: 1 })),
    interruptSpot: (task) => {
      if (task !== "arn:spot") throw new Error(`task ${task} is not on FARGATE_SPOT`);
      calls.push(`spot ${task}`);
    },
    killTask: async (task, exitCode) => void calls.push(`kill ${task} ${exitCode}`),
    setTiming: (t) => ({ ...FAST_TIMING, ...t }),
    setThrottling: (enabled) => void calls.push(`throttling ${enabled}`),
    quotas: (values) => (values ? quotas.set(values) : quotas.values()),
  };
  return { handler: adminHandler(c), calls, faults };
}

describe("admin endpoint", () => {
  test("routes", async () => {
    const { handler, calls, faults } = controls();
    expect(await handler("GET", "/_emulator/health", {})).toEqual({ status: 200, json: { ok: true } });
    expect(
      await handler("POST", "/_emulator/faults", [
        { operation: "RunTask", kind: "throttle" },
        { operation: "*", kind: "drop", times: 1 },
      ]),
    ).toEqual({
      status: 200,
      json: { ids: ["f1", "f2"] },
    });
    expect(faults).toHaveLength(2);
    expect(await handler("GET", "/_emulator/faults/uses", {})).toEqual({
      status: 200,
      json: {
        uses: [
          { id: "f1", rule: { operation: "RunTask", kind: "throttle" }, used: 1 },
          { id: "f2", rule: { operation: "*", kind: "drop", times: 1 }, used: 1 },
        ],
      },
    });
    expect(await handler("DELETE", "/_emulator/faults/f1", {})).toEqual({ status: 200, json: { removed: "f1" } });
    expect((await handler("DELETE", "/_emulator/faults/f9", {})).status).toBe(404);
    await handler("POST", "/_emulator/spot-interruption", { task: "arn:spot" });
    await handler("POST", "/_emulator/kill", { task: "arn:t", exitCode: 1 });
    await handler("POST", "/_emulator/throttling", { enabled: false });
    await handler("POST", "/_emulator/reset", {});
    expect(calls).toEqual(["spot arn:spot", "kill arn:t 1", "throttling false", "reset"]);
    expect((await handler("POST", "/_emulator/timing", { provisioningMs: 5 })).json).toEqual({
      timing: { ...FAST_TIMING, provisioningMs: 5 },
    });
  });

  test("mistakes are answered with what is wrong", async () => {
    const { handler } = controls();
    expect(await handler("POST", "/_emulator/faults", { operation: "RunTask", kind: "boom" })).toEqual({
      status: 400,
      json: { error: `a fault's "kind" must be one of error, throttle, slow, drop, capacity; got boom` },
    });
    expect(await handler("POST", "/_emulator/spot-interruption", { task: "arn:on-demand" })).toEqual({
      status: 400,
      json: { error: "task arn:on-demand is not on FARGATE_SPOT" },
    });
    expect(await handler("GET", "/_emulator/nothing", {})).toEqual({
      status: 404,
      json: { error: "no admin route GET nothing; see the emulator's README" },
    });
  });
});
