import type { Secret } from "@aws-sdk/client-ecs";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { TaskStartError } from "./errors.js";
import type { MotoClients } from "./moto-clients.js";

/** Where a container secret's value comes from (developer guide, "Pass sensitive data to an Amazon ECS container"). */
export type SecretSource =
  | {
      readonly kind: "secretsmanager";
      readonly region: string | undefined;
      readonly secretId: string;
      readonly jsonKey?: string;
      readonly versionStage?: string;
      readonly versionId?: string;
    }
  | { readonly kind: "ssm"; readonly region: string | undefined; readonly name: string };

/**
 * Parses a `valueFrom`: a Secrets Manager ARN, optionally followed by `:json-key:version-stage:version-id`
 * (each part may be empty: `ARN:key::`), an SSM parameter ARN, or an SSM parameter name.
 */
export function parseValueFrom(valueFrom: string): SecretSource {
  if (valueFrom.startsWith("arn:")) {
    const parts = valueFrom.split(":");
    const service = parts[2];
    const region = parts[3] || undefined;
    if (service === "secretsmanager") {
      // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:version-stage:version-id]
      const secretId = parts.slice(0, 7).join(":");
      const [jsonKey, versionStage, versionId] = parts.slice(7);
      return {
        kind: "secretsmanager",
        region,
        secretId,
        ...(jsonKey ? { jsonKey } : {}),
        ...(versionStage ? { versionStage } : {}),
        ...(versionId ? { versionId } : {}),
      };
    }
    if (service === "ssm") {
      // arn:aws:ssm:REGION:ACCOUNT:parameter/NAME (a name with slashes keeps its leading slash)
      const resource = parts.slice(5).join(":");
      const name = resource.replace(/^parameter/, "");
      // "parameter/NAME" names NAME; "parameter/a/b" names the hierarchical "/a/b".
      return { kind: "ssm", region, name: name.replace(/^\/(?=[^/]*$)/, "") };
    }
  }
  return { kind: "ssm", region: undefined, name: valueFrom };
}

/**
 * Fargate's wrapper around the agent's error when a secrets task resource fails to be created (the stopped reason
 * AWS's knowledge center "ecs-unable-to-pull-secrets" quotes); the task stops with TaskFailedToStart.
 */
const PREFIX =
  "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:";

/**
 * Resolves a container's `secrets` into environment variables, the way the agent's `asmsecret` and `ssmsecret` task
 * resources do before any container is created. Each failure reads in the agent's own words: a missing JSON key
 * (agent/asm/asm.go `GetSecretFromASMWithInput`), a missing secret (asm.go `augmentErrMsg` →
 * `resourceInitializationErrMsg`), any other error of the call, an access denial included (`augmentErrMsg`:
 * "secret ID: error"), a missing SSM parameter (agent/ssm/ssm.go `extractSSMValues`: "invalid parameters: NAME").
 */
export async function resolveSecrets(
  secrets: readonly Secret[],
  taskRegion: string,
  clients: (region: string) => MotoClients,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const secret of secrets) {
    if (!secret.name || !secret.valueFrom) continue;
    const source = parseValueFrom(secret.valueFrom);
    const region = source.region ?? taskRegion;
    if (source.kind === "secretsmanager") {
      const fail = (message: string) =>
        new TaskStartError(
          `${PREFIX} unable to retrieve secret from asm: service call has been retried 1 time(s): ${message}`,
        );
      const answer = await clients(region)
        .secrets.send(
          new GetSecretValueCommand({
            SecretId: source.secretId,
            ...(source.versionStage ? { VersionStage: source.versionStage } : {}),
            ...(source.versionId ? { VersionId: source.versionId } : {}),
          }),
        )
        .catch((error: unknown) => {
          const name = error instanceof Error ? error.name : "Error";
          const message = error instanceof Error ? error.message : String(error);
          throw fail(
            name === "ResourceNotFoundException"
              ? `ResourceNotFoundException: The task can't retrieve the secret with ARN '${source.secretId}' from AWS Secrets Manager. Check whether the secret exists in the specified Region`
              : `secret ${source.secretId}: ${name}: ${message}`,
          );
        });
      const text = answer.SecretString ?? Buffer.from(answer.SecretBinary ?? new Uint8Array()).toString("utf8");
      if (source.jsonKey) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch (error) {
          throw fail(String((error as Error).message));
        }
        const value = parsed[source.jsonKey];
        if (value === undefined)
          throw fail(`retrieved secret from Secrets Manager did not contain json key ${source.jsonKey}`);
        env[secret.name] = typeof value === "string" ? value : JSON.stringify(value);
      } else {
        env[secret.name] = text;
      }
    } else {
      const answer = await clients(region)
        .ssm.send(new GetParameterCommand({ Name: source.name, WithDecryption: true }))
        .catch((error: unknown) => {
          const name = error instanceof Error ? error.name : "Error";
          const detail =
            name === "ParameterNotFound"
              ? `invalid parameters: ${source.name}`
              : `${name}: ${error instanceof Error ? error.message : String(error)}`;
          throw new TaskStartError(
            `${PREFIX} unable to retrieve secrets from ssm: service call has been retried 1 time(s): ${detail}`,
          );
        });
      env[secret.name] = answer.Parameter?.Value ?? "";
    }
  }
  return env;
}
