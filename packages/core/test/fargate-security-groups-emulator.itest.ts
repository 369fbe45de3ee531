import { connect } from "node:net";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSubnetsCommand,
} from "@aws-sdk/client-ec2";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import {
  type AwsClients,
  createAwsClients,
  downFargateCluster,
  type FargateSpecInput,
  newClusterId,
  PreflightError,
  resolveClusterSpec,
  resolveFargateSpec,
  upFargateCluster,
} from "../src/index.js";
import { recorder } from "./integration/helpers.js";

// Security groups on the emulator, which enforces them on the tasks' containers with iptables as AWS does on
// ENIs (a blocked connection times out): the cluster's own group admits this machine on the scheduler port only
// from client-cidr and on the dashboard's only with open-dashboard; a user's own group without the self rule is
// refused before anything is created, naming the group and the rule.
const region = "us-east-1";
let emulator: Emulator;
let clients: AwsClients;
let image: string;

const small = { schedulerMemory: "2GB", workerCpu: 1, workerMemory: "2GB" } as const;
const start = (fargate: Partial<FargateSpecInput>) => {
  const spec = resolveClusterSpec({ image, clusterId: newClusterId(), workers: 1, ...small });
  return {
    spec,
    started: upFargateCluster(spec, resolveFargateSpec({ region, ...fargate }, spec), { clients, logger: recorder() }),
  };
};

/** open, refused or timeout, from this machine. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: string) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(3000, () => done("timeout"));
    socket.once("connect", () => done("open"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(error.code === "ECONNREFUSED" ? "refused" : (error.code ?? "error")),
    );
  });
}

/** This machine's address on the emulator's task network: what a task sees a connection from here come from. */
async function hostAddress(): Promise<string> {
  const network = (await new Docker().getNetwork(emulator.network ?? "").inspect()) as {
    IPAM?: { Config?: { Gateway?: string }[] };
  };
  return network.IPAM?.Config?.[0]?.Gateway ?? "";
}

beforeAll(async () => {
  image = inject("daskImage");
  emulator = await emulatorForTests();
  clients = createAwsClients({ region });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  process.env["AWS_ENDPOINT_URL"] = inject("motoEndpoint");
});

test("the cluster's group admits this machine (client-cidr) on the scheduler port, and not on the dashboard's without open-dashboard", async () => {
  const cidr = `${await hostAddress()}/32`;
  const { spec, started } = start({ clientCidr: cidr });
  const handle = await started;
  try {
    const host = new URL(handle.clientSchedulerAddress?.replace(/^tls:/, "http:") ?? "http://missing").hostname;
    // RUNNING is not yet listening: admitted connections are refused until the scheduler's process is up.
    let scheduler = await probe(host, 8786);
    for (const deadline = Date.now() + 120_000; scheduler !== "open" && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 500));
      scheduler = await probe(host, 8786);
    }
    expect(scheduler).toBe("open");
    // The dashboard listens by now: a timeout is the group dropping it.
    expect(await probe(host, 8787)).toBe("timeout");
    expect(handle.dashboardUrl).toBeUndefined();
  } finally {
    await downFargateCluster(
      { clusterId: spec.clusterId, resources: handle.fargate },
      { clients, tlsDir: handle.tlsDir },
    );
  }
  expect(await awsLeftovers(clients, spec.clusterId)).toEqual([]);
});

test("with a client-cidr that does not hold this machine's address, the scheduler port drops its connections (timeout, not refused)", async () => {
  const { spec, started } = start({ clientCidr: "203.0.113.7/32" });
  const handle = await started;
  try {
    const host = new URL(handle.clientSchedulerAddress?.replace(/^tls:/, "http:") ?? "http://missing").hostname;
    // Long enough for the scheduler to listen (the test above sees it within seconds): still dropped.
    await new Promise((r) => setTimeout(r, 5000));
    expect(await probe(host, 8786)).toBe("timeout");
  } finally {
    await downFargateCluster(
      { clusterId: spec.clusterId, resources: handle.fargate },
      { clients, tlsDir: handle.tlsDir },
    );
  }
  expect(await awsLeftovers(clients, spec.clusterId)).toEqual([]);
});

test("a user's own group without the self rule stops up before anything is created, naming the group and the missing rule", async () => {
  const subnet = (
    await clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))
  ).Subnets?.[0];
  const group = await clients.ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `team-${process.pid}`,
      Description: "a team's group",
      VpcId: subnet?.VpcId,
    }),
  );
  const groupId = group.GroupId ?? "";
  try {
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8786, ToPort: 8786, IpRanges: [{ CidrIp: "203.0.113.7/32" }] }],
      }),
    );
    const { spec, started } = start({
      securityGroups: [groupId],
      subnets: [subnet?.SubnetId ?? ""],
      assignPublicIp: true,
    });
    const error = await started.catch((e: unknown) => e);
    expect(PreflightError.isInstance(error)).toBe(true);
    expect((error as PreflightError).failures).toEqual([
      expect.objectContaining({
        check: "security-groups",
        status: "refused",
        message: expect.stringContaining(
          `security group ${groupId} lacks the rule the cluster's tasks need to reach each other: all TCP (0-65535) from ${groupId} itself (the self rule)`,
        ),
      }),
    ]);
    expect(await awsLeftovers(clients, spec.clusterId)).toEqual([]);
  } finally {
    await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  }
});
