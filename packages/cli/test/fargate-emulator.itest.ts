import { execFile, spawn } from "node:child_process";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { type AwsClients, createAwsClients } from "@dask-fargate-action/core";
import type { Emulator } from "@dask-fargate-action/emulator";
import { awsLeftovers } from "@dask-fargate-action/testkit/aws-state";
import { emulatorForTests, emulatorLeftovers } from "@dask-fargate-action/testkit/emulator";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

// The notebook flow on Fargate, against the Fargate emulator: `up` with a client CIDR that admits this
// machine, a Python client on this machine connecting with the printed TLS settings, then scale, logs, down.
const run = promisify(execFile);
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
/** Debian's Python, which has distributed and xgboost (the pyenv python3 first on PATH does not). */
const hostPython = "/usr/bin/python3";
let emulator: Emulator;
let observer: AwsClients;
let stateDir: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI as a user runs it, with AWS_ENDPOINT_URL pointing at the emulator. */
function cli(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, ...emulator.env, DASK_FARGATE_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

interface UpJson {
  readonly clusterId: string;
  readonly schedulerAddress: string;
  readonly dashboardUrl: string | null;
  readonly tls: { readonly ca: string; readonly cert: string; readonly key: string } | null;
}

/** What a notebook does: connect with the TLS files `up` printed, wait for the workers, compute. */
const CLIENT = `
import json, sys
import dask.array as da
from distributed import Client
from distributed.security import Security

up, workers = json.loads(sys.argv[1]), int(sys.argv[2])
tls = up["tls"]
security = Security(tls_ca_file=tls["ca"], tls_client_cert=tls["cert"], tls_client_key=tls["key"], require_encryption=True)
with Client(up["schedulerAddress"], security=security, timeout=60) as client:
    client.wait_for_workers(workers, timeout=180)
    increment = client.submit(lambda x: x + 1, 1).result()
    total = da.ones((2000, 1000), chunks=(250, 1000)).sum().compute()
    print(json.dumps({"workers": len(client.scheduler_info()["workers"]), "increment": increment, "sum": float(total)}))
`;

async function compute(up: UpJson, workers: number): Promise<{ workers: number; increment: number; sum: number }> {
  const { stdout } = await run(hostPython, ["-c", CLIENT, JSON.stringify(up), String(workers)], { timeout: 300_000 });
  return JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
}

/** This machine's address on the emulator's task network: what the scheduler sees a client here connect from. */
async function hostAddressOnTaskNetwork(): Promise<string> {
  const network = await new Docker().getNetwork(emulator.network ?? "").inspect();
  const gateway = (network as { IPAM?: { Config?: { Gateway?: string }[] } }).IPAM?.Config?.[0]?.Gateway;
  if (!gateway) throw new Error(`the emulator's network ${emulator.network} has no gateway`);
  return gateway;
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "dfa-cli-fargate-"));
  emulator = await emulatorForTests();
  observer = createAwsClients({ region: "us-east-1" });
});

afterAll(async () => {
  const id = emulator?.instanceId;
  await emulator?.stop();
  if (id) expect(await emulatorLeftovers(id)).toEqual([]);
  await rm(stateDir, { recursive: true, force: true });
});

describe("the notebook flow on Fargate (emulator)", () => {
  const clusterId = `cli-fargate-${process.pid}`;
  let up: UpJson;

  afterAll(async () => {
    // Whatever happened above, the cluster goes (down is idempotent).
    await cli("down", "--cluster-id", clusterId, "--backend", "fargate", "--region", "us-east-1");
  });

  test("up with a client CIDR that admits this machine prints a public TLS address and the client's TLS files", async () => {
    const cidr = `${await hostAddressOnTaskNetwork()}/32`;
    const result = await cli(
      "up",
      "--backend",
      "fargate",
      "--region",
      "us-east-1",
      "--image",
      inject("daskImage"),
      "--cluster-id",
      clusterId,
      "--workers",
      "2",
      "--scheduler-memory",
      "2GB",
      "--worker-memory",
      "2GB",
      "--client-cidr",
      cidr,
      "--open-dashboard",
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    up = JSON.parse(result.stdout) as UpJson;
    expect(up.clusterId).toBe(clusterId);
    expect(up.schedulerAddress).toMatch(/^tls:\/\/\d+\.\d+\.\d+\.\d+:8786$/);
    expect(up.dashboardUrl).toBe(up.schedulerAddress.replace(/^tls:/, "http:").replace(/8786$/, "8787"));
    expect(up.tls?.key).toContain(stateDir);
    for (const file of Object.values(up.tls ?? {})) await access(file);
    // The rules themselves: scheduler and dashboard open to this machine only (the emulator enforces them: the client below connects through them).
    const groups = await observer.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: "tag:io.dask-fargate-action.cluster-id", Values: [clusterId] }],
      }),
    );
    const outside = (groups.SecurityGroups ?? []).flatMap((g) =>
      (g.IpPermissions ?? []).filter((p) => (p.IpRanges ?? []).length > 0),
    );
    const rules = outside.map((p) => ({
      from: p.FromPort,
      to: p.ToPort,
      cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp),
    }));
    expect(rules).toEqual([{ from: 8786, to: 8787, cidrs: [cidr] }]);
  });

  test("a Python client on this machine connects with the printed TLS settings and computes on both workers", async () => {
    expect(await compute(up, 2)).toEqual({ workers: 2, increment: 2, sum: 2_000_000 });
  });

  test("scale --workers 3 adds a worker the client sees", async () => {
    const result = await cli("scale", "--cluster-id", clusterId, "--workers", "3", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ clusterId, workers: 3 });
    expect(await compute(up, 3)).toEqual({ workers: 3, increment: 2, sum: 2_000_000 });
  });

  test("status reads the registered workers from the dashboard", async () => {
    const result = await cli("status", "--cluster-id", clusterId, "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject([
      { clusterId, backend: "fargate", state: "up", workers: 3, registeredWorkers: 3 },
    ]);
  });

  test("logs shows every member's CloudWatch stream", async () => {
    const result = await cli("logs", "--cluster-id", clusterId, "--tail", "200", "--json");
    expect(result.code, result.stderr).toBe(0);
    const members = JSON.parse(result.stdout) as { member: string; lines: string[] }[];
    const scheduler = members.filter((m) => /^scheduler\//.test(m.member));
    expect(scheduler).toHaveLength(1);
    expect(scheduler[0]?.lines.join("\n")).toMatch(/Scheduler at:\s+tls:\/\//);
    const workers = members.filter((m) => /^worker\//.test(m.member));
    expect(workers).toHaveLength(3);
    for (const worker of workers) expect(worker.lines.join("\n"), worker.member).toMatch(/Registered to:\s+tls:\/\//);
  });

  test("down removes everything: nothing of the cluster in the account, no record", async () => {
    const result = await cli("down", "--cluster-id", clusterId, "--json");
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { removed: string[] }).removed.length).toBeGreaterThan(0);
    expect(await awsLeftovers(observer, clusterId)).toEqual([]);
    await expect(access(join(stateDir, "clusters", `${clusterId}.json`))).rejects.toThrow();
  });

  test("down again by id finds nothing and says where it looked", async () => {
    const result = await cli("down", "--cluster-id", clusterId, "--backend", "fargate", "--region", "us-east-1");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`nothing of cluster ${clusterId} was found on the fargate backend in us-east-1`);
  });
});
