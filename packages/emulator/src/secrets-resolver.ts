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
 * Resolves a container's `secrets` into environment variables, the way the Fargate agent does before the
 * container starts. A failure is reported like Fargate's: `ResourceInitializationError: unable to pull secrets ...`.
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
    try {
      if (source.kind === "secretsmanager") {
        const answer = await clients(region).secrets.send(
          new GetSecretValueCommand({
            SecretId: source.secretId,
            ...(source.versionStage ? { VersionStage: source.versionStage } : {}),
            ...(source.versionId ? { VersionId: source.versionId } : {}),
          }),
        );
        const text = answer.SecretString ?? Buffer.from(answer.SecretBinary ?? new Uint8Array()).toString("utf8");
        if (source.jsonKey) {
          const value = (JSON.parse(text) as Record<string, unknown>)[source.jsonKey];
          // The Fargate agent's wording, as a stopped task's reason shows it.
          if (value === undefined)
            throw new TaskStartError(
              `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key ${source.jsonKey}`,
            );
          env[secret.name] = typeof value === "string" ? value : JSON.stringify(value);
        } else {
          env[secret.name] = text;
        }
      } else {
        const answer = await clients(region).ssm.send(new GetParameterCommand({ Name: source.name, WithDecryption: true }));
        env[secret.name] = answer.Parameter?.Value ?? "";
      }
    } catch (error) {
      if (error instanceof TaskStartError) throw error;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // A task that cannot start: its stopped reason is the agent's error itself (stop code TaskFailedToStart).
      throw new TaskStartError(
        `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm or ssm: ${secret.valueFrom}: ${message}`,
      );
    }
  }
  return env;
}
