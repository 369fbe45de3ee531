import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { pushTinyImage, startOpenRegistry } from "@dask-fargate-action/testkit/open-registry";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";
import { detail, leftovers, offlineImage, waitForTask } from "./helpers.js";

// Real Docker Engine and moto: tasks made from a task definition registered with the AWS SDK run as
// containers from the offline Dask image, talk to each other at the IPs DescribeTasks reports, and
// write their output to CloudWatch Logs.
const CLUSTER = "emulator-itest";
const GROUP = "/emulator-itest";
let emulator: Emulator;
let ecs: ECSClient;
let ec2: EC2Client;
let logs: CloudWatchLogsClient;
let image: string;
let subnet: string;
let vpcId: string;
let secretArn: string;
let executionRoleArn: string;

function run(overrides: Partial<RunTaskCommandInput> & { command?: string[] }): Promise<string> {
  const { command, ...rest } = overrides;
  return ecs
    .send(
      new RunTaskCommand({
        cluster: CLUSTER,
        taskDefinition: "emulator-itest",
        launchType: "FARGATE",
        networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], assignPublicIp: "ENABLED" } },
        ...(command ? { overrides: { containerOverrides: [{ name: "main", command }] } } : {}),
        ...rest,
      }),
    )
    .then((r) => {
      const arn = r.tasks?.[0]?.taskArn;
      if (!arn) throw new Error(`RunTask started nothing: ${JSON.stringify(r.failures)}`);
      return arn;
    });
}

async function logLines(arn: string): Promise<string[]> {
  const stream = `itest/main/${arn.split("/").pop()}`;
  const answer = await logs.send(
    new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: stream, startFromHead: true }),
  );
  return (answer.events ?? []).map((e) => e.message ?? "");
}

beforeAll(async () => {
  image = offlineImage();
  emulator = await startEmulator({ exec: "docker", log: (m) => process.stderr.write(`emulator: ${m}\n`) });
  const config = {
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  ecs = new ECSClient(config);
  ec2 = new EC2Client(config);
  logs = new CloudWatchLogsClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER, capacityProviders: ["FARGATE", "FARGATE_SPOT"] }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  secretArn =
    (
      await new SecretsManagerClient(config).send(
        new CreateSecretCommand({ Name: "emulator-itest/secret", SecretString: JSON.stringify({ token: "s3cret" }) }),
      )
    ).ARN ?? "";
  await new SSMClient(config).send(
    new PutParameterCommand({ Name: "emulator-itest-param", Value: "from-ssm", Type: "String" }),
  );
  const first = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.[0];
  subnet = first?.SubnetId ?? "";
  vpcId = first?.VpcId ?? "";
  // awslogs and secrets need an execution role ECS can assume (its trust policy names ecs-tasks.amazonaws.com).
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
  };
  executionRoleArn =
    (
      await new IAMClient(config).send(
        new CreateRoleCommand({
          RoleName: "emulator-itest-execution",
          AssumeRolePolicyDocument: JSON.stringify(trust),
        }),
      )
    ).Role?.Arn ?? "";
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "emulator-itest",
      networkMode: "awsvpc",
      executionRoleArn,
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [
        {
          name: "main",
          image,
          essential: true,
          memory: 512,
          command: ["python3", "-c", "print('default command')"],
          environment: [{ name: "FROM_DEFINITION", value: "yes" }],
          secrets: [
            { name: "TOKEN", valueFrom: `${secretArn}:token::` },
            { name: "PARAM", valueFrom: "emulator-itest-param" },
          ],
          linuxParameters: { initProcessEnabled: true },
          ulimits: [{ name: "nofile", softLimit: 4096, hardLimit: 4096 }],
          stopTimeout: 20,
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": GROUP, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "itest" },
          },
        },
      ],
    }),
  );
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await leftovers(id)).toEqual({ containers: 0, networks: 0, rules: 0 });
});

