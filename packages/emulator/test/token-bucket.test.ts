import { describe, expect, test } from "vitest";
import { ECS_BUCKETS, FARGATE_LAUNCH_BUCKET, Throttle, TokenBucket } from "../src/token-bucket.js";

function clock() {
  let t = 1_000_000;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe("token buckets (facts.md, ECS API reference 'Request throttling')", () => {
  test("the values are AWS's", () => {
    expect(ECS_BUCKETS.taskWrites).toMatchObject({
      burst: 100,
      perSecond: 40,
      operations: ["RunTask", "StartTask", "StopTask"],
    });
    expect(ECS_BUCKETS.taskReads).toMatchObject({
      burst: 100,
      perSecond: 20,
      operations: ["DescribeTasks", "ListTasks"],
    });
    expect(ECS_BUCKETS.taskDefinitions).toMatchObject({ burst: 20, perSecond: 1 });
    expect(ECS_BUCKETS.clusters).toMatchObject({ burst: 20, perSecond: 1 });
    expect(ECS_BUCKETS.fargateRunTask).toMatchObject({ burst: 20, perSecond: 20 });
    expect(FARGATE_LAUNCH_BUCKET).toEqual({ burst: 100, perSecond: 20 });
  });

  test("a bucket gives its burst, then refills at its rate, never above the burst", () => {
    const c = clock();
    const bucket = new TokenBucket(100, 40, c.now);
    for (let i = 0; i < 100; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    c.advance(100); // 4 tokens at 40/s
    for (let i = 0; i < 4; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    c.advance(3_600_000);
    expect(bucket.available()).toBe(100);
  });

  test("StopTask and RunTask share one bucket; RunTask is also limited to 20 calls per second by Fargate", () => {
    const c = clock();
    const throttle = new Throttle(c.now);
    for (let i = 0; i < 20; i++) expect(throttle.takeCall("us-east-1", "RunTask")).toBe(true);
    expect(throttle.takeCall("us-east-1", "RunTask")).toBe(false);
    for (let i = 0; i < 80; i++) expect(throttle.takeCall("us-east-1", "StopTask")).toBe(true);
    expect(throttle.takeCall("us-east-1", "StopTask")).toBe(false);
    c.advance(1000);
    // 40 tokens back in the shared bucket, 20 in Fargate's RunTask bucket.
    for (let i = 0; i < 20; i++) expect(throttle.takeCall("us-east-1", "RunTask")).toBe(true);
    expect(throttle.takeCall("us-east-1", "RunTask")).toBe(false);
    for (let i = 0; i < 20; i++) expect(throttle.takeCall("us-east-1", "StopTask")).toBe(true);
    expect(throttle.takeCall("us-east-1", "StopTask")).toBe(false);
  });

  test("DescribeTasks and ListTasks share 100 burst and 20 per second; regions have their own buckets", () => {
    const c = clock();
    const throttle = new Throttle(c.now);
    for (let i = 0; i < 50; i++) expect(throttle.takeCall("us-east-1", "DescribeTasks")).toBe(true);
    for (let i = 0; i < 50; i++) expect(throttle.takeCall("us-east-1", "ListTasks")).toBe(true);
    expect(throttle.takeCall("us-east-1", "DescribeTasks")).toBe(false);
    expect(throttle.takeCall("eu-west-1", "DescribeTasks")).toBe(true);
    c.advance(500);
    for (let i = 0; i < 10; i++) expect(throttle.takeCall("us-east-1", "ListTasks")).toBe(true);
    expect(throttle.takeCall("us-east-1", "ListTasks")).toBe(false);
  });

  test("RegisterTaskDefinition refills at one per second; operations without a bucket pass", () => {
    const c = clock();
    const throttle = new Throttle(c.now);
    for (let i = 0; i < 20; i++) expect(throttle.takeCall("us-east-1", "RegisterTaskDefinition")).toBe(true);
    expect(throttle.takeCall("us-east-1", "DeregisterTaskDefinition")).toBe(false);
    c.advance(1000);
    expect(throttle.takeCall("us-east-1", "RegisterTaskDefinition")).toBe(true);
    for (let i = 0; i < 1000; i++) expect(throttle.takeCall("us-east-1", "DescribeClusters")).toBe(true);
  });

  test("task launches: 100 burst and 20 per second, on-demand and Spot each", () => {
    const c = clock();
    const throttle = new Throttle(c.now);
    for (let i = 0; i < 10; i++) expect(throttle.takeLaunches("us-east-1", "FARGATE", 10)).toBe(true);
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 1)).toBe(false);
    expect(throttle.takeLaunches("us-east-1", "FARGATE_SPOT", 10)).toBe(true);
    c.advance(500);
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 10)).toBe(true);
    expect(throttle.takeLaunches("us-east-1", "FARGATE", 1)).toBe(false);
  });
});
