import { execFile } from "node:child_process";
import { connect } from "node:net";
import { promisify } from "node:util";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from "@aws-sdk/client-ecs";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Emulator, startEmulator } from "../src/index.js";
import { detail, firewallRules, leftovers, offlineImage, waitForTask } from "./helpers.js";

// Real Docker Engine, real iptables, moto: the tasks' security groups decide which connections reach them,
// from other tasks and from this machine, and a blocked one times out (a dropped SYN) as on AWS.
const CLUSTER = "sg-itest";
const PORTS = [1, 5000, 8786, 8787, 40123, 65535];
const run = promisify(execFile);
let emulator: Emulator;
let ecs: ECSClient;
let ec2: EC2Client;
let subnet: string;
let vpcId: string;
let gateway: string;
const started: string[] = [];

/** A task listening on every port of PORTS except 5000 (closed: admitted traffic is refused there, not dropped). */
const LISTEN = [
  "python3",
  "-c",
  `import socket, threading, time
def serve(s):
    while True:
        s.accept()[0].close()
for p in ${JSON.stringify(PORTS.filter((p) => p !== 5000))}:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", p)); s.listen(64)
    threading.Thread(target=serve, args=(s,), daemon=True).start()
time.sleep(3600)`,
];

/** From inside a task's container: open, refused or timeout for each port of `ip`, all at once (3 s each). */
const PROBE = `import socket, sys, json, concurrent.futures as cf
def probe(p):
    try:
        socket.create_connection((sys.argv[1], int(p)), timeout=3).close(); return "open"
    except ConnectionRefusedError: return "refused"
    except (socket.timeout, TimeoutError): return "timeout"
with cf.ThreadPoolExecutor(16) as ex: print(json.dumps(dict(zip(sys.argv[2:], ex.map(probe, sys.argv[2:])))))`;

async function runTask(groups: string[], command: string[]): Promise<{ arn: string; ip: string; container: string }> {
  const answer = await ecs.send(
    new RunTaskCommand({
      cluster: CLUSTER,
      taskDefinition: "sg-itest",
      launchType: "FARGATE",
      networkConfiguration: {
        awsvpcConfiguration: { subnets: [subnet], securityGroups: groups, assignPublicIp: "ENABLED" },
      },
      overrides: { containerOverrides: [{ name: "main", command }] },
    }),
  );
  const arn = answer.tasks?.[0]?.taskArn ?? "";
  started.push(arn);
  const task = await waitForTask(ecs, CLUSTER, arn, (t) => t.lastStatus === "RUNNING");
  return { arn, ip: detail(task, "privateIPv4Address") ?? "", container: task.containers?.[0]?.runtimeId ?? "" };
}

async function probeFromTask(container: string, ip: string, ports: number[]): Promise<Record<string, string>> {
  const { stdout } = await run("docker", ["exec", container, "python3", "-c", PROBE, ip, ...ports.map(String)]);
  return JSON.parse(stdout.trim());
}

/** From this machine (its address on the task network is the gateway): open, refused or timeout. */
function probeFromHost(ip: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    const done = (result: string) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done("timeout"));
    socket.once("connect", () => done("open"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(error.code === "ECONNREFUSED" ? "refused" : (error.code ?? "error")),
    );
  });
}

async function until<T>(read: () => Promise<T>, wanted: T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await read();
    if (JSON.stringify(seen) === JSON.stringify(wanted) || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function group(name: string, ingress: (id: string) => IpPermission[]): Promise<string> {
  const id =
    (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId ??
    "";
  const permissions = ingress(id);
  if (permissions.length > 0)
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: permissions }));
  return id;
}

/** Our cluster group's rules (core's fargate-plan.ts ingressPermissions): all TCP from itself, the scheduler port from the client CIDRs. */
const clusterRules = (clientCidr: string, dashboard: boolean) => (id: string) => [
  { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: id }] },
  { IpProtocol: "tcp", FromPort: 8786, ToPort: dashboard ? 8787 : 8786, IpRanges: [{ CidrIp: clientCidr }] },
];

beforeAll(async () => {
  const image = offlineImage();
  emulator = await startEmulator({ exec: "docker", log: (m) => process.stderr.write(`emulator: ${m}\n`) });
  const config = {
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  ecs = new ECSClient(config);
  ec2 = new EC2Client(config);
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const first = (
    await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }))
  ).Subnets?.[0];
  subnet = first?.SubnetId ?? "";
  vpcId = first?.VpcId ?? "";
  const network = (await new Docker().getNetwork(emulator.network ?? "").inspect()) as {
    IPAM?: { Config?: { Gateway?: string }[] };
  };
  gateway = network.IPAM?.Config?.[0]?.Gateway ?? "";
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "sg-itest",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [
        { name: "main", image, essential: true, memory: 512, command: ["sleep", "3600"], stopTimeout: 2 },
      ],
    }),
  );
});

