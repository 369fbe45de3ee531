import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { STSClient } from "@aws-sdk/client-sts";
import { AwsResponseError } from "../errors.js";
import { CORE_VERSION } from "../version.js";

/** The AWS clients the Fargate backend uses; passed in everywhere so tests can observe or inject. */
export interface AwsClients {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly logs: CloudWatchLogsClient;
  readonly secrets: SecretsManagerClient;
  /** Only GetCallerIdentity (the account of the managed roles' trust policies); it needs no permission. */
  readonly sts: STSClient;
  /** Preflight: GetServiceQuota for the Fargate vCPU quotas (optional for hand-made client sets: a note then). */
  readonly quotas?: ServiceQuotasClient;
  /** Preflight: GetAuthorizationToken, to read an ECR image's manifest as Fargate's pull would (optional likewise). */
  readonly ecr?: ECRClient;
  /** Job outputs: ListObjectsV2 and GetObject under the cluster's output-uri (optional for hand-made client sets). */
  readonly s3?: S3Client;
}

/** Options of {@link createAwsClients}. */
export interface AwsClientOptions {
  readonly region: string;
  /** Standard retry mode with this many attempts (throttling and 5xx are retried with backoff). */
  readonly maxAttempts?: number;
  /** Called for every request sent: service and operation, e.g. ("ECS", "RunTask"). Used to check the IAM policy. */
  readonly onRequest?: (service: string, operation: string) => void;
}

/** The project's user agent suffix with core's package.json version, so requests are recognisable in CloudTrail. */
export const USER_AGENT = `dask-fargate-action/${CORE_VERSION}`;

/**
 * One factory for every client: the region, the default credential chain (environment, shared files,
 * SSO, web identity/OIDC, container and instance roles), AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
 * (read by the SDK itself), standard retries and the user agent.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = {
    region: options.region,
    retryMode: "standard",
    maxAttempts: options.maxAttempts ?? 6,
    customUserAgent: USER_AGENT,
  };
  const clients = {
    ecs: new ECSClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    secrets: new SecretsManagerClient(config),
    sts: new STSClient(config),
    quotas: new ServiceQuotasClient(config),
    ecr: new ECRClient(config),
    s3: new S3Client(config),
  };
  const services: Record<keyof AwsClients, string> = {
    ecs: "ECS",
    ec2: "EC2",
    iam: "IAM",
    logs: "CloudWatchLogs",
    secrets: "SecretsManager",
    sts: "STS",
    quotas: "ServiceQuotas",
    ecr: "ECR",
    s3: "S3",
  };
  for (const [key, client] of Object.entries(clients) as [
    keyof AwsClients,
    { middlewareStack: MiddlewareStackLike },
  ][]) {
    client.middlewareStack.add(nonAwsAnswerMiddleware(services[key]), {
      step: "deserialize",
      // Below the SDK's deserializer (priority normal): this one sees the raw response before it is parsed.
      priority: "low",
      name: "daskFargateNonAwsAnswer",
    });
    client.middlewareStack.add(serverErrorMiddleware(services[key]), {
      step: "initialize",
      name: "daskFargateServerErrorOperation",
    });
    if (options.onRequest) {
      const record = options.onRequest;
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
          record(services[key], operationOf(context));
          return next(args);
        },
        { step: "initialize", name: "daskFargateRequestRecorder" },
      );
    }
  }
  return clients;
}

interface MiddlewareStackLike {
  add: (middleware: unknown, options: unknown) => void;
}

/** The raw HTTP response as the SDK's Node handler gives it to the deserialize step. */
interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

const operationOf = (context: { commandName?: string }) => (context.commandName ?? "").replace(/Command$/, "");

/**
 * Names the service and operation in an AWS server error (5xx) that outlasted the SDK's retries: AWS's own
 * message ("An internal error has occurred", "Service unavailable") says neither, so a user could not tell
 * which step of up or down failed. The error's name and class are kept (awsErrorName still matches).
 */
function serverErrorMiddleware(service: string) {
  return (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (error) {
      const fault = error as { $fault?: string; $metadata?: { httpStatusCode?: number }; message?: string };
      if (error instanceof Error && fault.$fault === "server" && !(error instanceof AwsResponseError)) {
        const status = fault.$metadata?.httpStatusCode;
        error.message = `${service} ${operationOf(context)} failed${status ? ` with HTTP ${status}` : ""} after the SDK's retries: ${error.message} (a fault on AWS's side; run again, and remove what was created with down)`;
      }
      throw error;
    }
  };
}

/**
 * Turns an answer that is not AWS's into an {@link AwsResponseError} naming the operation, the status and
 * the body's first bytes. Without it an HTML 502 from a proxy reads `Unexpected token '<', "<!doctype "...
 * is not valid JSON` (JSON protocols: ECS, Logs, Secrets Manager), `Unknown` (query/XML protocols: EC2,
 * IAM, STS), and an HTML 200 (a captive portal) is even parsed by the XML protocols as an empty success.
 * Only answers that could be wrong are buffered: a 2xx that is not HTML passes through untouched.
 */
function nonAwsAnswerMiddleware(service: string) {
  return (next: (args: unknown) => Promise<{ response: unknown }>, context: { commandName?: string }) =>
    async (args: { request?: { hostname?: string; port?: number; protocol?: string } }) => {
      const result = await next(args);
      const response = result.response as RawResponse;
      if (typeof response?.statusCode !== "number") return result;
      const contentType = headerOf(response.headers, "content-type");
      if (response.statusCode < 300 && !/html/i.test(contentType)) return result;
      const bytes = await readBody(response.body);
      // Hand the buffered bytes on: the SDK's body collector takes a Uint8Array as it is.
      response.body = bytes;
      const text = new TextDecoder().decode(bytes.subarray(0, 4096));
      if (!isNonAwsAnswer(text, contentType, response.statusCode)) return result;
      const request = args.request;
      const endpoint = request?.hostname
        ? `${request.protocol ?? "https:"}//${request.hostname}${request.port ? `:${request.port}` : ""}`
        : "";
      throw new AwsResponseError({
        service,
        operation: operationOf(context),
        statusCode: response.statusCode,
        contentType,
        body: text,
        endpoint,
      });
    };
}

/**
 * Whether a body cannot be an AWS API answer: an HTML page (whatever the status), or for an error status
 * an empty body (AWS errors always carry a code) or one that is neither JSON nor XML (AWS's protocols
 * answer in one of the two). An empty 2xx is a valid answer of operations without output
 * (CreateLogGroup), whatever its content type says.
 */
export function isNonAwsAnswer(body: string, contentType: string, statusCode: number): boolean {
  const text = body.trim();
  if (/^<!doctype html|^<html/i.test(text)) return true;
  if (statusCode < 300) return false;
  if (text === "") return true;
  if (/json/i.test(contentType)) {
    try {
      JSON.parse(text);
      return false;
    } catch {
      // A cut JSON answer is still JSON-shaped: only bodies that do not even start as JSON are foreign.
      return !text.startsWith("{");
    }
  }
  return !text.startsWith("{") && !text.startsWith("<");
}

function headerOf(headers: Record<string, string | undefined> | undefined, name: string): string {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value ?? "";
  return "";
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  return new Uint8Array();
}

/** The error name of an AWS SDK error (`ThrottlingException`, `AccessDeniedException`, ...). */
export function awsErrorName(error: unknown): string {
  return (error as { name?: string })?.name ?? "";
}
