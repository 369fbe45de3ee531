import { describe, expect, test } from "vitest";
import { hourlyFargateCost, resolveClusterSpec } from "../src/index.js";
import { COST_LIMITS } from "../src/internal/cost-limits.js";

const messageOf = (input: Record<string, unknown>): string => {
  try {
    resolveClusterSpec({ image: "dask:1", clusterId: "c1", ...input });
    return "(no error)";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("cost limits hold unless allow-unbounded-cost is set", () => {
  test("the issue's example (500 workers × 16 vCPU × 120 GB for 87,600 h) and each limit alone are refused", () => {
    expect({
      "the example": messageOf({ workers: 500, workerCpu: 16, workerMemory: "120GB", maxLifetime: "87600h" }),
      "max-lifetime": messageOf({ maxLifetime: "25h" }),
      "idle-timeout": messageOf({ idleTimeout: "3h" }),
      "total vCPUs": messageOf({ workers: 32, workerCpu: 4 }),
    }).toMatchInlineSnapshot(`
      {
        "idle-timeout": "idle-timeout: 3 h is more than the 2 h limit; set allow-unbounded-cost to lift the limit (and set an AWS Budgets alert)",
        "max-lifetime": "max-lifetime: 25 h is more than the 24 h limit; set allow-unbounded-cost to lift the limit (and set an AWS Budgets alert)",
        "the example": "max-lifetime: 87600 h is more than the 24 h limit; set allow-unbounded-cost to lift the limit (and set an AWS Budgets alert)",
        "total vCPUs": "workers: 1 scheduler of 1 vCPU + 32 workers of 4 vCPU is 129 vCPUs, more than the 128 vCPU limit; use fewer or smaller workers, or set allow-unbounded-cost to lift the limit (and set an AWS Budgets alert)",
      }
    `);
  });
  test("shapes at the limits pass, and the opt-out lifts them", () => {
    expect(messageOf({ workers: 127, workerCpu: 1, maxLifetime: "24h", idleTimeout: "2h" })).toBe("(no error)");
    expect(
      messageOf({
        workers: 500,
        workerCpu: 16,
        workerMemory: "120GB",
        maxLifetime: "87600h",
        allowUnboundedCost: true,
      }),
    ).toBe("(no error)");
    expect(COST_LIMITS.totalVcpu).toBe(128);
  });
});

test("the hourly cost of the requested shape, and the most it can cost before max-lifetime ends it", () => {
  const spec = resolveClusterSpec({
    image: "dask:1",
    clusterId: "c1",
    workers: 4,
    workerCpu: 2,
    workerMemory: "8GB",
    maxLifetime: "6h",
  });
  const cost = hourlyFargateCost(spec, "X86_64", 1, false);
  // 1 scheduler (1 vCPU, 2 GB) + 4 × (2 vCPU, 8 GB) + 1 public IPv4, at $0.04048/vCPU-h, $0.004445/GB-h, $0.005/IP-h.
  const expected = 1 * 0.04048 + 2 * 0.004445 + 4 * (2 * 0.04048 + 8 * 0.004445) + 0.005;
  expect(cost.usd).toBeCloseTo(expected, 10);
  expect(cost.maxLifetimeUsd).toBeCloseTo(expected * 6, 10);
  expect(cost.text).toBe(
    `about $${expected.toFixed(2)} per hour; at most $${(expected * 6).toFixed(2)} before the 6 h max-lifetime ends it`,
  );
});
