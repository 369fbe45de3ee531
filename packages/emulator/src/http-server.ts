import {
  Agent,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from "node:http";
import { ec2Error, handleEc2 } from "./ec2-api.js";
import type { EcsApi } from "./ecs-api.js";
import { EcsApiError } from "./errors.js";
import type { FaultRule, Faults } from "./faults.js";
import { type FargateQuotas, QUOTAS_TARGET_PREFIX } from "./service-quotas.js";
import type { TaskStore } from "./task-store.js";
import type { Throttle } from "./token-bucket.js";

/** The X-Amz-Target prefix of ECS's JSON 1.1 API. */
export const ECS_TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

/** What the router needs. */
export interface RouterDeps {
  readonly motoEndpoint: URL;
  readonly ecs: EcsApi;
  readonly store: TaskStore;
  /** The request buckets, or undefined when throttling is off. */
  readonly throttle: () => Throttle | undefined;
  readonly faults: Faults;
  /** Answers `/_emulator/...`: status and JSON. */
  readonly admin: (method: string, path: string, body: unknown) => Promise<{ status: number; json: unknown }>;
  /** Called before moto's own reset (`POST /moto-api/reset`) is forwarded: the emulator's tasks go too. */
  readonly onMotoReset: () => Promise<void>;
  /** Called after moto's reset answered: what the emulator adds to moto's fresh state (the default VPC's route). */
  readonly afterMotoReset?: () => Promise<void>;
  /** Fargate's vCPU quotas (Service Quotas), which moto does not serve. */
  readonly quotas?: FargateQuotas;
  readonly defaultRegion: string;
  readonly log: (message: string) => void;
  /** Logs every AWS call: API, operation, status, who answered and how long it took. */
  readonly logRequests?: boolean;
}

/** A request as far as routing needs it. */
interface Call {
  /** "ECS", "QUOTAS" (Service Quotas), "EC2" (any query API), "JSON" (other JSON APIs), "S3" or "" (anything else, streamed to moto). */
  readonly api: "ECS" | "QUOTAS" | "QUERY" | "JSON" | "S3" | "";
  readonly operation: string;
  /** The service: a JSON API's target prefix (`Logs_20140328`), or a query API's SigV4 signing name (`ec2`, `iam`). */
  readonly service?: string;
  readonly region: string;
  readonly body: Buffer | undefined;
}

/**
 * The errors an `error` and a `throttle` fault answer with on each JSON API: error shapes of that service's own
 * model (botocore's service-2.json; test/aws-model.test.ts checks them), or the common ThrottlingException
 * (each API reference's "Common Errors"). Another JSON API gets the common InternalFailure.
 */
const JSON_FAULT_ERRORS: Readonly<Record<string, { readonly error: string; readonly throttle: string }>> = {
  AmazonEC2ContainerServiceV20141113: { error: "ServerException", throttle: "ThrottlingException" },
  ServiceQuotasV20190624: { error: "ServiceException", throttle: "TooManyRequestsException" },
  Logs_20140328: { error: "ServiceUnavailableException", throttle: "ThrottlingException" },
  secretsmanager: { error: "InternalServiceError", throttle: "ThrottlingException" },
  AmazonSSM: { error: "InternalServerError", throttle: "ThrottlingException" },
};

/** The signing name of a SigV4-signed request: `Credential=AKID/DATE/REGION/SERVICE/aws4_request`. */
function signingName(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? "")?.[1];
}

/**
 * The S3 operation of a SigV4-signed REST request (service `s3` in the credential scope), so fault rules can name
 * it: PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 / ListObjects, CreateBucket, HeadBucket,
 * DeleteBucket; "" when the request is not S3's. Path style (`/bucket/key`), as the SDK and the job's uploader
 * send it to a custom endpoint.
 */
export function s3Operation(method: string | undefined, url: string, authorization: string | undefined): string {
  if (!/Credential=[^/]+\/\d+\/[^/]+\/s3\/aws4_request/.test(authorization ?? "")) return "";
  const [path = "", query = ""] = url.split("?");
  const params = new URLSearchParams(query);
  const hasKey = path.replace(/^\/+/, "").includes("/") && !path.replace(/^\/+/, "").endsWith("/");
  switch (method) {
    case "PUT":
      return hasKey ? "PutObject" : "CreateBucket";
    case "GET":
      if (hasKey) return "GetObject";
      return params.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
    case "HEAD":
      return hasKey ? "HeadObject" : "HeadBucket";
    case "DELETE":
      return hasKey ? "DeleteObject" : "DeleteBucket";
    default:
      return "";
  }
}