describe("tasks as Docker containers", () => {
  test("two tasks talk at the IPs DescribeTasks reports; output, secrets and the SSM parameter reach CloudWatch Logs; StopTask sends SIGTERM", async () => {
    const server = await run({
      command: [
        "sh",
        "-c",
        "trap 'echo got SIGTERM; exit 0' TERM; echo $TOKEN-$PARAM-$FROM_DEFINITION-$(ulimit -n); python3 -m http.server 8080 & while true; do sleep 0.2; done",
      ],
    });
    const provisioning = await waitForTask(ecs, CLUSTER, server, (t) => detail(t, "privateIPv4Address") !== undefined);
    const ip = detail(provisioning, "privateIPv4Address") ?? "";
    expect(["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"]).toContain(provisioning.lastStatus);
    const running = await waitForTask(ecs, CLUSTER, server, (t) => t.lastStatus === "RUNNING");
    expect(running.pullStartedAt).toBeDefined();
    expect(running.pullStoppedAt).toBeDefined();
    expect(running.startedAt).toBeDefined();

    // The "public" IP is the task's address on the emulator's network, reachable from this machine.
    const eni = detail(running, "networkInterfaceId") ?? "";
    const described = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }));
    expect(described.NetworkInterfaces?.[0]?.Association?.PublicIp).toBe(ip);

    const client = await run({
      command: [
        "python3",
        "-c",
        `import time, urllib.request\nfor i in range(50):\n  try:\n    print('reached', urllib.request.urlopen('http://${ip}:8080/').status); break\n  except Exception as e:\n    time.sleep(0.2)`,
      ],
    });
    const clientStopped = await waitForTask(ecs, CLUSTER, client, (t) => t.lastStatus === "STOPPED");
    expect(clientStopped.stopCode).toBe("EssentialContainerExited");
    expect(clientStopped.containers?.[0]?.exitCode).toBe(0);
    expect(await logLines(client)).toContain("reached 200");

    // This machine reaches the task only once its group admits it (the default group admits its own members only),
    // from its address on the task network (the gateway, .1).
    const fromHere = () =>
      fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status,
        (e: Error) => e.name,
      );
    expect(await fromHere()).toBe("TimeoutError");
    const filters = [
      { Name: "vpc-id", Values: [vpcId] },
      { Name: "group-name", Values: ["default"] },
    ];
    const defaultGroup =
      (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters }))).SecurityGroups?.[0]?.GroupId ?? "";
    const gateway = (emulator.state()["executor"] as { subnet: string }).subnet.replace(/0\/22$/, "1");
    const web = { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: `${gateway}/32` }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: defaultGroup, IpPermissions: [web] }));
    let status = await fromHere();
    for (let i = 0; i < 20 && status !== 200; i++) status = await fromHere();
    expect(status).toBe(200);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: defaultGroup, IpPermissions: [web] }));

    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: server, reason: "test is done" }));
    const stopped = await waitForTask(ecs, CLUSTER, server, (t) => t.lastStatus === "STOPPED");
    expect(stopped.stopCode).toBe("UserInitiated");
    expect(stopped.stoppedReason).toBe("test is done");
    expect(stopped.containers?.[0]?.exitCode).toBe(0);
    // The trap ran: SIGTERM, well before SIGKILL after stopTimeout (20 s).
    expect((stopped.stoppedAt?.getTime() ?? 0) - (stopped.stoppingAt?.getTime() ?? 0)).toBeLessThan(15_000);
    const lines = await logLines(server);
    expect(lines).toContain("s3cret-from-ssm-yes-4096");
    expect(lines).toContain("got SIGTERM");
  });

  test("an essential container exiting with code 3 stops the task with EssentialContainerExited (a 4 vCPU override runs on a smaller engine)", async () => {
    const arn = await run({
      overrides: {
        cpu: "4096",
        memory: "8192",
        containerOverrides: [{ name: "main", command: ["sh", "-c", "echo exiting; exit 3"] }],
      },
    });
    const task = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "STOPPED");
    expect([task.cpu, task.memory]).toEqual(["4096", "8192"]);
    expect(task.stopCode).toBe("EssentialContainerExited");
    expect(task.stoppedReason).toBe("Essential container in task exited");
    expect(task.containers?.[0]?.exitCode).toBe(3);
    expect(await logLines(arn)).toEqual(["exiting"]);
  });

  test("containers of one task share localhost; the essential one's exit stops the sidecar", async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "emulator-itest-sidecar",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        executionRoleArn,
        cpu: "512",
        memory: "1024",
        containerDefinitions: [
          {
            name: "main",
            image,
            memory: 512,
            command: [
              "python3",
              "-c",
              "import time, urllib.request\nfor i in range(50):\n  try:\n    print('sidecar', urllib.request.urlopen('http://127.0.0.1:9000/').status); break\n  except Exception:\n    time.sleep(0.2)",
            ],
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": GROUP, "awslogs-stream-prefix": "itest" },
            },
          },
          {
            name: "sidecar",
            image,
            memory: 256,
            essential: false,
            command: ["python3", "-m", "http.server", "9000"],
            stopTimeout: 2,
          },
        ],
      }),
    );
    const arn = await run({ taskDefinition: "emulator-itest-sidecar" });
    const task = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "STOPPED");
    expect(task.stopCode).toBe("EssentialContainerExited");
    expect(task.containers?.map((c) => [c.name, c.lastStatus])).toEqual([
      ["main", "STOPPED"],
      ["sidecar", "STOPPED"],
    ]);
    expect(task.containers?.[0]?.exitCode).toBe(0);
    expect(await logLines(arn)).toContain("sidecar 200");
  });

  test("a container that ignores SIGTERM is killed after its stopTimeout", async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "emulator-itest-stubborn",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          {
            name: "main",
            image,
            memory: 512,
            stopTimeout: 2,
            command: ["sh", "-c", "trap '' TERM; while true; do sleep 0.2; done"],
          },
        ],
      }),
    );
    const arn = await run({ taskDefinition: "emulator-itest-stubborn" });
    await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "RUNNING");
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    const task = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "STOPPED");
    expect(task.containers?.[0]?.exitCode).toBe(137);
    expect((task.executionStoppedAt?.getTime() ?? 0) - (task.stoppingAt?.getTime() ?? 0)).toBeGreaterThanOrEqual(2000);
  });

  test("an image in a local registry is pulled by the engine", async () => {
    const registry = await startOpenRegistry();
    let tiny = "";
    try {
      tiny = pushTinyImage(image, registry.host);
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "emulator-itest-registry",
          networkMode: "awsvpc",
          executionRoleArn,
          requiresCompatibilities: ["FARGATE"],
          cpu: "256",
          memory: "512",
          containerDefinitions: [
            {
              name: "main",
              image: tiny,
              memory: 512,
              command: ["/tini", "--version"],
              logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": GROUP, "awslogs-stream-prefix": "itest" },
              },
            },
          ],
        }),
      );
      const arn = await run({ taskDefinition: "emulator-itest-registry" });
      const task = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "STOPPED");
      expect(task.stopCode).toBe("EssentialContainerExited");
      expect(task.containers?.[0]?.exitCode).toBe(0);
      expect(task.containers?.[0]?.imageDigest).toMatch(/^sha256:/);
      expect((await logLines(arn)).join("\n")).toMatch(/tini version/);
    } finally {
      await registry.stop();
      // The engine keeps the pulled image; it is this test's own.
      if (tiny)
        await new Docker()
          .getImage(tiny)
          .remove({ force: true })
          .catch(() => {});
    }
  });

  test("an image nobody can pull stops the task with CannotPullContainerError", async () => {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "emulator-itest-missing",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        containerDefinitions: [
          { name: "main", image: "127.0.0.1:9/emulator-itest/missing:1", essential: true, memory: 512 },
        ],
      }),
    );
    const arn = await run({ taskDefinition: "emulator-itest-missing" });
    const task = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "STOPPED");
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(task.containers?.[0]?.exitCode).toBeUndefined();
    expect(task.startedAt).toBeUndefined();
  });

  test("FARGATE_SPOT in a non-default VPC's subnet runs, and a Spot interruption stops it with SpotInterruption", async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }))).Vpc?.VpcId ?? "";
    const own =
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.99.1.0/24" }))).Subnet?.SubnetId ?? "";
    const group =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({ GroupName: "emulator-itest", Description: "itest", VpcId: vpc }),
        )
      ).GroupId ?? "";
    const arn = await run({
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: [own], securityGroups: [group] } },
      // Keeps running after SIGTERM: the task ends with SIGKILL when the (shortened) two-minute warning is over.
      command: ["sh", "-c", "trap 'echo spot SIGTERM' TERM; while true; do sleep 0.2; done"],
    });
    const running = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "RUNNING");
    expect(running.capacityProviderName).toBe("FARGATE_SPOT");
    expect(detail(running, "subnetId")).toBe(own);
    emulator.setTiming({ spotWarningMs: 3000 });
    emulator.interruptSpot(arn);
    const stopped = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "STOPPED");
    expect(stopped.stopCode).toBe("SpotInterruption");
    expect(stopped.stoppedReason).toBe("Your Spot Task was interrupted.");
    expect(stopped.containers?.[0]?.exitCode).toBe(137);
    expect((stopped.executionStoppedAt?.getTime() ?? 0) - (stopped.stoppingAt?.getTime() ?? 0)).toBeGreaterThanOrEqual(
      3000,
    );
    // One SIGTERM, as on Fargate: not a second one when the task winds down.
    expect((await logLines(arn)).filter((l) => l === "spot SIGTERM")).toHaveLength(1);
  });
});
