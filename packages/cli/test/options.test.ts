import { describe, expect, test } from "vitest";
import { HELP } from "../src/index.js";
import { backendOf, clusterInputOf, jobRunsOnOf, parseFlags } from "../src/options.js";

describe("flags", () => {
  test("flag names are the action's input names and map to spec fields", () => {
    const { values } = parseFlags([
      "--workers",
      "4",
      "--worker-cpu",
      "2",
      "--worker-memory",
      "8GB",
      "--scheduler-memory",
      "4GB",
      "--cluster-id",
      "c1",
      "--no-tls",
    ]);
    expect(clusterInputOf(values, "img:1")).toEqual({
      image: "img:1",
      clusterId: "c1",
      workers: "4",
      workerCpu: "2",
      workerMemory: "8GB",
      schedulerMemory: "4GB",
      tls: false,
    });
  });
  test("an unknown flag names itself", () => {
    expect(() => parseFlags(["--wrokers", "2"])).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: arguments: Unknown option '--wrokers'; see dask-fargate COMMAND --help]`,
    );
  });
  test("backend and job-runs-on accept only their values", () => {
    expect(() => backendOf(parseFlags(["--backend", "k8s"]).values)).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: backend: "k8s" is not docker or fargate]`,
    );
    expect(() => jobRunsOnOf(parseFlags(["--job-runs-on", "laptop"]).values)).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: job-runs-on: "laptop" is not cluster or runner]`,
    );
    expect(backendOf(parseFlags([]).values)).toBe("docker");
  });
  test("every command has help with usage", () => {
    for (const command of ["build", "plan", "up", "status", "scale", "run", "logs", "down", "reap"]) expect(HELP[command]).toMatch(/^Usage: dask-fargate /);
  });
});
