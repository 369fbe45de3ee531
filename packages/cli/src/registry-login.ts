import { text } from "node:stream/consumers";
import { ClusterConfigError } from "@dask-fargate-action/core/validate";
import type { Flags } from "./flags.js";

/**
 * The registry login of build, up and run, as `docker login` takes it: the user from --registry-username (or
 * DFA_REGISTRY_USERNAME), the password from stdin with --registry-password-stdin (or DFA_REGISTRY_PASSWORD),
 * never from the command line, where every process of the machine can read it. ECR needs neither: its token
 * comes from the AWS credentials.
 */
export async function registryLoginOf(
  flags: Flags,
  env: NodeJS.ProcessEnv = process.env,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<{ username?: string; password?: string }> {
  const username = flags["registry-username"] ?? env["DFA_REGISTRY_USERNAME"];
  const password = flags["registry-password-stdin"]
    ? (await text(stdin)).replace(/\r?\n$/, "")
    : env["DFA_REGISTRY_PASSWORD"];
  if (flags["registry-password-stdin"] && !password)
    throw new ClusterConfigError(
      "registry-password-stdin",
      "stdin held no password: pipe it in, e.g. `aws ecr get-login-password | dask-fargate …`",
    );
  if (password && !username)
    throw new ClusterConfigError(
      "registry-username",
      "a registry password was given without a user: add --registry-username (or DFA_REGISTRY_USERNAME)",
    );
  if (username && !password)
    throw new ClusterConfigError(
      "registry-password-stdin",
      `no password for registry user "${username}": pipe it in with --registry-password-stdin (or set DFA_REGISTRY_PASSWORD)`,
    );
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
