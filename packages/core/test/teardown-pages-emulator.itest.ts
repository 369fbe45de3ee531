import { type Emulator, startEmulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import {
  type AwsClients,
  createAwsClients,
  downFargateCluster,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";

// ListTasks answers at most 100 tasks a page on ECS, and so does the emulator (moto answers everything at
// once): a teardown that read one page would leave the 101st worker running. Tasks without containers here.
let emulator: Emulator;
const listTasksCalls: string[] = [];
let clients: AwsClients;

beforeAll(async () => {
  emulator = await startEmulator({ exec: "none", timing: "fast" });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
  });
  clients = createAwsClients({
    region: "us-east-1",
    onRequest: (_service, operation) => operation === "ListTasks" && listTasksCalls.push(operation),
  });
});

afterAll(async () => {
  await emulator?.stop();
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

test("teardown by cluster id alone stops all 150 workers, past ListTasks' page of 100", async () => {
  const spec = resolveClusterSpec({
    image: "dask:pages",
    clusterId: newClusterId(),
    workers: 150,
    workerCpu: 1,
    workerMemory: "2GB",
    allowUnboundedCost: true,
  });
  const handle = await upFargateCluster(spec, resolveFargateSpec({ region: "us-east-1" }, spec), { clients });
  expect(handle.fargate?.workerTaskArns).toHaveLength(150);
  listTasksCalls.length = 0;
  // No saved resources: the tasks are found by ListTasks(startedBy), as after a crash.
  const report = await downFargateCluster({ clusterId: handle.clusterId }, { clients });
  expect(report.removed.filter((r) => r.startsWith("task ") && !r.startsWith("task definition"))).toHaveLength(151);
  expect(listTasksCalls.length).toBeGreaterThanOrEqual(2);
  expect(await awsLeftovers(createAwsClients({ region: "us-east-1" }), handle.clusterId)).toEqual([]);
});
