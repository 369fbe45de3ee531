import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import type { Emulator } from "@dask-fargate-action/emulator";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import {
  type AwsClients,
  type ClusterHandle,
  type ClusterSpecInput,
  createAwsClients,
  downFargateCluster,
  type FargateSpecInput,
  newClusterId,
  resolveClusterSpec,
  resolveFargateSpec,
  runFargateJob,
  upFargateCluster,
} from "../src/index.js";
import { awsLeftovers } from "./integration/aws-state.js";
import { emulatorForTests, emulatorLeftovers, trainingImage } from "./integration/emulator.js";
import { losses, recorder } from "./integration/helpers.js";

// The Fargate backend end to end on the emulator: every task is a container made from our task
// definitions, so the TLS preamble, the lifetime wrapper, workers finding the scheduler at its private
// IP, the job's wait for workers and the awslogs output read back through CloudWatch Logs all run for real.
const region = "us-east-1";
let emulator: Emulator;
let clients: AwsClients;
let image: string;

const small = { schedulerMemory: "2GB", workerCpu: 1, workerMemory: "2GB" } as const;
async function up(input: Partial<ClusterSpecInput>, fargateInput: Partial<FargateSpecInput> = {}) {
  const spec = resolveClusterSpec({ image, clusterId: newClusterId(), workers: 2, ...small, ...input });
  return upFargateCluster(spec, resolveFargateSpec({ region, ...fargateInput }, spec), { clients, logger: recorder() });
}
async function down(handle: ClusterHandle) {
  await downFargateCluster({ clusterId: handle.clusterId, resources: handle.fargate }, { clients, stateDir: handle.stateDir });
  expect(await awsLeftovers(clients, handle.clusterId)).toEqual([]);
}
async function train(handle: ClusterHandle, command: string) {
  const lines: string[] = [];
  const result = await runFargateJob(handle, { command, runsOn: "cluster", workdir: ".", onOutput: (l) => lines.push(l) }, { clients, pollMs: 500 });
  return { ...result, lines };
}

beforeAll(async () => {
  image = await trainingImage(inject("daskImage"));
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  await resetEndpoint();
});

/** Points the SDK back at the suite's moto for the test files that follow. */
async function resetEndpoint() {
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
}

describe("a TLS cluster on the emulator trains XGBoost from a job task", () => {
  let handle: ClusterHandle;
  beforeAll(async () => {
    handle = await up({});
  });
  afterAll(async () => {
    if (handle) await down(handle);
  });

  test("the job waits for both workers, trains with falling loss, and its log comes back through CloudWatch Logs", async () => {
    expect(handle.schedulerAddress).toMatch(/^tls:\/\/\d+\.\d+\.\d+\.\d+:8786$/);
    const result = await train(handle, "python3 /opt/train/train_xgboost.py --rows 20000 --rounds 10 --partitions 4");
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(result.lines.join("\n")).toMatch(/connected to tls:\/\/\S+ with 2 workers/);
    const values = losses(result.lines);
    expect(values).toHaveLength(10);
    expect(values.at(-1)).toBeLessThan((values[0] ?? 0) * 0.9);
  });

  test("a failing job returns its exit code", async () => {
    const result = await train(handle, "python3 -c 'import sys; print(\"bad data\"); sys.exit(3)'");
    expect(result.exitCode).toBe(3);
    expect(result.lines).toContain("bad data");
  });
});

test("Spot workers in a user VPC with its own subnets start, train and stop cleanly", async () => {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }));
  const subnet = await clients.ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId ?? "", CidrBlock: "10.40.1.0/24" }));
  const handle = await up({ workers: 2 }, { spotWorkers: true, subnets: [subnet.Subnet?.SubnetId ?? ""], assignPublicIp: false });
  try {
    expect(handle.schedulerAddress).toMatch(/^tls:\/\/\d+\.\d+\.\d+\.\d+:8786$/);
    const result = await train(handle, "python3 /opt/train/train_xgboost.py --rows 10000 --rounds 5 --partitions 4");
    expect(result.exitCode, result.lines.join("\n")).toBe(0);
    expect(losses(result.lines)).toHaveLength(5);
  } finally {
    await down(handle);
  }
});
