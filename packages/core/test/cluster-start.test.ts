import { describe, expect, test } from "vitest";
import { CancelledError, resolveClusterSpec } from "../src/index.js";
import { clusterStart } from "../src/internal/cluster-start.js";
import type { Logger } from "../src/logger.js";

const spec = resolveClusterSpec({ image: "dask:1", clusterId: "c1", workers: 1, maxLifetime: "2h" });
const clock = { now: () => Date.parse("2026-01-02T03:04:05.000Z"), sleep: async () => {} };
const recorder = () => {
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, debug: () => {}, warn: (m) => void warnings.push(m) };
  return { logger, warnings };
};

test("one start time stamps created-at, and expires-at is start + maximum lifetime", () => {
  const start = clusterStart(spec, recorder().logger, { clock, tlsDir: "/state/c1" });
  expect([start.createdAt, start.expiresAt, start.tlsDir]).toEqual([
    "2026-01-02T03:04:05.000Z",
    "2026-01-02T05:04:05.000Z",
    "/state/c1",
  ]);
  expect(clusterStart(spec, recorder().logger, { clock }).tlsDir).toMatch(/dask-fargate\/c1$/);
});

test("checkAbort throws a CancelledError only once the signal fired", () => {
  const controller = new AbortController();
  const start = clusterStart(spec, recorder().logger, { clock, signal: controller.signal });
  expect(() => start.checkAbort()).not.toThrow();
  controller.abort();
  expect(() => start.checkAbort()).toThrow(CancelledError);
});

describe("failed", () => {
  test("runs the cleanup and returns the cause", async () => {
    const { logger, warnings } = recorder();
    const cause = new Error("RunTask failed\nwith details");
    let cleaned = false;
    const returned = await clusterStart(spec, logger, { clock }).failed(cause, async () => (cleaned = true), "down c1");
    expect(returned).toBe(cause);
    expect(cleaned).toBe(true);
    expect(warnings).toEqual(["start of cluster c1 failed (RunTask failed); removing what was created"]);
  });

  test("a failing cleanup is reported with how to finish it, and the start's cause is kept", async () => {
    const { logger, warnings } = recorder();
    const cause = new Error("bad subnet");
    const returned = await clusterStart(spec, logger, { clock }).failed(
      cause,
      () => Promise.reject(new Error("engine gone")),
      "dask-fargate down --cluster-id c1",
    );
    expect(returned).toBe(cause);
    expect(warnings[1]).toBe(
      "the cleanup of c1 failed too (engine gone); finish it with dask-fargate down --cluster-id c1",
    );
  });

  test("a start that created nothing announces no cleanup", async () => {
    const { logger, warnings } = recorder();
    const cause = new Error("no credentials");
    expect(await clusterStart(spec, logger, { clock }).failed(cause, undefined, "down c1")).toBe(cause);
    expect(warnings).toEqual([]);
  });

  test("after the signal fired the cause is wrapped in a CancelledError", async () => {
    const controller = new AbortController();
    controller.abort();
    const cause = new Error("socket closed");
    const returned = await clusterStart(spec, recorder().logger, { clock, signal: controller.signal }).failed(
      cause,
      async () => {},
      "down c1",
    );
    expect(returned).toBeInstanceOf(CancelledError);
    expect((returned as Error).cause).toBe(cause);
  });
});
