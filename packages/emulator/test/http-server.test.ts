import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DeleteSecurityGroupCommand, DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeTasksCommand, ECSClient, ListClustersCommand, RunTaskCommand } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, test } from "vitest";
import { Faults } from "../src/faults.js";
import { createRouter, regionOf, s3Operation } from "../src/http-server.js";
import { seededRng } from "../src/rng.js";
import { Throttle } from "../src/token-bucket.js";
import { fakeEcs, until } from "./fakes.js";

// The router with the SDK as the client: errors, throttling and faults must be what the SDK understands.
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function setup(options: { throttle?: Throttle } = {}) {
  const moto = await listen(
    createServer((req, res) => {
      res.setHeader("content-type", "application/x-amz-json-1.1");
      res.end(JSON.stringify({ clusterArns: [`moto saw ${req.headers["x-amz-target"]}`] }));
    }),
  );
  const ecs = fakeEcs();
  const faults = new Faults(seededRng(1));
  const endpoint = await listen(
    createServer(
      createRouter({
        motoEndpoint: new URL(moto),
        ecs: ecs.api,
        store: ecs.store,
        throttle: () => options.throttle,
        faults,
        admin: async () => ({ status: 200, json: {} }),
        onMotoReset: async () => {},
        defaultRegion: "us-east-1",
        log: () => {},
      }),
    ),
  );
  const config = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "t", secretAccessKey: "t" },
    maxAttempts: 1,
  };
  return { ...ecs, faults, client: new ECSClient(config), ec2: new EC2Client(config) };
}

const run = new RunTaskCommand({
  cluster: "c1",
  taskDefinition: "fam",
  launchType: "FARGATE",
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "ENABLED" },
  },
});

describe("HTTP front", () => {
  test("the region comes from the SigV4 credential scope", () => {
    expect(
      regionOf("AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/ecs/aws4_request, SignedHeaders=host", "us-east-1"),
    ).toBe("eu-west-1");
    expect(regionOf(undefined, "us-east-1")).toBe("us-east-1");
  });

  test.each([
    ["PUT", "/bucket/nightly/c1/model.json", "PutObject"],
    ["GET", "/bucket/nightly/c1/model.json?x-id=GetObject", "GetObject"],
    ["GET", "/bucket?list-type=2&prefix=nightly%2F", "ListObjectsV2"],
    ["GET", "/bucket/", "ListObjects"],
    ["HEAD", "/bucket/k", "HeadObject"],
    ["PUT", "/bucket", "CreateBucket"],
    ["DELETE", "/bucket/k", "DeleteObject"],
  ])("S3 %s %s is %s for fault rules", (method, url, operation) => {
    const s3 = "AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/s3/aws4_request, SignedHeaders=host";
    expect(s3Operation(method, url, s3)).toBe(operation);
    // Not S3's (another service's scope, or unsigned): no operation, so no rule can hit it by an S3 name.
    expect(s3Operation(method, url, s3.replace("/s3/", "/logs/"))).toBe("");
    expect(s3Operation(method, url, undefined)).toBe("");
  });

  test("task operations are answered here, everything else is forwarded to moto", async () => {
    const { client } = await setup();
    const answer = await client.send(run);
    expect(answer.tasks?.[0]?.lastStatus).toBe("PROVISIONING");
    expect((await client.send(new ListClustersCommand({}))).clusterArns).toEqual([
      "moto saw AmazonEC2ContainerServiceV20141113.ListClusters",
    ]);
  });

  test("rule errors reach the SDK as its named exceptions", async () => {
    const { client } = await setup();
    await expect(client.send(new RunTaskCommand({ ...run.input, count: 11 }))).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "count must be between 1 and 10.",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new DescribeTasksCommand({ cluster: "gone", tasks: ["x"] }))).rejects.toMatchObject({
      name: "ClusterNotFoundException",
    });
  });

  test("DescribeTasks beyond the 100-call burst answers ThrottlingException", async () => {
    const { client } = await setup({ throttle: new Throttle(() => 0) });
    for (let i = 0; i < 100; i++) await client.send(new DescribeTasksCommand({ cluster: "c1", tasks: ["x"] }));
    await expect(client.send(new DescribeTasksCommand({ cluster: "c1", tasks: ["x"] }))).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  test("faults: throttling, 5xx with an HTML page, dropped connections, slow answers, for chosen operations and times", async () => {
    const { client, faults } = await setup();
    faults.add({ operation: "DescribeTasks", kind: "throttle", times: 1 });
    await expect(client.send(new DescribeTasksCommand({ cluster: "c1", tasks: ["x"] }))).rejects.toMatchObject({
      name: "ThrottlingException",
    });
    await expect(client.send(new DescribeTasksCommand({ cluster: "c1", tasks: ["x"] }))).resolves.toBeDefined();
    faults.add({ operation: "RunTask", kind: "error", status: 502, body: "html", times: 1 });
    await expect(client.send(run)).rejects.toMatchObject({ $metadata: { httpStatusCode: 502 } });
    faults.add({ operation: "RunTask", kind: "drop", times: 1 });
    await expect(client.send(run)).rejects.toThrow();
    faults.add({ operation: "ListClusters", kind: "slow", delayMs: 300, times: 1 });
    const t0 = Date.now();
    await client.send(new ListClustersCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    faults.add({ operation: "*", kind: "error", body: "aws", times: 1 });
    await expect(client.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: "ServerException",
      $metadata: { httpStatusCode: 500 },
    });
  });

  test("DescribeNetworkInterfaces answers for task ENIs, with the public IP when assignPublicIp is ENABLED", async () => {
    const { client, ec2, store } = await setup();
    const arn = (await client.send(run)).tasks?.[0]?.taskArn ?? "";
    const task = store.byArn(arn);
    await until(() => task?.attachment.networkInterfaceId !== undefined);
    const eni = task?.attachment.networkInterfaceId ?? "";
    const answer = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }));
    const ni = answer.NetworkInterfaces?.[0];
    expect(ni?.NetworkInterfaceId).toBe(eni);
    expect(ni?.PrivateIpAddress).toBe(task?.attachment.privateIPv4Address);
    expect(ni?.Association?.PublicIp).toBe(task?.attachment.privateIPv4Address);
    expect(ni?.SubnetId).toBe("subnet-1");
    // The group is in use by the task's interface, as in EC2 until the task stops.
    await expect(ec2.send(new DeleteSecurityGroupCommand({ GroupId: "sg-1" }))).rejects.toMatchObject({
      name: "DependencyViolation",
    });
  });
});
