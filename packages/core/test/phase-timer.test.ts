import { expect, test } from "vitest";
import { PhaseTimer } from "../src/index.js";

test("phases are recorded in order, also when the work fails, and keep the work's result", async () => {
  const timer = new PhaseTimer();
  expect(await timer.time("up", async () => 42)).toBe(42);
  await expect(timer.time("job", () => Promise.reject(new Error("exit 3")))).rejects.toThrow("exit 3");
  expect(Object.keys(timer.toJSON())).toEqual(["up", "job"]);
  expect(Object.values(timer.toJSON()).every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
  expect(timer.toString()).toMatch(/^up \d+\.\d s, job \d+\.\d s$/);
});
