import { describe, expect, test } from "vitest";
import { clampUlimit, hostHardLimits } from "../src/host-limits.js";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max processes             unlimited            unlimited            processes
Max open files            20000                20000                files
Max locked memory         8388608              8388608              bytes
`;

describe("ulimits above the engine's own", () => {
  test("the host's hard limits are read by ulimit name; unlimited ones are absent", () => {
    expect(hostHardLimits(LIMITS)).toEqual({ nofile: 20000, memlock: 8388608 });
  });

  test("a task's nofile of 65536 (fine on Fargate) is lowered to the host's 20000; smaller ones stay", () => {
    const host = hostHardLimits(LIMITS);
    expect(clampUlimit("nofile", 65536, 65536, host)).toEqual({ soft: 20000, hard: 20000, lowered: true });
    expect(clampUlimit("nofile", 4096, 4096, host)).toEqual({ soft: 4096, hard: 4096, lowered: false });
    expect(clampUlimit("nproc", 1 << 20, 1 << 20, host)).toEqual({ soft: 1 << 20, hard: 1 << 20, lowered: false });
  });
});
