import { request } from "node:http";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";
import { type MotoProcess, startMoto } from "../src/moto-process.js";
import type { TaskRecord } from "../src/task-record.js";
import { TaskSideServer } from "../src/task-side-server.js";

// The server tasks reach on their network's gateway, in front of a real moto: a task gets its role's credentials and
// S3, as on AWS, and nothing of moto's administration (/moto-api/data.json holds every cluster's secrets; reset wipes
// the account) nor another service's API.
let moto: MotoProcess;
let server: TaskSideServer;
let base: string;
let credentials: Record<string, string>;
const task = {
  taskArn: "arn:aws:ecs:us-east-1:123456789012:task/c1/0123456789abcdef0123456789abcdef",
  taskId: "0123456789abcdef0123456789abcdef",
  region: "us-east-1",
  taskDefinition: { taskRoleArn: "arn:aws:iam::123456789012:role/dfa-task" },
} as unknown as TaskRecord;
const secrets = () =>
  new SecretsManagerClient({
    endpoint: moto.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });

/** A request as a task's container would send it (raw, so any path and header can be tried). */
function send(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: init.method ?? "GET", headers: init.headers },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A SigV4 Authorization header for `service` (moto routes by the scope and checks no signature). */
const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${credentials["AccessKeyId"]}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  "x-amz-security-token": credentials["Token"] ?? "",
});

beforeAll(async () => {
  moto = await startMoto();
  await secrets().send(new CreateSecretCommand({ Name: "dfa-other-cluster-tls", SecretString: "other-cluster-key" }));
  server = new TaskSideServer(new URL(moto.endpoint));
  await server.start("127.0.0.1");
  const env = server.environmentFor(task);
  base = env["AWS_ENDPOINT_URL_S3"] ?? "";
  const answer = await fetch(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] ?? "", {
    headers: { authorization: env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] ?? "" },
  });
  expect(answer.status).toBe(200);
  credentials = (await answer.json()) as Record<string, string>;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await moto?.stop();
});

describe("what a task reaches on the task-side server", () => {
  test("the task role's credentials come from the credentials endpoint", () => {
    expect(credentials["AccessKeyId"]).toMatch(/^[A-Z0-9]{16,}$/);
    expect(credentials["RoleArn"]).toBe("arn:aws:iam::123456789012:role/dfa-task");
  });

  test("S3 calls signed for s3 pass through to moto", async () => {
    expect((await send("/dfa-task-side-bucket", { method: "PUT", headers: signed("s3") })).status).toBe(200);
    expect(
      (await send("/dfa-task-side-bucket/out/model.txt", { method: "PUT", headers: signed("s3"), body: "weights" }))
        .status,
    ).toBe(200);
    expect(await send("/dfa-task-side-bucket/out/model.txt", { headers: signed("s3") })).toEqual({
      status: 200,
      body: "weights",
    });
  });

  test.each([
    ["/moto-api/data.json", "GET"],
    ["/moto-api/reset", "POST"],
    ["/moto-api/state-manager/set-transition", "POST"],
    ["/moto-api/seed?a=42", "POST"],
    ["/%6Doto-api/reset", "POST"],
    ["/latest/meta-data/iam/security-credentials/", "GET"],
  ])("%s (%s) is not found, signed or not, and changes nothing", async (path, method) => {
    for (const headers of [{}, signed("s3")]) {
      const answer = await send(path, { method, headers });
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain("other-cluster-key");
    }
    // moto was not reset: the other cluster's secret is still there.
    expect((await secrets().send(new GetSecretValueCommand({ SecretId: "dfa-other-cluster-tls" }))).SecretString).toBe(
      "other-cluster-key",
    );
  });

  test("an absolute-form request target (another way to name moto's paths) is refused", async () => {
    expect((await send(`http://${new URL(moto.endpoint).host}/moto-api/reset`, { method: "POST" })).status).toBe(400);
  });

  test("another service's API is refused: a task's secrets come from ECS, not from reading Secrets Manager through S3's endpoint", async () => {
    const body = JSON.stringify({ SecretId: "dfa-other-cluster-tls" });
    const target = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" };
    const signedForSecrets = await send("/", {
      method: "POST",
      headers: { ...target, ...signed("secretsmanager") },
      body,
    });
    const unsigned = await send("/", { method: "POST", headers: target, body });
    // The scope moto reads is the header's first part; a second Credential= further on does not make it S3.
    const smuggled = await send("/", {
      method: "POST",
      headers: {
        ...target,
        authorization: `${signed("secretsmanager").authorization}, X=Credential=a/20260101/us-east-1/s3/aws4_request`,
      },
      body,
    });
    for (const answer of [signedForSecrets, unsigned, smuggled]) {
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain("other-cluster-key");
    }
  });
});

