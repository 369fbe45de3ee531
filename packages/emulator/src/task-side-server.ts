import { randomBytes } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Faults } from "./faults.js";
import { applyFaults, ECS_TARGET_PREFIX, s3Operation } from "./http-server.js";
import type { TaskRecord } from "./task-record.js";

/**
 * What containers of the emulator's tasks reach on the network's gateway address (the host side of the bridge,
 * reachable from the tasks only and from this machine):
 *
 * - a container credentials endpoint, as ECS provides for a task with a task role (developer guide, "Task IAM
 *   role": the agent sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and serves the role's credentials at
 *   169.254.170.2). That link-local address cannot be given to a Docker bridge without changing the host's
 *   network, so tasks get the SDKs' other form, AWS_CONTAINER_CREDENTIALS_FULL_URI with
 *   AWS_CONTAINER_AUTHORIZATION_TOKEN (SDK reference, "Container credential provider"). The credentials come
 *   from moto's STS AssumeRole of the task definition's taskRoleArn, so moto accepts them;
 * - S3 forwarded to moto: AWS_ENDPOINT_URL_S3 points here. This variable is an emulator-only addition: on AWS a
 *   task reaches S3 at its regional endpoint. The emulator's fault rules apply to these calls too, by S3 operation
 *   (e.g. `{"operation":"PutObject","kind":"error","status":503}` hits the job's uploader);
 * - ECS's read of tasks, DescribeTasks, forwarded to the emulator's own ECS API: AWS_ENDPOINT_URL_ECS points here,
 *   an emulator-only addition like the S3 one (on AWS a task calls the regional endpoint,
 *   `ecs.<region>.amazonaws.com`). A worker that looks its scheduler up (core's find-scheduler.ts) calls it. The
 *   emulator's request buckets and fault rules apply as to any ECS call, since it goes through the same front.
 *   Every other ECS operation is refused ({@link ECS_TASK_SIDE_OPERATIONS}).
 *
 * Nothing else is forwarded ({@link refusalOf}): not moto's administration API, not another service.
 */

/** The ECS operations a task may call here: reads of tasks only. */
export const ECS_TASK_SIDE_OPERATIONS: readonly string[] = ["DescribeTasks"];
export class TaskSideServer {
  private server: Server | undefined;
  private base = "";
  private readonly grants = new Map<string, { readonly token: string; readonly task: TaskRecord }>();
  private readonly cache = new Map<string, Promise<Record<string, string>>>();

  constructor(
    private readonly motoEndpoint: URL,
    private readonly log: (message: string) => void = () => {},
    private readonly faults?: Faults,
    /** The emulator's own front, where ECS calls go (its buckets and faults apply there); none: ECS is refused. */
    private readonly emulatorEndpoint?: URL,
  ) {}

  /** Listens on `host` (the tasks' network gateway), on a free port. */
  async start(host: string): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log(`task-side request ${req.method} ${req.url} failed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, host, () => resolve());
    });
    this.server = server;
    this.base = `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  /** The variables a task's containers get: credentials (with a task role) and the S3 endpoint. */
  environmentFor(task: TaskRecord): Record<string, string> {
    if (!this.server) return {};
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_S3: this.base,
      ...(this.emulatorEndpoint ? { AWS_ENDPOINT_URL_ECS: this.base } : {}),
    };
    if (task.taskDefinition.taskRoleArn) {
      const id = randomBytes(16).toString("hex");
      const token = randomBytes(24).toString("base64url");
      this.grants.set(id, { token, task });
      env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = `${this.base}/v2/credentials/${id}`;
      env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
    }
    return env;
  }

