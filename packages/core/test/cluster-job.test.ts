import { describe, expect, test } from "vitest";
import { type ClusterBackend, type ClusterHandle, resolveClusterSpec, runClusterJob } from "../src/index.js";

// runClusterJob is the one place that tells jobs in the cluster from jobs on the runner; the backends are proven
// on real engines by backend-contract.itest.ts. Here, with a backend that only records, the dispatch itself.
const spec = resolveClusterSpec({ image: "dask:1", clusterId: "dfa-0123abcd", workers: 1 });
const handle = (clientSchedulerAddress: string | undefined): ClusterHandle => ({
  backend: "docker",
  clusterId: spec.clusterId,
  spec,
  schedulerAddress: "tcp://dfa-0123abcd-scheduler:8786",
  clientSchedulerAddress,
  dashboardUrl: undefined,
  clientTlsFiles: undefined,
  memberTlsFiles: undefined,
  tlsDir: "/tmp/none",
  createdAt: "2026-11-26T00:00:00.000Z",
  expiresAt: "2026-11-26T06:00:00.000Z",
});
function recordingBackend(calls: string[]): ClusterBackend {
  const never = () => {
    throw new Error("not part of this test");
  };
  return {
    name: "docker",
    resolve: never,
    validate: never,
    plan: never,
    preflight: never,
    up: never,
    scale: never,
    removeWorkers: never,
    down: never,
    reap: never,
    logs: never,
    runJob: async () => {
      calls.push("runJob");
      return { exitCode: 7, stoppedMembers: [], durationMs: 1 };
    },
    watchMembers: async () => {
      calls.push("watch");
      const replacements = [
        {
          member: "dfa-0123abcd-worker-0",
          stopCode: "ContainerDied",
          exitCode: 137,
          reason: undefined,
          replacement: "dfa-0123abcd-worker-0 (started again)",
          startedAt: 5,
        },
      ];
      return {
        stopped: [{ member: "dfa-0123abcd-worker-0", exitCode: 137 }],
        replacements,
        stop: async () => {
          calls.push("unwatch");
        },
      };
    },
  };
}
const logger = { info: () => {}, warn: () => {}, debug: () => {} };

describe("runClusterJob", () => {
  test("a job in the cluster is the backend's", async () => {
    const calls: string[] = [];
    const result = await runClusterJob(
      recordingBackend(calls),
      handle(undefined),
      { command: "true", runsOn: "cluster", workdir: "." },
      { logger },
    );
    expect([result.exitCode, calls]).toEqual([7, ["runJob"]]);
  });

  test("a job on the runner never reaches the backend's runJob; members that stopped meanwhile and their replacements are reported; the watch ends once", async () => {
    const calls: string[] = [];
    const result = await runClusterJob(
      recordingBackend(calls),
      handle("tcp://127.0.0.1:1"),
      { command: "exit 4", runsOn: "runner", workdir: "." },
      { logger },
    );
    expect(result.exitCode).toBe(4);
    expect(result.stoppedMembers).toEqual([{ member: "dfa-0123abcd-worker-0", exitCode: 137 }]);
    expect(result.replacements?.map((r) => r.replacement)).toEqual(["dfa-0123abcd-worker-0 (started again)"]);
    expect(calls).toEqual(["watch", "unwatch"]);
  });

  test("a runner job the scheduler cannot be reached for is refused, and the watch still ends", async () => {
    const calls: string[] = [];
    await expect(
      runClusterJob(
        recordingBackend(calls),
        handle(undefined),
        { command: "true", runsOn: "runner", workdir: "." },
        { logger },
      ),
    ).rejects.toThrow(/job-runs-on: cluster/);
    expect(calls).toEqual(["watch", "unwatch"]);
  });
});