/** The region of a SigV4-signed request: `Credential=AKID/DATE/REGION/SERVICE/aws4_request`. */
export function regionOf(authorization: string | undefined, fallback: string): string {
  return /Credential=[^/]+\/\d+\/([^/]+)\//.exec(authorization ?? "")?.[1] ?? fallback;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The emulator's HTTP front: admin calls, ECS task operations and the EC2 calls about task ENIs are
 * answered here; everything else goes byte for byte to moto.
 */
export function createRouter(deps: RouterDeps): RequestListener {
  return (req, res) => {
    route(deps, req, res).catch((error: unknown) => {
      deps.log(
        `request ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (!res.headersSent) {
        const wrapped = new EcsApiError(
          "ServerException",
          `emulator error: ${error instanceof Error ? error.message : String(error)}`,
          500,
        );
        send(res, wrapped.status, "application/x-amz-json-1.1", wrapped.toBody());
      } else res.destroy();
    });
  };
}

async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  if (url.startsWith("/_emulator/")) {
    const raw = req.method === "GET" || req.method === "DELETE" ? Buffer.alloc(0) : await readBody(req);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : {};
    } catch {
      send(res, 400, "application/json", JSON.stringify({ error: "the body is not JSON" }));
      return;
    }
    const answer = await deps.admin(req.method ?? "GET", url.split("?")[0] ?? url, body);
    send(res, answer.status, "application/json", JSON.stringify(answer.json));
    return;
  }
  const call = await classify(deps, req);
  if (deps.logRequests) {
    const started = Date.now();
    res.once("finish", () => {
      const who = res.getHeader("x-emulator-answered") ? "emulator" : "moto";
      deps.log(
        `${call.api || "HTTP"} ${call.operation || `${req.method} ${url}`} ${res.statusCode} (${who}, ${Date.now() - started} ms)`,
      );
    });
  }
  const faultAnswer = await applyFaults(deps.faults, call, res);
  if (faultAnswer === "answered") return;
  if (call.api === "ECS" && deps.throttle() && !deps.throttle()?.takeCall(call.region, call.operation)) {
    // ECS API reference, "Request throttling": the call fails with ThrottlingException.
    return sendEcsError(res, new EcsApiError("ThrottlingException", "Rate exceeded"));
  }
  if (call.api === "ECS" && call.body) {
    let input: Record<string, unknown>;
    try {
      input = call.body.length > 0 ? (JSON.parse(call.body.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      return sendEcsError(res, new EcsApiError("SerializationException", "the request body is not JSON"));
    }
    try {
      const answer = await deps.ecs.handle(call.operation, input, call.region);
      if (answer) return send(res, 200, "application/x-amz-json-1.1", JSON.stringify(answer));
    } catch (error) {
      if (error instanceof EcsApiError) return sendEcsError(res, error);
      throw error;
    }
  }
  if (call.api === "QUOTAS" && call.body && deps.quotas) {
    try {
      const input = call.body.length > 0 ? (JSON.parse(call.body.toString("utf8")) as Record<string, unknown>) : {};
      const answer = deps.quotas.handle(call.operation, input, call.region);
      if (answer) return send(res, 200, "application/x-amz-json-1.1", JSON.stringify(answer));
    } catch (error) {
      if (error instanceof EcsApiError) return sendEcsError(res, error);
      throw error;
    }
  }
  if (call.api === "QUERY" && call.body) {
    const answer = handleEc2(new URLSearchParams(call.body.toString("utf8")), deps.store);
    if (answer) return send(res, answer.status, "text/xml;charset=UTF-8", answer.body);
  }
  const motoReset = req.method === "POST" && url.startsWith("/moto-api/reset");
  if (motoReset) await deps.onMotoReset();
  await forward(deps.motoEndpoint, req, res, call.body);
  if (motoReset) await deps.afterMotoReset?.();
}

async function classify(deps: RouterDeps, req: IncomingMessage): Promise<Call> {
  const region = regionOf(req.headers.authorization, deps.defaultRegion);
  const target = req.headers["x-amz-target"];
  if (typeof target === "string") {
    const operation = target.split(".").pop() ?? "";
    const service = target.split(".")[0] ?? "";
    // ECS bodies are small and read here; other JSON APIs (Logs, Secrets Manager, SSM) are streamed to moto.
    if (target.startsWith(ECS_TARGET_PREFIX))
      return { api: "ECS", operation, service, region, body: await readBody(req) };
    if (target.startsWith(QUOTAS_TARGET_PREFIX))
      return { api: "QUOTAS", operation, service, region, body: await readBody(req) };
    return { api: "JSON", operation, service, region, body: undefined };
  }
  const type = req.headers["content-type"] ?? "";
  if (req.method === "POST" && type.startsWith("application/x-www-form-urlencoded")) {
    const body = await readBody(req);
    const service = signingName(req.headers.authorization) ?? "ec2";
    return {
      api: "QUERY",
      operation: new URLSearchParams(body.toString("utf8")).get("Action") ?? "",
      service,
      region,
      body,
    };
  }
  const s3 = s3Operation(req.method, req.url ?? "/", req.headers.authorization);
  return { api: s3 ? "S3" : "", operation: s3, region, body: undefined };
}

/** Applies drop/slow/error/throttle faults; "answered" when the call must go no further. Also the task side's S3 (task-side-server.ts). */
export async function applyFaults(
  faults: Faults,
  call: Pick<Call, "api" | "operation" | "service">,
  res: ServerResponse,
): Promise<"answered" | "go"> {
  const rules = faults.take(call.operation, ["drop", "slow", "error", "throttle"]);
  if (rules.length === 0) return "go";
  for (const rule of rules.filter((r) => r.kind === "slow"))
    await new Promise((r) => setTimeout(r, rule.delayMs ?? 5000));
  if (rules.some((r) => r.kind === "drop")) {
    res.socket?.destroy();
    return "answered";
  }
  const error = rules.find((r) => r.kind === "error" || r.kind === "throttle");
  if (!error) return "go";
  if (error.kind === "throttle") {
    // S3 throttles with 503 SlowDown (S3 API reference, "Error responses").
    if (call.api === "S3")
      send(res, 503, "application/xml", s3ErrorXml("SlowDown", "Please reduce your request rate."));
    else if (call.api === "QUERY" && call.service !== "ec2")
      sendXml(res, queryError(400, "Sender", "Throttling", "Rate exceeded"));
    else if (call.api === "QUERY") sendXml(res, ec2Error(503, "RequestLimitExceeded", "Request limit exceeded."));
    else
      sendEcsError(
        res,
        new EcsApiError(JSON_FAULT_ERRORS[call.service ?? ""]?.throttle ?? "ThrottlingException", "Rate exceeded"),
      );
    return "answered";
  }
  sendFaultError(res, error, call);
  return "answered";
}

function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${crypto.randomUUID()}</RequestId></Error>`;
}

/**
 * The error of an awsQuery API (IAM, STS): `<ErrorResponse><Error><Type><Code><Message>` and `<RequestId>`
 * (IAM API reference, "Common Errors"; EC2's own protocol answers `<Response><Errors>` instead).
 */
function queryError(
  status: number,
  type: "Sender" | "Receiver",
  code: string,
  message: string,
): { status: number; body: string } {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
  };
}

function sendFaultError(res: ServerResponse, rule: FaultRule, call: Pick<Call, "api" | "service">): void {
  const status = rule.status ?? 500;
  if (rule.body === "empty") send(res, status, undefined, "");
  else if (rule.body === "html")
    send(
      res,
      status,
      "text/html",
      `<!doctype html><html><head><title>${status} Error</title></head><body><h1>${status} Error</h1></body></html>`,
    );
  // IAM's 500 is ServiceFailure (its model's ServiceFailureException); other awsQuery APIs get the common InternalFailure.
  else if (call.api === "QUERY" && call.service !== "ec2")
    sendXml(
      res,
      queryError(
        status,
        "Receiver",
        call.service === "iam" ? "ServiceFailure" : "InternalFailure",
        "Request processing has failed (injected by the emulator)",
      ),
    );
  else if (call.api === "QUERY")
    sendXml(res, ec2Error(status, "InternalError", "An internal error has occurred (injected by the emulator)"));
  else if (call.api === "S3")
    send(
      res,
      status,
      "application/xml",
      s3ErrorXml(
        status === 503 ? "ServiceUnavailable" : "InternalError",
        "We encountered an internal error (injected by the emulator).",
      ),
    );
  else {
    const type = JSON_FAULT_ERRORS[call.service ?? ""]?.error ?? "InternalFailure";
    res.setHeader("x-amzn-errortype", type);
    send(
      res,
      status,
      "application/x-amz-json-1.1",
      JSON.stringify({ __type: type, message: "Service unavailable (injected by the emulator)" }),
    );
  }
}

function sendEcsError(res: ServerResponse, error: EcsApiError): void {
  res.setHeader("x-amzn-errortype", error.type);
  send(res, error.status, "application/x-amz-json-1.1", error.toBody());
}

function sendXml(res: ServerResponse, answer: { status: number; body: string }): void {
  send(res, answer.status, "text/xml;charset=UTF-8", answer.body);
}

function send(res: ServerResponse, status: number, type: string | undefined, body: string): void {
  res.statusCode = status;
  res.setHeader("x-emulator-answered", "1");
  if (type) res.setHeader("content-type", type);
  res.setHeader("x-amzn-requestid", crypto.randomUUID());
  res.end(body);
}

/** Connections to moto are kept open between calls. */
const motoAgent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends the request to moto unchanged (method, path, headers, body) and its answer back unchanged. */
function forward(moto: URL, req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): Promise<void> {
  return new Promise((resolve) => {
    const upstream = httpRequest(
      {
        host: moto.hostname,
        port: moto.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: motoAgent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage ?? "", answer.rawHeaders);
        answer.pipe(res);
        answer.on("end", resolve);
        answer.on("error", () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent)
        send(
          res,
          502,
          "application/json",
          JSON.stringify({ __type: "ServiceUnavailableException", message: `moto is not answering: ${error.message}` }),
        );
      else res.destroy();
      resolve();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  });
}
