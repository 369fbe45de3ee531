import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { IAMClient } from "@aws-sdk/client-iam";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The AWS clients the Fargate backend uses; passed in everywhere so tests can observe or inject. */
export interface AwsClients {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly logs: CloudWatchLogsClient;
  readonly secrets: SecretsManagerClient;
}

/** Options of {@link createAwsClients}. */
export interface AwsClientOptions {
  readonly region: string;
  /** Standard retry mode with this many attempts (throttling and 5xx are retried with backoff). */
  readonly maxAttempts?: number;
  /** Called for every request sent: service and operation, e.g. ("ECS", "RunTask"). Used to check the IAM policy. */
  readonly onRequest?: (service: string, operation: string) => void;
}

/** The project's user agent suffix, so requests are recognisable in CloudTrail. */
export const USER_AGENT = "dask-fargate-action/0.1.0";

/**
 * One factory for every client: the region, the default credential chain (environment, shared files,
 * SSO, web identity/OIDC, container and instance roles), AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
 * (read by the SDK itself), standard retries and the user agent.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = { region: options.region, retryMode: "standard", maxAttempts: options.maxAttempts ?? 6, customUserAgent: USER_AGENT };
  const clients = {
    ecs: new ECSClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    secrets: new SecretsManagerClient(config),
  };
  if (options.onRequest) {
    const record = options.onRequest;
    const services: Record<keyof AwsClients, string> = { ecs: "ECS", ec2: "EC2", iam: "IAM", logs: "CloudWatchLogs", secrets: "SecretsManager" };
    for (const [key, client] of Object.entries(clients) as [keyof AwsClients, { middlewareStack: { add: (m: unknown, o: unknown) => void } }][]) {
      client.middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
          record(services[key], (context.commandName ?? "").replace(/Command$/, ""));
          return next(args);
        },
        { step: "initialize", name: "daskFargateRequestRecorder" },
      );
    }
  }
  return clients;
}

/** The error name of an AWS SDK error (`ThrottlingException`, `AccessDeniedException`, ...). */
export function awsErrorName(error: unknown): string {
  return (error as { name?: string })?.name ?? "";
}
