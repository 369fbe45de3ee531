import { describe, expect, test } from "vitest";
import { EcsApiError } from "../src/errors.js";
import { Throttle } from "../src/token-bucket.js";
import { CLUSTER_ARN, fakeEcs, runInput, taskDefinition, until } from "./fakes.js";

// biome-ignore lint/suspicious/noExplicitAny: answers are ECS's JSON, checked field by field below
type Json = any;

async function fails(promise: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof EcsApiError) return { type: e.type, message: e.message };
    throw e;
  }
  throw new Error("no error");
}

describe("RunTask", () => {
  test("answers PROVISIONING tasks whose ENI attachment is PRECREATED without an IP (facts.md)", async () => {
    const { api } = fakeEcs();
    const answer = (await api.handle("RunTask", runInput({ count: 3 }), "us-east-1")) as Json;
    expect(answer["tasks"]).toHaveLength(3);
    expect(answer["failures"]).toEqual([]);
    const task = answer["tasks"][0];
    expect(task.lastStatus).toBe("PROVISIONING");
    expect(task.desiredStatus).toBe("RUNNING");
    expect(task.launchType).toBe("FARGATE");
    expect(task.group).toBe("family:fam");
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/c1\/[0-9a-f]{32}$/);
    expect(task.attachments).toEqual([
      {
        id: expect.any(String),
        type: "ElasticNetworkInterface",
        status: "PRECREATED",
        details: [{ name: "subnetId", value: "subnet-1" }],
      },
    ]);
  });

  test("the same clientToken in the same cluster returns the same tasks (API_RunTask.html, 'Ensuring idempotency')", async () => {
    const { api, store } = fakeEcs();
    const first = (await api.handle("RunTask", runInput({ count: 2, clientToken: "tok" }), "us-east-1")) as Json;
    const again = (await api.handle("RunTask", runInput({ count: 2, clientToken: "tok" }), "us-east-1")) as Json;
    expect(again["tasks"].map((t: Json) => t.taskArn)).toEqual(first["tasks"].map((t: Json) => t.taskArn));
    expect(store.all()).toHaveLength(2);
    await api.handle("RunTask", runInput({ count: 2, clientToken: "other" }), "us-east-1");
    expect(store.all()).toHaveLength(4);
  });

  test("a clientToken is forgotten after 24 hours", async () => {
    let now = 1_000_000;
    const { api, store } = fakeEcs({ now: () => now });
    await api.handle("RunTask", runInput({ clientToken: "tok" }), "us-east-1");
    now += 24 * 3600 * 1000 + 1;
    await api.handle("RunTask", runInput({ clientToken: "tok" }), "us-east-1");
    expect(store.all()).toHaveLength(2);
  });

  test("capacity failures: the call succeeds and lists the missing tasks in failures[]", async () => {
    const { api } = fakeEcs({ capacityFailures: 2 });
    const answer = (await api.handle("RunTask", runInput({ count: 5 }), "us-east-1")) as Json;
    expect(answer["tasks"]).toHaveLength(3);
    expect(answer["failures"]).toEqual([
      {
        arn: CLUSTER_ARN,
        reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone",
      },
      {
        arn: CLUSTER_ARN,
        reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone",
      },
    ]);
  });

  test("tags: the call's, the task definition's with propagateTags, and aws:ecs:clusterName with managed tags", async () => {
    const { api } = fakeEcs();
    const answer = (await api.handle(
      "RunTask",
      runInput({
        tags: [{ key: "role", value: "worker" }],
        propagateTags: "TASK_DEFINITION",
        enableECSManagedTags: true,
      }),
      "us-east-1",
    )) as Json;
    const arn = answer["tasks"][0].taskArn;
    expect(answer["tasks"][0].tags).toBeUndefined();
    const described = (await api.handle(
      "DescribeTasks",
      { cluster: "c1", tasks: [arn], include: ["TAGS"] },
      "us-east-1",
    )) as Json;
    expect(described["tasks"][0].tags).toEqual([
      { key: "from-def", value: "yes" },
      { key: "role", value: "worker" },
      { key: "aws:ecs:clusterName", value: "c1" },
    ]);
    await api.handle("TagResource", { resourceArn: arn, tags: [{ key: "extra", value: "1" }] }, "us-east-1");
    await api.handle("UntagResource", { resourceArn: arn, tagKeys: ["role"] }, "us-east-1");
    expect(
      ((await api.handle("ListTagsForResource", { resourceArn: arn }, "us-east-1")) as Json)["tags"].map(
        (t: Json) => t.key,
      ),
    ).toEqual(["from-def", "aws:ecs:clusterName", "extra"]);
    expect(await api.handle("ListTagsForResource", { resourceArn: CLUSTER_ARN }, "us-east-1")).toBeUndefined();
  });

  test("overrides: command replaced, environment merged by name, task size overridden", async () => {
    const { api, store } = fakeEcs();
    await api.handle(
      "RunTask",
      runInput({
        overrides: {
          cpu: "512",
          memory: "1024",
          containerOverrides: [
            {
              name: "dask",
              command: ["new"],
              environment: [
                { name: "A", value: "2" },
                { name: "B", value: "3" },
              ],
            },
          ],
        },
      }),
      "us-east-1",
    );
    const [task] = store.all();
    expect(task?.containers[0]?.command).toEqual(["new"]);
    expect(task?.containers[0]?.environment).toEqual([
      { name: "A", value: "2" },
      { name: "B", value: "3" },
    ]);
    expect([task?.cpu, task?.memory]).toEqual([512, 1024]);
  });

  test("a capacity provider strategy shows capacityProviderName instead of launchType", async () => {
    const { api } = fakeEcs();
    const answer = (await api.handle(
      "RunTask",
      runInput({ launchType: undefined, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }),
      "us-east-1",
    )) as Json;
    expect(answer["tasks"][0].capacityProviderName).toBe("FARGATE_SPOT");
    expect(answer["tasks"][0].launchType).toBeUndefined();
  });

  test.each([
    [{ cluster: "nope" }, "ClusterNotFoundException", "Cluster not found."],
    [{ taskDefinition: "unknown" }, "ClientException", "Unable to describe task definition."],
    [{ taskDefinition: "inactive" }, "ClientException", "TaskDefinition is inactive"],
    [
      { networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-404"] } } },
      "InvalidParameterException",
      "Error retrieving subnet information for [subnet-404]: The subnet ID 'subnet-404' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
    ],
    [
      { networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1", "subnet-9"] } } },
      "InvalidParameterException",
      "Subnets must all be in the same VPC.",
    ],
    [
      { networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-9"] } } },
      "InvalidParameterException",
      "Security group sg-9 is not in the VPC of the subnets (vpc-1).",
    ],
  ])("%j → %s", async (over, type, message) => {
    const { api } = fakeEcs({ defs: { fam: taskDefinition(), inactive: taskDefinition({ status: "INACTIVE" }) } });
    expect(await fails(api.handle("RunTask", runInput(over), "us-east-1"))).toEqual({ type, message });
  });

  test("a family without revision runs its latest ACTIVE revision (API_RunTask.html 'taskDefinition')", async () => {
    const rev1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/multi:1";
    const { api, store } = fakeEcs({
      defs: {
        multi: taskDefinition({
          family: "multi",
          revision: 2,
          status: "INACTIVE",
          taskDefinitionArn: rev1.replace(":1", ":2"),
        }),
        [rev1]: taskDefinition({ family: "multi", revision: 1, taskDefinitionArn: rev1 }),
      },
    });
    await api.handle("RunTask", runInput({ taskDefinition: "multi" }), "us-east-1");
    expect(store.all()[0]?.taskDefinitionArn).toBe(rev1);
  });

  test.each([
    ["arn:aws:iam::123456789012:role/exec", undefined],
    ["arn:aws:iam::123456789012:role/missing", "missing"],
    ["arn:aws:iam::123456789012:role/ec2-only", "ec2-only"],
  ])("execution role %s: ECS must be able to assume it", async (role, refused) => {
    const { api } = fakeEcs({ defs: { fam: taskDefinition({ executionRoleArn: role }) } });
    const answer = api.handle("RunTask", runInput(), "us-east-1");
    if (!refused) await expect(answer).resolves.toBeDefined();
    else
      expect((await fails(answer)).message).toMatch(
        new RegExp(`^ECS was unable to assume the role '${role}' that was provided for this task`),
      );
  });

  test("subnets of any VPC work", async () => {
    const { api, store } = fakeEcs();
    await api.handle(
      "RunTask",
      runInput({ networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-9"], securityGroups: ["sg-9"] } } }),
      "us-east-1",
    );
    const [task] = store.all();
    expect([task?.vpcId, task?.availabilityZone]).toEqual(["vpc-9", "us-east-1c"]);
  });

  test("Fargate task launches are throttled at 100 burst (facts.md)", async () => {
    const { api } = fakeEcs({ throttle: new Throttle(() => 0) });
    for (let i = 0; i < 10; i++) await api.handle("RunTask", runInput({ count: 10 }), "us-east-1");
    expect(await fails(api.handle("RunTask", runInput({ count: 1 }), "us-east-1"))).toEqual({
      type: "ThrottlingException",
      message: "Rate exceeded",
    });
  });
});

describe("ListAccountSettings", () => {
  test("effectiveSettings answers the effective value of a setting nobody set (API_ListAccountSettings.html 'effectiveSettings')", async () => {
    const { api } = fakeEcs();
    const answer = (await api.handle(
      "ListAccountSettings",
      { name: "taskLongArnFormat", effectiveSettings: true },
      "us-east-1",
    )) as Json;
    expect(answer).toEqual({
      settings: [{ name: "taskLongArnFormat", value: "enabled", principalArn: "arn:aws:iam::123456789012:root" }],
    });
  });

  test("effectiveSettings: a set value wins over the default; all settings without a name; value filters; pages of maxResults", async () => {
    const { api } = fakeEcs();
    const one = (await api.handle(
      "ListAccountSettings",
      { name: "containerInsights", effectiveSettings: true },
      "us-east-1",
    )) as Json;
    expect(one.settings).toEqual([
      { name: "containerInsights", value: "enabled", principalArn: "arn:aws:iam::123456789012:root" },
    ]);
    const all = (await api.handle("ListAccountSettings", { effectiveSettings: true }, "us-east-1")) as Json;
    expect(all.settings.map((s: Json) => s.name)).toEqual([
      "serviceLongArnFormat",
      "taskLongArnFormat",
      "containerInstanceLongArnFormat",
      "awsvpcTrunking",
      "containerInsights",
      "fargateFIPSMode",
      "fargateTaskRetirementWaitPeriod",
    ]);
    const disabled = (await api.handle(
      "ListAccountSettings",
      { effectiveSettings: true, value: "disabled" },
      "us-east-1",
    )) as Json;
    expect(disabled.settings.map((s: Json) => s.name)).toEqual(["awsvpcTrunking", "fargateFIPSMode"]);
    const first = (await api.handle(
      "ListAccountSettings",
      { effectiveSettings: true, maxResults: 5 },
      "us-east-1",
    )) as Json;
    const rest = (await api.handle(
      "ListAccountSettings",
      { effectiveSettings: true, maxResults: 5, nextToken: first.nextToken },
      "us-east-1",
    )) as Json;
    expect([...first.settings, ...rest.settings]).toEqual(all.settings);
    expect(rest.nextToken).toBeUndefined();
    expect(
      await fails(api.handle("ListAccountSettings", { effectiveSettings: true, maxResults: 11 }, "us-east-1")),
    ).toMatchObject({
      type: "InvalidParameterException",
    });
  });

  test("effectiveSettings for a named principal answers with that principal's ARN", async () => {
    const { api } = fakeEcs();
    const role = "arn:aws:iam::123456789012:role/ci";
    const answer = (await api.handle(
      "ListAccountSettings",
      { name: "taskLongArnFormat", principalArn: role, effectiveSettings: true },
      "us-east-1",
    )) as Json;
    expect(answer.settings).toEqual([{ name: "taskLongArnFormat", value: "enabled", principalArn: role }]);
  });

  test("without effectiveSettings moto answers (only what was set)", async () => {
    const { api } = fakeEcs();
    expect(await api.handle("ListAccountSettings", { name: "taskLongArnFormat" }, "us-east-1")).toBeUndefined();
    expect(await api.handle("ListAccountSettings", { effectiveSettings: false }, "us-east-1")).toBeUndefined();
  });
});

describe("DescribeTasks, StopTask, ListTasks", () => {
  test("unknown tasks are failures with reason MISSING; tasks are found by ARN or id; tags only with include TAGS", async () => {
    const { api } = fakeEcs();
    const arn = ((await api.handle("RunTask", runInput({ tags: [{ key: "k", value: "v" }] }), "us-east-1")) as Json)[
      "tasks"
    ][0].taskArn;
    const id = arn.split("/").pop();
    const answer = (await api.handle(
      "DescribeTasks",
      { cluster: "c1", tasks: [arn, id, "arn:aws:ecs:us-east-1:123456789012:task/c1/nope"] },
      "us-east-1",
    )) as Json;
    expect(answer["tasks"].map((t: Json) => t.taskArn)).toEqual([arn, arn]);
    expect(answer["tasks"][0].tags).toBeUndefined();
    expect(answer["failures"]).toEqual([{ arn: "arn:aws:ecs:us-east-1:123456789012:task/c1/nope", reason: "MISSING" }]);
  });

  test("StopTask: stopCode UserInitiated with the reason, the task's tags deleted; stopping a stopped task changes nothing; unknown tasks are refused", async () => {
    const { api, store, lifecycle } = fakeEcs();
    const arn = ((await api.handle("RunTask", runInput({ tags: [{ key: "k", value: "v" }] }), "us-east-1")) as Json)[
      "tasks"
    ][0].taskArn;
    const task = store.byArn(arn);
    if (!task) throw new Error("no task");
    await until(() => task.lastStatus === "RUNNING");
    const answer = (await api.handle("StopTask", { cluster: "c1", task: arn, reason: "done" }, "us-east-1")) as Json;
    expect(answer["task"].desiredStatus).toBe("STOPPED");
    expect(answer["task"].stopCode).toBe("UserInitiated");
    await lifecycle.settled(task);
    // API_StopTask.html: "Any tags associated with the task will be deleted."
    expect(
      ((await api.handle("DescribeTasks", { cluster: "c1", tasks: [arn], include: ["TAGS"] }, "us-east-1")) as Json)[
        "tasks"
      ][0].tags,
    ).toEqual([]);
    await api.handle("StopTask", { cluster: "c1", task: arn, reason: "again" }, "us-east-1");
    expect(task.stoppedReason).toBe("done");
    expect(await fails(api.handle("StopTask", { cluster: "c1", task: "nope" }, "us-east-1"))).toEqual({
      type: "InvalidParameterException",
      message: "The referenced task was not found.",
    });
  });

  test("ListTasks filters by startedBy, family and desiredStatus, and pages", async () => {
    const { api, store, lifecycle } = fakeEcs({
      defs: { fam: taskDefinition(), other: taskDefinition({ family: "other" }) },
    });
    await api.handle("RunTask", runInput({ count: 5, startedBy: "me" }), "us-east-1");
    await api.handle("RunTask", runInput({ count: 2, taskDefinition: "other" }), "us-east-1");
    const list = async (input: Json) =>
      (await api.handle("ListTasks", { cluster: "c1", ...input }, "us-east-1")) as Json;
    expect((await list({}))["taskArns"]).toHaveLength(7);
    expect((await list({ startedBy: "me" }))["taskArns"]).toHaveLength(5);
    expect((await list({ family: "other" }))["taskArns"]).toHaveLength(2);
    const first = await list({ maxResults: 3 });
    const second = await list({ maxResults: 3, nextToken: first["nextToken"] });
    const third = await list({ maxResults: 3, nextToken: second["nextToken"] });
    expect([...first["taskArns"], ...second["taskArns"], ...third["taskArns"]]).toHaveLength(7);
    expect(third["nextToken"]).toBeUndefined();
    const [victim] = store.list({ clusterArn: CLUSTER_ARN, desiredStatus: "RUNNING", family: "other" });
    if (!victim) throw new Error("no task");
    lifecycle.stop(victim, "UserInitiated", "x");
    expect((await list({ desiredStatus: "STOPPED" }))["taskArns"]).toEqual([victim.taskArn]);
    expect((await list({ family: "other" }))["taskArns"]).toHaveLength(1);
    expect((await fails(list({ nextToken: "garbage" }))).type).toBe("InvalidParameterException");
  });

  test("stopped tasks stay visible for an hour, then are forgotten", async () => {
    let now = 1_000_000;
    const { api, store, lifecycle } = fakeEcs({ now: () => now });
    const arn = ((await api.handle("RunTask", runInput(), "us-east-1")) as Json)["tasks"][0].taskArn;
    const task = store.byArn(arn);
    if (!task) throw new Error("no task");
    lifecycle.stop(task, "UserInitiated", "x");
    await lifecycle.settled(task);
    now += 3600 * 1000;
    expect(
      ((await api.handle("DescribeTasks", { cluster: "c1", tasks: [arn] }, "us-east-1")) as Json)["tasks"],
    ).toHaveLength(1);
    now += 1;
    expect(
      ((await api.handle("DescribeTasks", { cluster: "c1", tasks: [arn] }, "us-east-1")) as Json)["failures"],
    ).toEqual([{ arn, reason: "MISSING" }]);
  });

  test("DeleteCluster is refused while tasks are active, then forwarded to moto", async () => {
    const { api, store, lifecycle } = fakeEcs();
    await api.handle("RunTask", runInput(), "us-east-1");
    expect(await fails(api.handle("DeleteCluster", { cluster: "c1" }, "us-east-1"))).toEqual({
      type: "ClusterContainsTasksException",
      message: "The Cluster cannot be deleted while Tasks are active.",
    });
    const [task] = store.all();
    if (!task) throw new Error("no task");
    lifecycle.stop(task, "UserInitiated", "x");
    await lifecycle.settled(task);
    expect(await api.handle("DeleteCluster", { cluster: "c1" }, "us-east-1")).toBeUndefined();
  });

  test("other operations are left to moto", async () => {
    const { api } = fakeEcs();
    expect(await api.handle("RegisterTaskDefinition", {}, "us-east-1")).toBeUndefined();
  });
});
