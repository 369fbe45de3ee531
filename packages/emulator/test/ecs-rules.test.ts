import type { RunTaskRequest, TaskDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, test } from "vitest";
import {
  checkDescribeTasks,
  checkFargateRegistration,
  checkListTasks,
  checkRunTaskShape,
  checkStopTask,
  checkTags,
  checkTaskDefinition,
  DESCRIBE_TASKS_MAX,
  RUN_TASK_MAX_COUNT,
  STOP_TIMEOUT_DEFAULT_S,
  STOP_TIMEOUT_MAX_S,
  stopTimeoutSeconds,
  trustsEcsTasks,
} from "../src/ecs-rules.js";
import { EcsApiError } from "../src/errors.js";

const base: RunTaskRequest = {
  taskDefinition: "family",
  launchType: "FARGATE",
  networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
};

function error(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof EcsApiError) return { type: e.type, message: e.message };
    throw e;
  }
  throw new Error("no error");
}

describe("RunTask shape (API_RunTask.html)", () => {
  test("limits are AWS's (facts.md: 10 tasks per call, 100 ARNs per DescribeTasks, stopTimeout 30 s default and 120 s max)", () => {
    expect(RUN_TASK_MAX_COUNT).toBe(10);
    expect(DESCRIBE_TASKS_MAX).toBe(100);
    expect(STOP_TIMEOUT_DEFAULT_S).toBe(30);
    expect(STOP_TIMEOUT_MAX_S).toBe(120);
  });

  test.each([1, 10])("count %i is accepted", (count) => {
    expect(checkRunTaskShape({ ...base, count }).count).toBe(count);
  });

  test.each([0, 11, 2.5])("count %s is refused", (count) => {
    expect(error(() => checkRunTaskShape({ ...base, count }))).toEqual({
      type: "InvalidParameterException",
      message: "count must be between 1 and 10.",
    });
  });

  test("launchType and capacityProviderStrategy together are refused", () => {
    expect(
      error(() =>
        checkRunTaskShape({ ...base, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }),
      ),
    ).toMatchInlineSnapshot(`
      {
        "message": "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
        "type": "InvalidParameterException",
      }
    `);
  });

  test("neither launchType nor a strategy is refused (the emulated cluster has no default strategy)", () => {
    expect(error(() => checkRunTaskShape({ ...base, launchType: undefined })).type).toBe("InvalidParameterException");
  });

  test.each([
    [[{ capacityProvider: "FARGATE_SPOT", weight: 1 }], "FARGATE_SPOT"],
    [[{ capacityProvider: "FARGATE", weight: 1 }], "FARGATE"],
    [
      [
        { capacityProvider: "FARGATE", weight: 1, base: 2 },
        { capacityProvider: "FARGATE_SPOT", weight: 4 },
      ],
      "FARGATE",
    ],
    [
      [
        { capacityProvider: "FARGATE", weight: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 4 },
      ],
      "FARGATE_SPOT",
    ],
  ])("strategy %j runs on %s", (strategy, provider) => {
    const shape = checkRunTaskShape({ ...base, launchType: undefined, capacityProviderStrategy: strategy });
    expect(shape.provider).toBe(provider);
    expect(shape.viaStrategy).toBe(true);
  });

  test.each([
    [[{ capacityProvider: "my-ec2-provider", weight: 1 }], /not a Fargate capacity provider/],
    [[{ capacityProvider: "FARGATE", weight: 0 }], /weight greater than 0/],
    [[{ capacityProvider: "FARGATE", weight: 1001 }], /weight must be between 0 and 1000/],
    [
      [
        { capacityProvider: "FARGATE", weight: 1, base: 1 },
        { capacityProvider: "FARGATE_SPOT", weight: 1, base: 1 },
      ],
      /Only one capacity provider/,
    ],
  ])("strategy %j is refused", (strategy, message) => {
    expect(
      error(() => checkRunTaskShape({ ...base, launchType: undefined, capacityProviderStrategy: strategy })).message,
    ).toMatch(message);
  });

  test("launch types other than FARGATE are refused", () => {
    expect(error(() => checkRunTaskShape({ ...base, launchType: "EC2" })).message).toMatch(
      /launchType EC2 is not supported/,
    );
  });

  test("awsvpc networkConfiguration with subnets is required", () => {
    expect(error(() => checkRunTaskShape({ ...base, networkConfiguration: undefined }))).toEqual({
      type: "InvalidParameterException",
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    expect(
      error(() => checkRunTaskShape({ ...base, networkConfiguration: { awsvpcConfiguration: { subnets: [] } } }))
        .message,
    ).toBe("subnets can not be empty.");
  });

  test("assignPublicIp ENABLED is carried", () => {
    expect(
      checkRunTaskShape({
        ...base,
        networkConfiguration: { awsvpcConfiguration: { subnets: ["s"], assignPublicIp: "ENABLED" } },
      }).assignPublicIp,
    ).toBe(true);
    expect(checkRunTaskShape(base).assignPublicIp).toBe(false);
  });

  test("clientToken: up to 64 ASCII characters", () => {
    expect(() => checkRunTaskShape({ ...base, clientToken: "t".repeat(64) })).not.toThrow();
    expect(error(() => checkRunTaskShape({ ...base, clientToken: "t".repeat(65) })).message).toBe(
      "clientToken must be 1 to 64 ASCII characters.",
    );
    expect(error(() => checkRunTaskShape({ ...base, clientToken: "tökén" })).type).toBe("InvalidParameterException");
  });

  test("startedBy: up to 36 letters, numbers, hyphens, slashes and underscores", () => {
    expect(() => checkRunTaskShape({ ...base, startedBy: `a/B_c-${"x".repeat(30)}` })).not.toThrow();
    expect(error(() => checkRunTaskShape({ ...base, startedBy: "x".repeat(37) })).type).toBe(
      "InvalidParameterException",
    );
    expect(error(() => checkRunTaskShape({ ...base, startedBy: "has space" })).type).toBe("InvalidParameterException");
  });

  test("container overrides are capped at 8192 characters", () => {
    const big = { containerOverrides: [{ name: "dask", command: ["x".repeat(8200)] }] };
    expect(error(() => checkRunTaskShape({ ...base, overrides: big })).message).toBe(
      "Container Overrides length must be at most 8192",
    );
  });
});

describe("tags (API_Tag.html)", () => {
  test.each([
    [[{ key: "aws:owner", value: "x" }], /reserved/],
    [[{ key: "k".repeat(129), value: "x" }], /1 to 128/],
    [[{ key: "k", value: "v".repeat(257) }], /at most 256/],
    [Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" })), /at most 50/],
  ])("%# refused", (tags, message) => {
    expect(error(() => checkTags(tags)).message).toMatch(message);
  });
});

const def: TaskDefinition = {
  family: "family",
  status: "ACTIVE",
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "1024",
  memory: "2048",
  containerDefinitions: [{ name: "dask", image: "img" }],
};

describe("task definition rules", () => {
  test("an ACTIVE FARGATE awsvpc definition with a valid size passes", () => {
    expect(checkTaskDefinition(def, undefined, undefined)).toEqual({ cpu: 1024, memory: 2048 });
  });

  test("INACTIVE definitions cannot run new tasks (API_DeregisterTaskDefinition.html)", () => {
    expect(error(() => checkTaskDefinition({ ...def, status: "INACTIVE" }, undefined, undefined))).toEqual({
      type: "ClientException",
      message: "TaskDefinition is inactive",
    });
  });

  test("a definition not compatible with FARGATE is refused", () => {
    expect(
      error(() => checkTaskDefinition({ ...def, requiresCompatibilities: ["EC2"] }, undefined, undefined)).message,
    ).toBe("Task definition does not support launch_type FARGATE.");
  });

  test("Fargate needs awsvpc", () => {
    expect(error(() => checkTaskDefinition({ ...def, networkMode: "bridge" }, undefined, undefined)).type).toBe(
      "ClientException",
    );
  });

  test("an invalid size is refused, also when it comes from overrides", () => {
    expect(
      error(() => checkTaskDefinition({ ...def, memory: "512" }, undefined, undefined)).message,
    ).toMatchInlineSnapshot(
      `"No Fargate configuration exists for given values: 1024 CPU, 512 memory. See the Amazon ECS documentation for the valid values."`,
    );
    expect(checkTaskDefinition(def, { cpu: "4096", memory: "30720" }, undefined)).toEqual({ cpu: 4096, memory: 30720 });
    expect(error(() => checkTaskDefinition(def, { cpu: "512", memory: "512" }, undefined)).type).toBe(
      "ClientException",
    );
  });

  test("task-level cpu and memory are required", () => {
    expect(error(() => checkTaskDefinition({ ...def, cpu: undefined }, undefined, undefined)).type).toBe(
      "ClientException",
    );
  });

  test("8 and 16 vCPU need platform 1.4.0 or later (facts.md)", () => {
    const big = { ...def, cpu: "8192", memory: "16384" };
    expect(checkTaskDefinition(big, undefined, "1.4.0")).toEqual({ cpu: 8192, memory: 16384 });
    expect(checkTaskDefinition(big, undefined, "LATEST")).toEqual({ cpu: 8192, memory: 16384 });
    expect(error(() => checkTaskDefinition(big, undefined, "1.3.0")).message).toMatch(/1\.4\.0 or later/);
  });

  test("overrides must name containers of the definition", () => {
    expect(error(() => checkTaskDefinition(def, { containerOverrides: [{ name: "other" }] }, undefined))).toEqual({
      type: "InvalidParameterException",
      message: "Override for container named other is not a container in the TaskDefinition.",
    });
  });
});

describe("DescribeTasks, ListTasks, StopTask", () => {
  test("DescribeTasks takes 1 to 100 tasks and include TAGS only", () => {
    expect(checkDescribeTasks({ tasks: Array.from({ length: 100 }, (_, i) => `t${i}`) })).toHaveLength(100);
    expect(error(() => checkDescribeTasks({ tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) })).type).toBe(
      "InvalidParameterException",
    );
    expect(error(() => checkDescribeTasks({ tasks: [] })).message).toBe("Tasks cannot be empty.");
    expect(error(() => checkDescribeTasks({ tasks: ["t"], include: ["OTHER" as "TAGS"] })).type).toBe(
      "InvalidParameterException",
    );
  });

  test("ListTasks: desiredStatus RUNNING by default, maxResults 1 to 100", () => {
    expect(checkListTasks({})).toEqual({ maxResults: 100, desiredStatus: "RUNNING" });
    expect(checkListTasks({ desiredStatus: "STOPPED", maxResults: 5 })).toEqual({
      maxResults: 5,
      desiredStatus: "STOPPED",
    });
    expect(error(() => checkListTasks({ maxResults: 101 })).type).toBe("InvalidParameterException");
    expect(error(() => checkListTasks({ maxResults: 0 })).type).toBe("InvalidParameterException");
  });

  test("StopTask: a task is required, the reason at most 255 characters", () => {
    expect(checkStopTask({ task: "t" })).toEqual({ task: "t", reason: "Task stopped by user" });
    expect(error(() => checkStopTask({ task: "t", reason: "r".repeat(256) })).type).toBe("InvalidParameterException");
  });

  test.each([
    [undefined, 30],
    [5, 5],
    [120, 120],
    [600, 120],
  ])("stopTimeout %s → %i s", (value, seconds) => {
    expect(stopTimeoutSeconds(value)).toBe(seconds);
  });
});

describe("RegisterTaskDefinition for Fargate (developer guide, task definition differences for Fargate)", () => {
  const fargate = {
    family: "f",
    requiresCompatibilities: ["FARGATE" as const],
    networkMode: "awsvpc" as const,
    cpu: "256",
    memory: "512",
    containerDefinitions: [{ name: "c", image: "i" }],
  };

  test("a complete definition passes; definitions without FARGATE are left to moto", () => {
    expect(() => checkFargateRegistration(fargate)).not.toThrow();
    expect(() =>
      checkFargateRegistration({ ...fargate, requiresCompatibilities: ["EC2"], networkMode: "bridge", cpu: undefined }),
    ).not.toThrow();
  });

  test.each([
    [{ networkMode: "bridge" as const }, "Fargate only supports network mode 'awsvpc'."],
    [{ cpu: undefined }, "Fargate requires that 'cpu' be defined at the task level."],
    [{ memory: undefined }, "Fargate requires that 'memory' be defined at the task level."],
    [
      { memory: "8192" },
      "No Fargate configuration exists for given values: 256 CPU, 8192 memory. See the Amazon ECS documentation for the valid values.",
    ],
    [
      {
        containerDefinitions: [
          { name: "c", image: "i", logConfiguration: { logDriver: "awslogs" as const, options: {} } },
        ],
      },
      "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
    ],
    [
      { containerDefinitions: [{ name: "c", image: "i", secrets: [{ name: "S", valueFrom: "p" }] }] },
      "Fargate requires task definition to have execution role ARN to support secrets.",
    ],
  ])("%j is refused", (over, message) => {
    expect(error(() => checkFargateRegistration({ ...fargate, ...over }))).toEqual({
      type: "ClientException",
      message,
    });
  });

  test("awslogs and secrets are fine with an execution role", () => {
    const withLogs = {
      ...fargate,
      containerDefinitions: [
        { name: "c", image: "i", logConfiguration: { logDriver: "awslogs" as const, options: {} } },
      ],
    };
    expect(() => checkFargateRegistration({ ...withLogs, executionRoleArn: "arn:aws:iam::1:role/x" })).not.toThrow();
  });
});

describe("trust policies", () => {
  const policy = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
  test.each([
    [policy([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]), true],
    [
      encodeURIComponent(
        policy([
          {
            Effect: "Allow",
            Principal: { Service: ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"] },
            Action: ["sts:AssumeRole"],
          },
        ]),
      ),
      true,
    ],
    [policy({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }), true],
    [policy([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]), false],
    [policy([{ Effect: "Deny", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]), false],
    ["not json", false],
    [undefined, false],
  ])("%s lets ECS tasks assume the role: %s", (document, trusted) => {
    expect(trustsEcsTasks(document)).toBe(trusted);
  });
});
