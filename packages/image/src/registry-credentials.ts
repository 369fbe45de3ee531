import type { ECRClient } from "@aws-sdk/client-ecr";
import { RegistryError } from "./errors.js";

/** How to log in to a registry: user and password/token (Docker Hub, GHCR, any registry), or ECR through AWS credentials. */
export type RegistryCredentials =
  | { readonly kind: "basic"; readonly username: string; readonly password: string }
  | { readonly kind: "ecr"; readonly region?: string; readonly client?: Pick<ECRClient, "send"> };

/** A resolved username and password; `password` is a secret and is never logged. */
export interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** True for an ECR registry host such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
export function isEcrRegistry(host: string): boolean {
  return ECR_HOST.test(host);
}

/**
 * Turns credentials into a username and password. For ECR, asks GetAuthorizationToken (the token is
 * `AWS:<password>` in base64 and lasts 12 hours) with the default AWS credential chain; the region
 * comes from the registry host unless given.
 */
export async function resolveRegistryLogin(
  registry: string,
  credentials: RegistryCredentials | undefined,
): Promise<RegistryLogin | undefined> {
  if (!credentials) return undefined;
  if (credentials.kind === "basic") return { username: credentials.username, password: credentials.password };
  const region = credentials.region ?? ECR_HOST.exec(registry)?.[3];
  if (!region)
    throw new RegistryError(
      registry,
      "ECR credentials were requested, but the registry host names no region; give the region explicitly",
    );
  // The ECR client is loaded only here, for an ECR login: a build or push to any other registry never loads the AWS SDK.
  const { ECRClient, GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
  const client = credentials.client ?? new ECRClient({ region });
  let token: string | undefined;
  try {
    const answer = await client.send(new GetAuthorizationTokenCommand({}));
    token = answer.authorizationData?.[0]?.authorizationToken;
  } catch (error) {
    throw new RegistryError(
      registry,
      `ECR GetAuthorizationToken failed (${(error as Error).name}: ${(error as Error).message}); check the AWS credentials and the ecr:GetAuthorizationToken permission`,
      undefined,
      { cause: error },
    );
  }
  if (!token) throw new RegistryError(registry, "ECR returned no authorization token");
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new RegistryError(registry, "the ECR authorization token has an unexpected format");
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