afterAll(async () => {
  for (const arn of started) await ecs?.send(new StopTaskCommand({ cluster: CLUSTER, task: arn })).catch(() => {});
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await leftovers(id)).toEqual({ containers: 0, networks: 0, rules: 0 });
});

describe("security groups between tasks and from this machine", () => {
  test("the rules live in the emulator's own chain, entered only for its subnet from DOCKER-USER and OUTPUT", () => {
    const rules = firewallRules(emulator.instanceId);
    const chain = `DFA-EMU-${emulator.instanceId}`;
    const subnet = (emulator.state()["executor"] as { subnet: string }).subnet;
    expect(rules).toContain(`-N ${chain}`);
    expect(rules).toContain(`-A DOCKER-USER -d ${subnet} -j ${chain}`);
    expect(rules).toContain(`-A OUTPUT -d ${subnet} -j ${chain}`);
    expect(rules.filter((r) => !r.startsWith(`-A ${chain}`) && r !== `-N ${chain}`)).toHaveLength(2);
  });

  test("members of a group with the self rule reach each other on every TCP port; this machine outside the client CIDR reaches no port (timeout, not refused)", async () => {
    const sg = await group("sg-itest-cluster", clusterRules("203.0.113.0/24", false));
    const server = await runTask([sg], LISTEN);
    const client = await runTask([sg], ["sleep", "3600"]);
    expect(
      await until(() => probeFromTask(client.container, server.ip, PORTS), {
        1: "open",
        5000: "refused",
        8786: "open",
        8787: "open",
        40123: "open",
        65535: "open",
      }),
    ).toEqual({
      1: "open",
      5000: "refused",
      8786: "open",
      8787: "open",
      40123: "open",
      65535: "open",
    });
    // This machine reaches the tasks from the gateway address, which 203.0.113.0/24 does not hold.
    expect(await probeFromHost(server.ip, 8786)).toBe("timeout");
    expect(await probeFromHost(server.ip, 5000)).toBe("timeout");
  });

  test("the client CIDR admits this machine to 8786 only; the dashboard's 8787 only once it is opened; a revoked rule closes again", async () => {
    const sg = await group("sg-itest-client", clusterRules(`${gateway}/32`, false));
    const server = await runTask([sg], LISTEN);
    // RUNNING means the process started, not that it listens yet: wait for its socket (an unbound port is refused).
    expect(await until(() => probeFromHost(server.ip, 8786), "open")).toBe("open");
    expect(await probeFromHost(server.ip, 8787)).toBe("timeout");
    expect(await probeFromHost(server.ip, 40123)).toBe("timeout");
    // open-dashboard: the same CIDR on 8786-8787. Rule changes apply to running tasks (re-read every second).
    const dashboard = { IpProtocol: "tcp", FromPort: 8787, ToPort: 8787, IpRanges: [{ CidrIp: `${gateway}/32` }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [dashboard] }));
    expect(await until(() => probeFromHost(server.ip, 8787, 1000), "open")).toBe("open");
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [dashboard] }));
    expect(await until(() => probeFromHost(server.ip, 8787, 1000), "timeout")).toBe("timeout");
  });

  test("members of a group without the self rule do not reach each other (timeout); a task in another group reaches them only through a rule naming its group", async () => {
    const lonely = await group("sg-itest-no-self", () => [
      { IpProtocol: "tcp", FromPort: 8786, ToPort: 8786, IpRanges: [{ CidrIp: "203.0.113.0/24" }] },
    ]);
    const server = await runTask([lonely], LISTEN);
    const peer = await runTask([lonely], ["sleep", "3600"]);
    expect(await probeFromTask(peer.container, server.ip, [8786, 40123])).toEqual({
      8786: "timeout",
      40123: "timeout",
    });
    const clients = await group("sg-itest-clients", () => []);
    const outsider = await runTask([clients], ["sleep", "3600"]);
    expect(await probeFromTask(outsider.container, server.ip, [8786])).toEqual({ 8786: "timeout" });
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: lonely,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8786, ToPort: 8786, UserIdGroupPairs: [{ GroupId: clients }] }],
      }),
    );
    expect(
      await until(() => probeFromTask(outsider.container, server.ip, [8786, 40123]), {
        8786: "open",
        40123: "timeout",
      }),
    ).toEqual({
      8786: "open",
      40123: "timeout",
    });
    // Still not its own members: the rule names the other group.
    expect(await probeFromTask(peer.container, server.ip, [8786])).toEqual({ 8786: "timeout" });
  });

  test("a task that names no group gets the VPC's default group, whose self rule AWS gives it", async () => {
    const a = await runTask([], LISTEN);
    const b = await runTask([], ["sleep", "3600"]);
    expect(await until(() => probeFromTask(b.container, a.ip, [8786, 40123]), { 8786: "open", 40123: "open" })).toEqual(
      { 8786: "open", 40123: "open" },
    );
    expect(await probeFromHost(a.ip, 8786)).toBe("timeout");
  });
});
