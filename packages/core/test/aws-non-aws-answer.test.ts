import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ListClustersCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isNonAwsAnswer } from "../src/fargate/aws-clients.js";
import { type AwsClients, AwsResponseError, CoreError, createAwsClients } from "../src/index.js";

/**
 * A local endpoint that answers like a proxy or a crashed emulator, not like AWS. Each test sets what it
 * answers; every request is counted, to see the SDK's retries go through the typed error.
 */
let answer: { status: number; contentType?: string; body: string } = { status: 502, body: "" };
let requests = 0;
let server: Server;
let endpoint = "";
let clients: AwsClients;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests++;
      response.writeHead(answer.status, answer.contentType ? { "content-type": answer.contentType } : {});
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  clients = createAwsClients({ region: "us-east-1", maxAttempts: 1 });
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

/** The error a call ends with, its endpoint's port replaced so the message can be snapshotted. */
async function failure(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error("the call succeeded");
  error.message = error.message.replace(endpoint, "http://127.0.0.1:PORT");
  return error;
}

const NGINX_502 =
  "<!doctype html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>\n</html>\n";

describe("an answer that is not AWS's names the operation, the HTTP status and the body's first bytes", () => {
  test("an HTML 502 to ECS RunTask (a JSON protocol: the SDK alone says `Unexpected token '<'`)", async () => {
    answer = { status: 502, contentType: "text/html", body: NGINX_502 };
    const error = await failure(
      clients.ecs.send(
        new RunTaskCommand({ cluster: "c", taskDefinition: "t", count: 1, launchType: "FARGATE", clientToken: "x" }),
      ),
    );
    expect(AwsResponseError.isInstance(error)).toBe(true);
    expect(CoreError.isInstance(error)).toBe(true);
    expect(error.message).not.toContain("Unexpected token");
    expect(error.message).toMatchInlineSnapshot(
      `"ECS RunTask failed: http://127.0.0.1:PORT answered HTTP 502 with a body that is not an AWS response (text/html): "<!doctype html> <html> <head><title>502 Bad Gateway</title></head> <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body> </html>". Something other than AWS answered (a proxy, a captive portal, an emulator's crash page): check AWS_ENDPOINT_URL*, HTTPS_PROXY and the region."`,
    );
    expect(error).toMatchObject({ service: "ECS", operation: "RunTask", statusCode: 502, contentType: "text/html" });
  });

  test("an HTML 502 to ECS ListClusters", async () => {
    answer = { status: 502, contentType: "text/html", body: NGINX_502 };
    const error = await failure(clients.ecs.send(new ListClustersCommand({})));
    expect(error).toMatchObject({
      name: "AwsResponseError",
      service: "ECS",
      operation: "ListClusters",
      statusCode: 502,
    });
    expect(error.message).toContain('HTTP 502 with a body that is not an AWS response (text/html): "<!doctype html>');
  });

  test("a 503 without a body (the SDK alone says `UnknownError`)", async () => {
    answer = { status: 503, body: "" };
    const error = await failure(clients.ecs.send(new ListClustersCommand({})));
    expect(error.message).toMatchInlineSnapshot(
      `"ECS ListClusters failed: http://127.0.0.1:PORT answered HTTP 503 with an empty body. Something other than AWS answered (a proxy, a captive portal, an emulator's crash page): check AWS_ENDPOINT_URL*, HTTPS_PROXY and the region."`,
    );
  });

  test("XML protocols too: EC2 and IAM (the SDK alone says `Unknown`)", async () => {
    answer = { status: 502, contentType: "text/html", body: NGINX_502 };
    expect(await failure(clients.ec2.send(new DescribeVpcsCommand({})))).toMatchObject({
      service: "EC2",
      operation: "DescribeVpcs",
      statusCode: 502,
    });
    expect(await failure(clients.iam.send(new GetRoleCommand({ RoleName: "r" })))).toMatchObject({
      service: "IAM",
      operation: "GetRole",
      statusCode: 502,
    });
  });

  test("an HTML 200 (a captive portal) is an error, not an empty success of an XML protocol", async () => {
    answer = {
      status: 200,
      contentType: "text/html; charset=utf-8",
      body: "<!DOCTYPE html><html><body>Sign in to the guest network</body></html>",
    };
    const error = await failure(clients.ec2.send(new DescribeVpcsCommand({})));
    expect(error.message).toContain(
      "EC2 DescribeVpcs failed: http://127.0.0.1:PORT answered HTTP 200 with a body that is not an AWS response (text/html; charset=utf-8)",
    );
  });

  test("only the first 200 characters of a long body are quoted", async () => {
    answer = { status: 500, contentType: "text/html", body: `<html>${"x".repeat(5000)}</html>` };
    const error = (await failure(clients.ecs.send(new ListClustersCommand({})))) as AwsResponseError;
    expect(error.bodyHead).toHaveLength(200);
    expect(error.message.length).toBeLessThan(500);
  });

  test("a 5xx stays transient: the SDK's standard retries still retry it", async () => {
    answer = { status: 502, contentType: "text/html", body: NGINX_502 };
    const retrying = createAwsClients({ region: "us-east-1", maxAttempts: 3 });
    requests = 0;
    const error = await failure(retrying.ecs.send(new ListClustersCommand({})));
    expect(requests).toBe(3);
    expect(error).toMatchObject({ name: "AwsResponseError", $metadata: { httpStatusCode: 502, attempts: 3 } });
  });

  test("AWS's own errors and answers pass through untouched", async () => {
    answer = {
      status: 400,
      contentType: "application/x-amz-json-1.1",
      body: '{"__type":"ClusterNotFoundException","message":"Cluster not found."}',
    };
    const error = await failure(clients.ecs.send(new ListClustersCommand({})));
    expect(error.name).toBe("ClusterNotFoundException");
    answer = {
      status: 200,
      contentType: "application/x-amz-json-1.1",
      body: '{"clusterArns":["arn:aws:ecs:us-east-1:123456789012:cluster/a"]}',
    };
    expect((await clients.ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([
      "arn:aws:ecs:us-east-1:123456789012:cluster/a",
    ]);
  });
});

test.each([
  ["", "", 503, true],
  ["<!doctype html><html></html>", "", 502, true],
  ["<html><body>502</body></html>", "text/plain", 500, true],
  ["<!DOCTYPE html><html>portal</html>", "text/html", 200, true],
  ["Bad Gateway", "text/plain", 502, true],
  // An empty 2xx is an operation without output (moto even labels it text/html).
  ["", "text/html; charset=utf-8", 200, false],
  ["{}", "text/html", 400, false],
  ['{"__type":"ThrottlingException"}', "application/x-amz-json-1.1", 400, false],
  ['{"__type":"Thrott', "application/x-amz-json-1.1", 400, false],
  ["<Response><Errors><Error><Code>UnauthorizedOperation</Code></Error></Errors></Response>", "text/xml", 403, false],
  [
    '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Code>NoSuchEntity</Code></Error></ErrorResponse>',
    "text/xml",
    404,
    false,
  ],
])("isNonAwsAnswer(%j, %j, %i) is %s", (body, contentType, statusCode, expected) => {
  expect(isNonAwsAnswer(body, contentType, statusCode)).toBe(expected);
});
