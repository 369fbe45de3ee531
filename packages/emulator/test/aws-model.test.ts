import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ANSWERED_OPERATIONS } from "../src/ecs-api.js";
import { Faults } from "../src/faults.js";
import { createRouter, ECS_TARGET_PREFIX } from "../src/http-server.js";
import { seededRng } from "../src/rng.js";
import { FargateQuotas, QUOTAS_TARGET_PREFIX } from "../src/service-quotas.js";
import { Throttle } from "../src/token-bucket.js";
import { errorCode, loadModel, parseXml, validateJson, validateJsonError, validateXml } from "./aws-model.js";
import { fakeEcs, runInput, until } from "./fakes.js";

// Part of issue 21: every JSON or XML answer the emulator makes itself (not moto's) must fit the output shape of
// AWS's own service model, the one botocore ships: required members, types, enums; errors must be ones the model
// (or AWS's common errors) knows. The answers are read as bytes from the HTTP front, as a client gets them.
const ecsModel = loadModel("ecs");
const ec2Model = loadModel("ec2");
const quotasModel = loadModel("service-quotas");

const servers: Server[] = [];
let endpoint = "";
let ecs: ReturnType<typeof fakeEcs>;
let faults: Faults;
let throttle: Throttle | undefined;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  // moto's place: it answers nothing here; every call below is one the emulator answers itself.
  const moto = await listen(createServer((_req, res) => res.writeHead(599).end()));
  ecs = fakeEcs({ capacityFailures: 1 });
  faults = new Faults(seededRng(1));
  endpoint = await listen(
    createServer(
      createRouter({
        motoEndpoint: new URL(moto),
        ecs: ecs.api,
        store: ecs.store,
        throttle: () => throttle,
        faults,
        quotas: new FargateQuotas(),
        admin: async () => ({ status: 200, json: {} }),
        onMotoReset: async () => {},
        defaultRegion: "us-east-1",
        log: () => {},
      }),
    ),
  );
});

afterAll(async () => {
  await ecs.lifecycle.dispose();
  for (const s of servers) await new Promise((r) => s.close(r));
});

const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=t/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/** A JSON 1.1 call as the SDK sends it; the answer's status, error type header and parsed body. */
async function json(
  prefix: string,
  operation: string,
  body: unknown,
  service = "ecs",
): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `${prefix}${operation}`,
      authorization: scope(service),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: answer.status, body: JSON.parse(await answer.text()) };
}

/** A query-API call (EC2, IAM) as the SDK sends it; the answer's status and XML. */
async function query(params: Record<string, string>, service = "ec2"): Promise<{ status: number; xml: string }> {
  const answer = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: scope(service) },
    body: new URLSearchParams(params),
  });
  return { status: answer.status, xml: await answer.text() };
}

const ecsCall = (operation: string, body: unknown) => json(ECS_TARGET_PREFIX, operation, body);

/** Expects a 200 answer that fits the operation's output shape; returns its body. */
async function fits(operation: string, body: unknown): Promise<Record<string, unknown>> {
  const answer = await ecsCall(operation, body);
  expect({ operation, status: answer.status, body: answer.body }).toMatchObject({ status: 200 });
  expect(validateJson(ecsModel, operation, answer.body)).toEqual([]);
  return answer.body as Record<string, unknown>;
}

/** Expects an error answer whose type the model (or AWS's common errors) knows for the operation. */
async function failsAs(operation: string, body: unknown, type: string): Promise<void> {
  const answer = await ecsCall(operation, body);
  expect(answer.body).toMatchObject({ __type: type });
  expect(validateJsonError(ecsModel, operation, answer.body)).toEqual([]);
}

const taskArns = (body: Record<string, unknown>) => (body["tasks"] as { taskArn: string }[]).map((t) => t.taskArn);

