import { describe, expect, test } from "vitest";
import { Faults, parseFaultRule } from "../src/faults.js";
import { seededRng } from "../src/rng.js";

describe("faults", () => {
  test.each([
    [null, `a fault must be an object like {"operation":"RunTask","kind":"throttle","times":2}`],
    [{ kind: "throttle" }, 'a fault needs "operation" (e.g. "RunTask" or "*")'],
    [
      { operation: "RunTask", kind: "explode" },
      `a fault's "kind" must be one of error, throttle, slow, drop, capacity; got explode`,
    ],
    [{ operation: "RunTask", kind: "slow", delayMs: -1 }, `a fault's "delayMs" must be a non-negative number`],
    [{ operation: "RunTask", kind: "error", body: "xml" }, `a fault's "body" must be "aws", "empty" or "html"`],
  ])("%j is refused: %s", (rule, message) => {
    expect(() => parseFaultRule(rule)).toThrow(message);
  });

  test("a rule applies to its operation (or all with *) for `times` calls", () => {
    const faults = new Faults(seededRng(1));
    faults.add({ operation: "RunTask", kind: "throttle", times: 2 });
    faults.add({ operation: "*", kind: "slow", delayMs: 10 });
    expect(faults.take("DescribeTasks", ["throttle"])).toEqual([]);
    expect(faults.take("RunTask", ["throttle", "slow"])).toHaveLength(2);
    expect(faults.take("RunTask", ["throttle"])).toHaveLength(1);
    expect(faults.take("RunTask", ["throttle"])).toHaveLength(0);
    expect(faults.list()).toEqual([{ id: "f2", rule: { operation: "*", kind: "slow", delayMs: 10 }, left: null }]);
  });

  test("the record keeps how many calls each rule hit, after it is used up or cleared, until forget", () => {
    const faults = new Faults(seededRng(1));
    const once = faults.add({ operation: "RunTask", kind: "throttle", times: 1 });
    const never = faults.add({ operation: "StopTask", kind: "error" });
    const every = faults.add({ operation: "DescribeTasks", kind: "slow", delayMs: 1 });
    faults.take("RunTask", ["throttle"]);
    faults.take("RunTask", ["throttle"]);
    faults.take("DescribeTasks", ["slow"]);
    faults.take("DescribeTasks", ["slow"]);
    faults.clear();
    expect(faults.list()).toEqual([]);
    expect(faults.uses()).toEqual([
      { id: once, rule: { operation: "RunTask", kind: "throttle", times: 1 }, used: 1 },
      { id: never, rule: { operation: "StopTask", kind: "error" }, used: 0 },
      { id: every, rule: { operation: "DescribeTasks", kind: "slow", delayMs: 1 }, used: 2 },
    ]);
    faults.forget();
    expect(faults.uses()).toEqual([]);
  });

  test("a probability is drawn from the seeded generator, so runs repeat", () => {
    const draw = () => {
      const faults = new Faults(seededRng(42));
      faults.add({ operation: "RunTask", kind: "error", probability: 0.3 });
      return Array.from({ length: 40 }, () => faults.take("RunTask", ["error"]).length);
    };
    const first = draw();
    expect(draw()).toEqual(first);
    const hits = first.reduce((a, b) => a + b, 0);
    expect(hits).toBeGreaterThan(3);
    expect(hits).toBeLessThan(25);
  });
});
