import { describe, expect, test } from "vitest";
import { comparePlatformVersions, platformAtLeast } from "../src/fargate/platform-version.js";
import { ClusterConfigError, resolveClusterSpec, resolveFargateSpec } from "../src/index.js";

describe("platform versions are compared as numbers, not as strings", () => {
  test.each([
    ["1.10.0", "1.4.0", 1],
    ["1.4.0", "1.10.0", -1],
    ["1.4.0", "1.4.0", 0],
    ["1.3.0", "1.4.0", -1],
    ["2.0.0", "1.40.0", 1],
    ["1.4.10", "1.4.9", 1],
  ])("%s against %s is %i", (a, b, order) => {
    expect(comparePlatformVersions(a, b)).toBe(order);
  });

  test.each([
    ["LATEST", true],
    ["1.4.0", true],
    ["1.10.0", true],
    ["1.3.0", false],
  ])("%s is at least 1.4.0: %s", (version, atLeast) => {
    expect(platformAtLeast(version, "1.4.0")).toBe(atLeast);
  });
});

describe("8 and 16 vCPU tasks need platform version 1.4.0 or later", () => {
  const big = resolveClusterSpec({ image: "dask:1", workers: 1, workerCpu: 8, workerMemory: "16GB" });
  const fargate = (platformVersion: string) => resolveFargateSpec({ region: "us-east-1", platformVersion }, big);

  test("1.10.0 is later than 1.4.0 and accepted", () => {
    expect(fargate("1.10.0").platformVersion).toBe("1.10.0");
  });

  test("1.3.0 is refused with the rule", () => {
    expect(() => fargate("1.3.0")).toThrowError(
      new ClusterConfigError("platform-version", "8 and 16 vCPU tasks need platform version 1.4.0 or later"),
    );
  });

  test("a version that is not major.minor.patch is refused before anything is created", () => {
    expect(() => fargate("1.4")).toThrowErrorMatchingInlineSnapshot(
      `[ClusterConfigError: platform-version: "1.4" is not a Fargate platform version; use LATEST (the default) or a version such as 1.4.0]`,
    );
  });
});