describe("the validator itself", () => {
  test("finds a missing required member, an unknown member, a wrong type and a value outside an enum", () => {
    expect(
      validateJson(ecsModel, "ListAccountSettings", { settings: [{ name: "taskLongArnFormat", value: "enabled" }] }),
    ).toEqual([]);
    const problems = validateJson(ecsModel, "DescribeTasks", {
      tasks: [
        {
          taskArn: 1,
          lastStatus: "RUNNING",
          launchType: "LAMBDA",
          createdAt: "2026-01-01T00:00:00Z",
          surprise: true,
          attachments: [{}],
        },
      ],
      failures: [],
    });
    expect(problems.join("\n")).toMatch(/tasks\[0\]\.taskArn: a string/);
    expect(problems.join("\n")).toMatch(/launchType: one of EC2, FARGATE/);
    expect(problems.join("\n")).toMatch(/createdAt: epoch seconds/);
    expect(problems.join("\n")).toMatch(/surprise: Task has no such member/);
    expect(validateJson(ecsModel, "ListAccountSettings", { settings: [{ name: "dualStackIPv6" }] }).join()).toMatch(
      /one of serviceLongArnFormat/,
    );
    expect(validateJson(quotasModel, "GetServiceQuota", { Quota: { Value: "6" } }).join()).toMatch(
      /Quota\.Value: a number/,
    );
    expect(validateJson(ecsModel, "StartEmulating", {})).toEqual(["StartEmulating is not an operation of the model"]);
    expect(
      validateJsonError(ecsModel, "StopTask", { __type: "ClusterContainsTasksException", message: "m" }).join(),
    ).toMatch(/not an error StopTask declares/);
    expect(validateJsonError(ecsModel, "StopTask", { __type: "NoSuchThing", message: "m" })).toEqual([
      "NoSuchThing is not an error of the model",
    ]);
    // XML: an element the shape does not have, a list entry not named <item>, a required member missing, a bad boolean.
    const xml =
      '<DescribeNetworkInterfacesResponse xmlns="x"><requestId>r</requestId><networkInterfaceSet><item><sourceDestCheck>yes</sourceDestCheck><odd/></item><member/></networkInterfaceSet></DescribeNetworkInterfacesResponse>';
    const xmlProblems = validateXml(ec2Model, "DescribeNetworkInterfaces", xml).join("\n");
    expect(xmlProblems).toMatch(/sourceDestCheck: true or false/);
    expect(xmlProblems).toMatch(/odd: NetworkInterface has no member sent as <odd>/);
    expect(xmlProblems).toMatch(/list entries are <item>, got <member>/);
    expect(parseXml("<a><b>&#60;x&#62;</b></a>").children[0]?.text).toBe("<x>");
  });
});

describe("every operation the emulator answers itself is one of the model's", () => {
  test.each(ANSWERED_OPERATIONS)("ECS %s", (operation) => {
    expect(ecsModel.operations[operation]).toBeDefined();
  });
  test.each(["GetServiceQuota", "GetAWSDefaultServiceQuota"])("Service Quotas %s", (operation) => {
    expect(quotasModel.operations[operation]).toBeDefined();
  });
  test.each(["DescribeNetworkInterfaces", "DeleteSecurityGroup"])("EC2 %s", (operation) => {
    expect(ec2Model.operations[operation]).toBeDefined();
  });
});

