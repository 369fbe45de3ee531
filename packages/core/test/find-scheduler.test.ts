import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, describe, expect, test } from "vitest";
import { FIND_SCHEDULER_ENV, FIND_SCHEDULER_PY, findSchedulerCommand } from "../src/fargate/find-scheduler.js";
import { NodeSha256, parseAmzDate } from "./sigv4-check.js";

/**
 * The worker's bootstrap (find-scheduler.ts), run for real with this machine's python3 against a local server that
 * plays the container credentials endpoint and ECS (JSON 1.1: DescribeTasks answers, ThrottlingException, a STOPPED
 * task, AccessDeniedException). Its requests are checked with the AWS SDK's own signer.
 */
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "dfa-find-scheduler-"));
const script = join(scratch, "find_scheduler.py");
writeFileSync(script, FIND_SCHEDULER_PY);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TASK = "arn:aws:ecs:eu-west-1:123456789012:task/dfa-0123abcd/0123456789abcdef0123456789abcdef";
const CREDENTIALS = {
  AccessKeyId: "ASIATASKROLE",
  SecretAccessKey: "task-role-secret-key",
  Token: "task-role-session-token",
};

interface EcsCall {
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

/** One answer of the fake ECS: an HTTP status and a JSON body. */
type Answer = { readonly status: number; readonly json: unknown };

const described = (lastStatus: string, ip?: string, extra: object = {}): Answer => ({
  status: 200,
  json: {
    tasks: [
      {
        taskArn: TASK,
        lastStatus,
        desiredStatus: lastStatus === "STOPPED" ? "STOPPED" : "RUNNING",
        attachments: [
          {
            type: "ElasticNetworkInterface",
            status: ip ? "ATTACHED" : "PRECREATED",
            details: [
              { name: "subnetId", value: "subnet-1" },
              ...(ip ? [{ name: "privateIPv4Address", value: ip }] : []),
            ],
          },
        ],
        ...extra,
      },
    ],
    failures: [],
  },
});
const throttled: Answer = { status: 400, json: { __type: "ThrottlingException", message: "Rate exceeded" } };

/** Credentials (token-checked) and ECS on one port; ECS gives `answers` in order, the last one again and again. */
async function fakeEcs(answers: readonly Answer[]): Promise<{ server: Server; endpoint: string; calls: EcsCall[] }> {
  const calls: EcsCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v2/credentials/task-1") {
        if (req.headers.authorization !== "auth-token") res.writeHead(403).end();
        else
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ ...CREDENTIALS, Expiration: "2030-01-01T00:00:00Z" }));
        return;
      }
      calls.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)] ?? throttled;
      res.writeHead(answer.status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

/** Runs the worker command behind the bootstrap as the container would (`sh`), the "worker" printing its address. */
function runWorker(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const worker = ["python3", "-c", "import os; print('worker for ' + os.environ['DASK_SCHEDULER_ADDRESS'])"];
  const [program, ...args] = findSchedulerCommand("python3", worker);
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? "", args, {
      env: { PATH: process.env["PATH"] ?? "", [FIND_SCHEDULER_ENV]: FIND_SCHEDULER_PY, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const taskEnv = (endpoint: string, extra: Record<string, string> = {}) => ({
  DFA_SCHEDULER_TASK: TASK,
  DFA_ECS_CLUSTER: "dfa-0123abcd",
  DFA_SCHEDULER_PROTOCOL: "tls",
  DFA_SCHEDULER_PORT: "8786",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint}/v2/credentials/task-1`,
  AWS_CONTAINER_AUTHORIZATION_TOKEN: "auth-token",
  AWS_ENDPOINT_URL_ECS: endpoint,
  ...extra,
});

/** No credential in anything the bootstrap printed. */
function expectNoCredentials(output: string): void {
  for (const secret of [CREDENTIALS.SecretAccessKey, CREDENTIALS.Token, "auth-token"])
    expect(output).not.toContain(secret);
}

describe("the worker's bootstrap finds its scheduler through ECS DescribeTasks", () => {
  test("throttled twice, then no IP yet, then the IP: it retries and execs the worker with tls://IP:8786", async () => {
    const ecs = await fakeEcs([throttled, throttled, described("PROVISIONING"), described("PENDING", "10.0.1.23")]);
    try {
      const result = await runWorker(taskEnv(ecs.endpoint));
      expect(result.stdout.trim()).toBe("worker for tls://10.0.1.23:8786");
      expect(result.code).toBe(0);
      expect(ecs.calls).toHaveLength(4);
      expect(result.stderr).toContain("found the scheduler after 2 retried call(s)");
      expectNoCredentials(result.stdout + result.stderr);
      // Each call: DescribeTasks of the scheduler task in its cluster, signed for ecs in the ARN's region with the task role.
      const signer = new SignatureV4({
        service: "ecs",
        region: "eu-west-1",
        credentials: {
          accessKeyId: CREDENTIALS.AccessKeyId,
          secretAccessKey: CREDENTIALS.SecretAccessKey,
          sessionToken: CREDENTIALS.Token,
        },
        sha256: NodeSha256,
        applyChecksum: false,
      });
      const url = new URL(ecs.endpoint);
      for (const call of ecs.calls) {
        expect(call.headers["x-amz-target"]).toBe("AmazonEC2ContainerServiceV20141113.DescribeTasks");
        expect(call.headers["content-type"]).toBe("application/x-amz-json-1.1");
        expect(JSON.parse(call.body.toString())).toEqual({ cluster: "dfa-0123abcd", tasks: [TASK] });
        const names = [
          "content-type",
          "host",
          "x-amz-content-sha256",
          "x-amz-date",
          "x-amz-security-token",
          "x-amz-target",
        ];
        const signed = await signer.sign(
          {
            method: "POST",
            protocol: "http:",
            hostname: url.hostname,
            port: Number(url.port),
            path: "/",
            query: {},
            headers: Object.fromEntries(names.map((h) => [h, String(call.headers[h])])),
            body: call.body,
          },
          { signingDate: parseAmzDate(String(call.headers["x-amz-date"])) },
        );
        expect(call.headers.authorization).toBe(signed.headers["authorization"]?.replaceAll(", ", ","));
        expect(call.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(call.body).digest("hex"));
      }
    } finally {
      ecs.server.close();
    }
  }, 30_000);

  test("a STOPPED scheduler: one line saying so, exit 1, the worker never runs", async () => {
    const ecs = await fakeEcs([
      described("STOPPED", undefined, { stoppedReason: "Essential container in task exited" }),
    ]);
    try {
      const result = await runWorker(taskEnv(ecs.endpoint));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual([
        `dask-fargate: cannot find the scheduler: the scheduler task ${TASK} stopped (Essential container in task exited); this worker will not start`,
      ]);
      expect(ecs.calls).toHaveLength(1);
    } finally {
      ecs.server.close();
    }
  });

  test("access denied is final: one call, one line, exit 1", async () => {
    const ecs = await fakeEcs([
      {
        status: 400,
        json: { __type: "AccessDeniedException", message: "not authorized to perform: ecs:DescribeTasks" },
      },
    ]);
    try {
      const result = await runWorker(taskEnv(ecs.endpoint));
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        "dask-fargate: cannot find the scheduler: ECS refused DescribeTasks of the scheduler task (AccessDeniedException: not authorized to perform: ecs:DescribeTasks)",
      );
      expect(ecs.calls).toHaveLength(1);
      expectNoCredentials(result.stderr);
    } finally {
      ecs.server.close();
    }
  });

  test("the wait is bounded: never an IP within DFA_FIND_SCHEDULER_TIMEOUT gives up with the last thing seen", async () => {
    const ecs = await fakeEcs([described("PROVISIONING")]);
    try {
      const started = Date.now();
      const result = await runWorker(taskEnv(ecs.endpoint, { DFA_FIND_SCHEDULER_TIMEOUT: "3" }));
      expect(result.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.stderr.trim()).toBe(
        `dask-fargate: cannot find the scheduler: the scheduler task ${TASK} had no IP address after 3 s (last: the scheduler has no IP address yet)`,
      );
      expect(ecs.calls.length).toBeGreaterThanOrEqual(2);
    } finally {
      ecs.server.close();
    }
  }, 30_000);

  test("with DASK_SCHEDULER_ADDRESS given it execs at once, without calling ECS", async () => {
    const ecs = await fakeEcs([throttled]);
    try {
      const result = await runWorker(taskEnv(ecs.endpoint, { DASK_SCHEDULER_ADDRESS: "tls://10.9.9.9:8786" }));
      expect(result.stdout.trim()).toBe("worker for tls://10.9.9.9:8786");
      expect(ecs.calls).toHaveLength(0);
    } finally {
      ecs.server.close();
    }
  });

  test("a server error (5xx) is retried", async () => {
    const ecs = await fakeEcs([
      { status: 503, json: { __type: "ServerException", message: "busy" } },
      described("PENDING", "10.0.7.7"),
    ]);
    try {
      const result = await runWorker(taskEnv(ecs.endpoint, { DFA_SCHEDULER_PROTOCOL: "tcp" }));
      expect(result.stdout.trim()).toBe("worker for tcp://10.0.7.7:8786");
      expect(result.stderr).toContain("found the scheduler after 1 retried call(s) (last: ServerException: busy)");
    } finally {
      ecs.server.close();
    }
  }, 30_000);
});

test("on AWS (no AWS_ENDPOINT_URL_ECS) it calls the regional ECS endpoint of the scheduler task's region", async () => {
  const program = [
    "import importlib.util, os, sys",
    "spec = importlib.util.spec_from_file_location('find_scheduler', sys.argv[1])",
    "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
    "os.environ.pop('AWS_ENDPOINT_URL_ECS', None)",
    "print(m.ecs_endpoint('eu-west-1')); print(m.ecs_endpoint('cn-north-1'))",
  ].join("\n");
  const { stdout } = await run("python3", ["-c", program, script], { env: { PATH: process.env["PATH"] ?? "" } });
  expect(stdout.trim().split("\n")).toEqual([
    "https://ecs.eu-west-1.amazonaws.com/",
    "https://ecs.cn-north-1.amazonaws.com.cn/",
  ]);
});