/**
 * ECS for tasks (AWS_ENDPOINT_URL_ECS): DescribeTasks goes to the emulator's own ECS API, through its front, so its
 * fault rules and request buckets apply; any other ECS operation, and any other service, is refused.
 */
describe("ECS on the task-side server", () => {
  let emulator: Emulator;
  let ecsSide: TaskSideServer;
  let ecsBase = "";
  const describeTasks = (operation = "DescribeTasks", service = "ecs") => {
    const url = new URL(ecsBase);
    const body = JSON.stringify({ cluster: "c1", tasks: [task.taskArn] });
    return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: "/",
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `AmazonEC2ContainerServiceV20141113.${operation}`,
            ...signed(service),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || "{}") as Record<string, unknown> }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };

  beforeAll(async () => {
    emulator = await startEmulator({ exec: "none", motoEndpoint: moto.endpoint });
    const created = await fetch(emulator.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.CreateCluster",
        ...signed("ecs"),
      },
      body: JSON.stringify({ clusterName: "c1" }),
    });
    expect(created.status).toBe(200);
    ecsSide = new TaskSideServer(new URL(moto.endpoint), () => {}, undefined, new URL(emulator.endpoint));
    await ecsSide.start("127.0.0.1");
    ecsBase = ecsSide.environmentFor(task)["AWS_ENDPOINT_URL_ECS"] ?? "";
  }, 120_000);

  afterAll(async () => {
    await ecsSide?.close();
    await emulator?.stop();
  });

  test("a task gets AWS_ENDPOINT_URL_ECS only when the emulator forwards ECS", () => {
    expect(ecsBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.environmentFor(task)["AWS_ENDPOINT_URL_ECS"]).toBeUndefined();
  });

  test("DescribeTasks is answered by the emulator's ECS API (a task it does not know is MISSING)", async () => {
    const answer = await describeTasks();
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ tasks: [], failures: [{ arn: task.taskArn, reason: "MISSING" }] });
  });

  test("its fault rules apply: a throttle rule on DescribeTasks answers the task ThrottlingException", async () => {
    emulator.addFault({ operation: "DescribeTasks", kind: "throttle", times: 1 });
    const throttled = await describeTasks();
    expect(throttled.status).toBe(400);
    expect(String(throttled.json["__type"])).toContain("ThrottlingException");
    expect((await describeTasks()).status).toBe(200);
  });

  test.each(["RunTask", "StopTask", "ListTasks", "DeleteCluster", "RegisterTaskDefinition"])(
    "%s is refused: tasks may only read tasks here",
    async (operation) => {
      const answer = await describeTasks(operation);
      expect(answer.status).toBe(400);
      expect(answer.json["__type"]).toBe("AccessDeniedException");
      expect(String(answer.json["message"])).toContain(`not ${operation}`);
    },
  );

  test("an ECS target signed for another service, and another service's JSON API, are refused", async () => {
    expect((await describeTasks("DescribeTasks", "secretsmanager")).status).toBe(400);
    const url = new URL(ecsBase);
    const leaked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: "/",
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "secretsmanager.GetSecretValue",
            ...signed("secretsmanager"),
          },
        },
        (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify({ SecretId: "dfa-other-cluster-tls" }));
    });
    expect(leaked.status).toBe(400);
    expect(leaked.body).not.toContain("other-cluster-key");
  });
});