describe("ECS answers fit the ECS model (JSON 1.1, epoch-second timestamps)", () => {
  test("RunTask with a capacity failure listed in failures[], then every lifecycle state of DescribeTasks, StopTask, ListTasks, tagging", async () => {
    // fakeEcs fails one task of the first RunTask for capacity: tasks[] and failures[] both filled.
    const first = await fits(
      "RunTask",
      runInput({
        count: 3,
        startedBy: "dfa-model",
        tags: [{ key: "role", value: "worker" }],
        enableECSManagedTags: true,
        overrides: {
          containerOverrides: [{ name: "dask", command: ["run"], environment: [{ name: "B", value: "2" }] }],
          cpu: "512",
          memory: "1024",
        },
      }),
    );
    expect(first["failures"]).toHaveLength(1);
    const arns = taskArns(first);
    expect(arns).toHaveLength(2);
    const spot = await fits("RunTask", {
      ...runInput(),
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    const provisioning = await fits("DescribeTasks", {
      cluster: "c1",
      tasks: [...arns, "arn:aws:ecs:us-east-1:123456789012:task/c1/0000"],
      include: ["TAGS"],
    });
    expect(provisioning["failures"]).toEqual([
      { arn: "arn:aws:ecs:us-east-1:123456789012:task/c1/0000", reason: "MISSING" },
    ]);
    const task = ecs.store.byArn(arns[0] ?? "");
    await until(() => task?.lastStatus === "RUNNING");
    const running = await fits("DescribeTasks", {
      cluster: "c1",
      tasks: [...arns, ...taskArns(spot)],
      include: ["TAGS"],
    });
    expect((running["tasks"] as { lastStatus: string }[])[0]?.lastStatus).toBe("RUNNING");
    await fits("ListTasks", { cluster: "c1", startedBy: "dfa-model", maxResults: 1 });
    await fits("ListTasks", { cluster: "c1", desiredStatus: "RUNNING", launchType: "FARGATE" });
    await fits("TagResource", { resourceArn: arns[0], tags: [{ key: "extra", value: "1" }] });
    await fits("UntagResource", { resourceArn: arns[0], tagKeys: ["extra"] });
    await fits("ListTagsForResource", { resourceArn: arns[0] });
    const stopping = await fits("StopTask", { cluster: "c1", task: arns[0], reason: "model check" });
    expect((stopping["task"] as { desiredStatus: string }).desiredStatus).toBe("STOPPED");
    await until(() => task?.lastStatus === "STOPPED");
    ecs.lifecycle.containerExited(ecs.store.byArn(arns[1] ?? "") as never, "dask", {
      exitCode: 137,
      reason: "OutOfMemoryError: Container killed due to memory usage",
    });
    await until(() => ecs.store.byArn(arns[1] ?? "")?.lastStatus === "STOPPED");
    const stopped = await fits("DescribeTasks", { cluster: "c1", tasks: arns });
    expect((stopped["tasks"] as { stopCode: string }[]).map((t) => t.stopCode)).toEqual([
      "UserInitiated",
      "EssentialContainerExited",
    ]);
    await fits("ListTasks", { cluster: "c1", desiredStatus: "STOPPED" });
  });

  test("ListAccountSettings with effectiveSettings, all settings and one", async () => {
    await fits("ListAccountSettings", { effectiveSettings: true });
    const one = await fits("ListAccountSettings", { name: "taskLongArnFormat", effectiveSettings: true });
    expect(one["settings"]).toMatchObject([{ name: "taskLongArnFormat", value: "enabled" }]);
    await fits("ListAccountSettings", { effectiveSettings: true, maxResults: 2 });
  });

  test("each error the emulator answers is one the operation declares, or a common error", async () => {
    await failsAs("RunTask", runInput({ count: 11 }), "InvalidParameterException");
    await failsAs("RunTask", runInput({ cluster: "nope" }), "ClusterNotFoundException");
    await failsAs("RunTask", runInput({ taskDefinition: "unknown" }), "ClientException");
    await failsAs("DescribeTasks", { cluster: "c1", tasks: [] }, "InvalidParameterException");
    await failsAs(
      "StopTask",
      { cluster: "c1", task: "arn:aws:ecs:us-east-1:123456789012:task/c1/0000" },
      "InvalidParameterException",
    );
    await failsAs("ListTasks", { cluster: "c1", maxResults: 101 }, "InvalidParameterException");
    await failsAs(
      "TagResource",
      { resourceArn: "arn:aws:ecs:us-east-1:123456789012:task/c1/0000", tags: [] },
      "InvalidParameterException",
    );
    await failsAs("ListAccountSettings", { effectiveSettings: true, maxResults: 20 }, "InvalidParameterException");
    await failsAs(
      "RegisterTaskDefinition",
      { family: "f", requiresCompatibilities: ["FARGATE"], networkMode: "bridge", containerDefinitions: [] },
      "ClientException",
    );
    await ecsCall("RunTask", runInput());
    await failsAs("DeleteCluster", { cluster: "c1" }, "ClusterContainsTasksException");
    const notJson = await ecsCall("DescribeTasks", "{not json");
    expect(validateJsonError(ecsModel, "DescribeTasks", notJson.body)).toEqual([]);
    throttle = new Throttle(() => 0, 0.01);
    for (let i = 0; i < 3; i++) await ecsCall("DescribeTasks", { cluster: "c1", tasks: ["x"] });
    await failsAs("DescribeTasks", { cluster: "c1", tasks: ["x"] }, "ThrottlingException");
    throttle = undefined;
    faults.add({ operation: "ListTasks", kind: "error", status: 500, times: 1 });
    await failsAs("ListTasks", { cluster: "c1" }, "ServerException");
    faults.add({ operation: "ListTasks", kind: "throttle", times: 1 });
    await failsAs("ListTasks", { cluster: "c1" }, "ThrottlingException");
  });
});

describe("Service Quotas answers fit its model", () => {
  test("GetServiceQuota and GetAWSDefaultServiceQuota for Fargate's vCPU quotas, and an unknown code", async () => {
    for (const operation of ["GetServiceQuota", "GetAWSDefaultServiceQuota"]) {
      const answer = await json(
        QUOTAS_TARGET_PREFIX,
        operation,
        { ServiceCode: "fargate", QuotaCode: "L-3032A538" },
        "servicequotas",
      );
      expect(answer.status).toBe(200);
      expect(validateJson(quotasModel, operation, answer.body)).toEqual([]);
      const unknown = await json(
        QUOTAS_TARGET_PREFIX,
        operation,
        { ServiceCode: "fargate", QuotaCode: "L-00000000" },
        "servicequotas",
      );
      expect(unknown.body).toMatchObject({ __type: "NoSuchResourceException" });
      expect(validateJsonError(quotasModel, operation, unknown.body)).toEqual([]);
    }
  });

  test("injected faults answer errors of Service Quotas' own model", async () => {
    faults.add({ operation: "GetServiceQuota", kind: "error", status: 500, times: 1 });
    const failed = await json(
      QUOTAS_TARGET_PREFIX,
      "GetServiceQuota",
      { ServiceCode: "fargate", QuotaCode: "L-3032A538" },
      "servicequotas",
    );
    expect(validateJsonError(quotasModel, "GetServiceQuota", failed.body)).toEqual([]);
    faults.add({ operation: "GetServiceQuota", kind: "throttle", times: 1 });
    const throttled = await json(
      QUOTAS_TARGET_PREFIX,
      "GetServiceQuota",
      { ServiceCode: "fargate", QuotaCode: "L-3032A538" },
      "servicequotas",
    );
    expect(validateJsonError(quotasModel, "GetServiceQuota", throttled.body)).toEqual([]);
  });
});

describe("injected faults on the JSON APIs moto serves answer errors of each service's own model", () => {
  test.each([
    ["logs", "Logs_20140328.", "GetLogEvents"],
    ["secretsmanager", "secretsmanager.", "CreateSecret"],
    ["ssm", "AmazonSSM.", "GetParameters"],
  ])("%s %s", async (service, prefix, operation) => {
    const model = loadModel(service);
    for (const kind of ["error", "throttle"] as const) {
      faults.add({ operation, kind, status: 500, times: 1 });
      const answer = await json(prefix, operation, {}, service);
      expect({ kind, problems: validateJsonError(model, operation, answer.body) }).toEqual({ kind, problems: [] });
    }
  });
});

describe("EC2 answers fit the EC2 model (XML)", () => {
  test("DescribeNetworkInterfaces of a task's ENI, with and without a public IP", async () => {
    for (const assignPublicIp of ["ENABLED", "DISABLED"]) {
      const run = await fits(
        "RunTask",
        runInput({
          networkConfiguration: {
            awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp },
          },
        }),
      );
      const task = ecs.store.byArn(taskArns(run)[0] ?? "");
      await until(() => task?.attachment.networkInterfaceId !== undefined);
      const answer = await query({
        Action: "DescribeNetworkInterfaces",
        Version: "2016-11-15",
        "NetworkInterfaceId.1": task?.attachment.networkInterfaceId ?? "",
      });
      expect(answer.status).toBe(200);
      expect(validateXml(ec2Model, "DescribeNetworkInterfaces", answer.xml)).toEqual([]);
    }
  });

  test("errors: EC2's <Response><Errors><Error> with a Code and a Message (DependencyViolation, injected faults)", async () => {
    const errors: string[] = [
      (await query({ Action: "DeleteSecurityGroup", Version: "2016-11-15", GroupId: "sg-1" })).xml,
    ];
    faults.add({ operation: "DescribeSubnets", kind: "error", status: 503, times: 1 });
    errors.push((await query({ Action: "DescribeSubnets", Version: "2016-11-15" })).xml);
    faults.add({ operation: "DescribeSubnets", kind: "throttle", times: 1 });
    errors.push((await query({ Action: "DescribeSubnets", Version: "2016-11-15" })).xml);
    for (const xml of errors) {
      const root = parseXml(xml);
      expect(root.name).toBe("Response");
      const error = root.children.find((c) => c.name === "Errors")?.children.find((c) => c.name === "Error");
      expect(error?.children.map((c) => c.name)).toEqual(["Code", "Message"]);
      expect(root.children.map((c) => c.name)).toContain("RequestID");
    }
  });
});

describe("IAM (awsQuery) faults answer IAM's error shape and codes", () => {
  test("an injected 500 is ServiceFailure and a throttle is Throttling, in <ErrorResponse><Error>", async () => {
    const iam = loadModel("iam");
    const codes: string[] = [];
    for (const kind of ["error", "throttle"] as const) {
      faults.add({ operation: "GetRole", kind, status: 500, times: 1 });
      const { xml } = await query({ Action: "GetRole", Version: "2010-05-08", RoleName: "r" }, "iam");
      const root = parseXml(xml);
      expect(root.name).toBe("ErrorResponse");
      const error = root.children.find((c) => c.name === "Error");
      expect(error?.children.map((c) => c.name)).toEqual(["Type", "Code", "Message"]);
      codes.push(error?.children.find((c) => c.name === "Code")?.text ?? "");
    }
    expect(codes).toEqual([errorCode(iam, "ServiceFailureException"), "Throttling"]);
  });
});