  /** A task's credentials stop being served once it is released. */
  forget(task: TaskRecord): void {
    for (const [id, grant] of this.grants) {
      if (grant.task.taskArn === task.taskArn) {
        this.grants.delete(id);
        this.cache.delete(id);
      }
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/v2\/credentials\/([0-9a-f]+)$/.exec(req.url ?? "");
    if (match) {
      const id = match[1] ?? "";
      const grant = this.grants.get(id);
      if (!grant || req.headers.authorization !== grant.token) {
        res
          .writeHead(grant ? 401 : 404, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "no credentials for this request" }));
        return;
      }
      let credentials = this.cache.get(id);
      if (!credentials) {
        credentials = assumeRole(this.motoEndpoint, grant.task);
        this.cache.set(id, credentials);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(await credentials));
      return;
    }
    const target = req.headers["x-amz-target"];
    if (typeof target === "string" || signingService(req.headers.authorization) === "ecs") {
      const refusal = ecsRefusalOf(
        req.url ?? "",
        typeof target === "string" ? target : undefined,
        req.headers.authorization,
        this.emulatorEndpoint !== undefined,
      );
      if (refusal) {
        this.log(`task-side ECS request ${String(target)} refused: ${refusal.reason}`);
        res
          .writeHead(refusal.status, { "content-type": "application/x-amz-json-1.1" })
          .end(JSON.stringify({ __type: refusal.code, message: refusal.reason }));
        return;
      }
      // The emulator's front applies its buckets and faults, as to any ECS call.
      this.forward(req, res, this.emulatorEndpoint ?? this.motoEndpoint);
      return;
    }
    const refusal = refusalOf(req.url ?? "", req.headers.authorization, req.headers.host);
    if (refusal) {
      this.log(`task-side request ${req.method} ${(req.url ?? "").split("?")[0]} refused: ${refusal.reason}`);
      res
        .writeHead(refusal.status, { "content-type": "application/json" })
        .end(JSON.stringify({ message: refusal.reason }));
      return;
    }
    const operation = s3Operation(req.method, req.url ?? "/", req.headers.authorization);
    if (this.faults && operation && (await applyFaults(this.faults, { api: "S3", operation }, res)) === "answered")
      return;
    this.forward(req, res, this.motoEndpoint);
  }

  /** Pipes the request unchanged to `upstreamUrl` (its Host and signature included: moto routes S3 by them). */
  private forward(req: IncomingMessage, res: ServerResponse, upstreamUrl: URL): void {
    const upstream = httpRequest(
      {
        hostname: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      this.log(`forwarding ${req.method} ${req.url} to ${upstreamUrl.host} failed: ${error.message}`);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}

/**
 * Why a request that is not the credentials endpoint must not reach moto, or undefined when it is an S3 call.
 * A task on Fargate reaches its credentials and metadata endpoints and AWS's public service endpoints, where every
 * call is signed and checked against its role; there is no administration API (the developer guide's "Task IAM
 * role" and "Task metadata endpoint version 4"; Fargate tasks have no EC2 instance metadata). The only service
 * this server stands for is S3 (AWS_ENDPOINT_URL_S3), so it forwards SigV4 requests scoped to `s3` and refuses:
 * moto's own API (`/moto-api/*`: data.json with every account's secrets, reset, seed, state manager, recorder),
 * moto's EC2 instance metadata (`/latest/*`), and any other service (moto routes a request by the service of its
 * credential scope, so a task could otherwise read Secrets Manager or call IAM with any key). moto matches the
 * decoded path, so the check decodes it too, and a request target that is not a path (absolute form) is refused.
 */
function refusalOf(
  target: string,
  authorization: string | undefined,
  host: string | undefined,
): { status: number; reason: string } | undefined {
  if (!target.startsWith("/")) return { status: 400, reason: "the request target is not a path" };
  let path: string;
  try {
    path = decodeURIComponent(target.split("?")[0] ?? "");
  } catch {
    return { status: 400, reason: "the request path is not valid percent-encoding" };
  }
  if (path.startsWith("/moto-api") || path === "/favicon.ico" || path.startsWith("/latest/"))
    return {
      status: 404,
      reason:
        "no such endpoint: a task reaches its credentials endpoint and S3 here, not the emulator's administration",
    };
  // moto reads the scope as the second word of the header's first comma-separated part (werkzeug_app.py).
  const scope = (authorization ?? "").split(",")[0]?.trim().split(/\s+/)[1] ?? "";
  const service = /^Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request$/.exec(scope)?.[1];
  if (service !== "s3" || path.startsWith("/v20180820/") || (host ?? "").includes("s3-control"))
    return {
      status: 403,
      reason: "this endpoint serves S3 only (AWS_ENDPOINT_URL_S3): sign the request with SigV4 for the s3 service",
    };
  return undefined;
}

/** The service of a SigV4 Authorization header's credential scope (moto routes by it), or undefined. */
function signingService(authorization: string | undefined): string | undefined {
  const scope = (authorization ?? "").split(",")[0]?.trim().split(/\s+/)[1] ?? "";
  return /^Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request$/.exec(scope)?.[1];
}

/**
 * Why an ECS request of a task must not reach the emulator's ECS API, or undefined when it may: a POST to `/`
 * signed for `ecs` with the X-Amz-Target of one of {@link ECS_TASK_SIDE_OPERATIONS}. The answers are ECS's JSON
 * errors: AccessDeniedException for an operation a task may not call here (on AWS its role would decide; here
 * no task has any other business with ECS), as ECS answers an unauthorized call (ECS API reference, "Common Errors").
 */
function ecsRefusalOf(
  target: string,
  amzTarget: string | undefined,
  authorization: string | undefined,
  forwarding: boolean,
): { status: number; code: string; reason: string } | undefined {
  if (!forwarding)
    return {
      status: 403,
      code: "AccessDeniedException",
      reason: "this endpoint serves S3 only: the emulator was started without ECS for tasks",
    };
  const operation = (amzTarget ?? "").startsWith(ECS_TARGET_PREFIX)
    ? (amzTarget ?? "").slice(ECS_TARGET_PREFIX.length)
    : "";
  if (target !== "/" || signingService(authorization) !== "ecs" || !operation)
    return {
      status: 400,
      code: "InvalidSignatureException",
      reason: "an ECS call here is a POST to / signed with SigV4 for the ecs service, with an X-Amz-Target of ECS",
    };
  if (!ECS_TASK_SIDE_OPERATIONS.includes(operation))
    return {
      status: 400,
      code: "AccessDeniedException",
      reason: `tasks may call ${ECS_TASK_SIDE_OPERATIONS.join(", ")} here, not ${operation}`,
    };
  return undefined;
}

/** moto's STS AssumeRole of the task role (query API; moto checks no signature, only routes by the scope). */
async function assumeRole(moto: URL, task: TaskRecord): Promise<Record<string, string>> {
  const body = new URLSearchParams({
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: task.taskDefinition.taskRoleArn ?? "",
    RoleSessionName: task.taskId.slice(0, 64),
    DurationSeconds: "3600",
  });
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  const answer = await fetch(new URL("/", moto), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=test/${day}/${task.region}/sts/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  const xml = await answer.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const accessKeyId = field("AccessKeyId");
  if (!answer.ok || !accessKeyId)
    throw new Error(
      `moto's STS AssumeRole of ${task.taskDefinition.taskRoleArn} answered ${answer.status}: ${xml.slice(0, 200)}`,
    );
  // The container credentials endpoint's JSON (SDK reference, "Container credential provider").
  return {
    AccessKeyId: accessKeyId,
    SecretAccessKey: field("SecretAccessKey") ?? "",
    Token: field("SessionToken") ?? "",
    Expiration: field("Expiration") ?? "",
    RoleArn: task.taskDefinition.taskRoleArn ?? "",
  };
}
