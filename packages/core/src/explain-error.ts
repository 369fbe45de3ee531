/**
 * Turns the errors a newcomer meets first (the Docker Engine or the AWS endpoint not answering, AWS credentials
 * missing or expired) into a message that says what failed, where, and how to fix it. Node's own text for these
 * (`connect ECONNREFUSED 127.0.0.1:4566`, `connect ENOENT /var/run/docker.sock`) names neither the service nor
 * the setting that pointed there. Light on purpose: no SDK import, so the CLI can use it in its error handler.
 */

/** The variables that say where the services are (process.env by default; tests pass their own). */
export type ExplainEnv = Readonly<Record<string, string | undefined>>;

/** Network error codes Node gives when a connection cannot be made (errno names, libuv). */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "EACCES",
]);

/** What a connection error carries (Node's SystemError fields). */
interface SystemErrorFields {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly hostname?: unknown;
  readonly message?: unknown;
  readonly name?: unknown;
  readonly cause?: unknown;
}

/**
 * A message naming what could not be reached or what is missing, where, and the fix; undefined for every other
 * error (the caller prints it as it is). Looks through `cause` chains and AggregateError's `errors` (Node's
 * happy-eyeballs connect gives one of those).
 */
export function explainError(error: unknown, env: ExplainEnv = process.env): string | undefined {
  for (const e of chainOf(error)) {
    const credentials = explainCredentials(e, env);
    if (credentials) return credentials;
    const unreachable = explainUnreachable(e, env);
    if (unreachable) return unreachable;
  }
  return undefined;
}

function chainOf(error: unknown): SystemErrorFields[] {
  const out: SystemErrorFields[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null) continue;
    const fields = e as SystemErrorFields & { errors?: unknown };
    out.push(fields);
    if (fields.cause !== undefined) queue.push(fields.cause);
    if (Array.isArray(fields.errors)) queue.push(...fields.errors);
  }
  return out;
}

function explainUnreachable(e: SystemErrorFields, env: ExplainEnv): string | undefined {
  const code = typeof e.code === "string" ? e.code : undefined;
  if (!code || !UNREACHABLE_CODES.has(code)) return undefined;
  if (e.syscall !== "connect" && e.syscall !== "getaddrinfo" && e.syscall !== "read" && code !== "ETIMEDOUT")
    return undefined;
  const address = typeof e.address === "string" ? e.address : typeof e.hostname === "string" ? e.hostname : undefined;
  const port = typeof e.port === "number" ? e.port : undefined;
  const reason = REASONS[code] ?? code;
  // A unix socket path: only the Docker Engine is reached that way here.
  if (address?.startsWith("/")) return dockerMessage(`its socket ${address}`, reason, env);
  const where = address ? `${address}${port !== undefined ? `:${port}` : ""}` : "an address";
  const dockerHost = env["DOCKER_HOST"];
  if (dockerHost && matchesUrl(dockerHost, address, port))
    return dockerMessage(`DOCKER_HOST=${dockerHost}`, reason, env);
  const endpoint = env["AWS_ENDPOINT_URL"];
  if (endpoint && matchesUrl(endpoint, address, port))
    return `the AWS endpoint ${endpoint} (AWS_ENDPOINT_URL) is not reachable at ${where}: ${reason}. Fix: start the service that answers there (for the emulator: npm run emulator -- --port ${port ?? 4566}), or unset AWS_ENDPOINT_URL to use AWS itself`;
  if (address && /amazonaws\.com$/.test(address))
    return `AWS is not reachable at ${where}: ${reason}. Fix: check this machine's network, proxy (HTTPS_PROXY) and the region's name`;
  return `could not connect to ${where}: ${reason}. Fix: check that the service there runs and that this machine can reach it`;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens there)",
  ENOENT: "no such socket",
  EACCES: "permission denied",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (DNS did not answer)",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ECONNRESET: "the connection was reset",
};

function dockerMessage(where: string, reason: string, env: ExplainEnv): string {
  const fix =
    reason === "permission denied"
      ? "run as a user in the docker group (or root)"
      : env["DOCKER_HOST"]
        ? "start the engine there, or point DOCKER_HOST at a running one (unset it for /var/run/docker.sock)"
        : "start the engine (sudo systemctl start docker, or dockerd), or set DOCKER_HOST to its socket";
  return `the Docker Engine is not reachable at ${where}: ${reason}. Fix: ${fix}`;
}

function matchesUrl(url: string, address: string | undefined, port: number | undefined): boolean {
  if (!address) return false;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "unix:") return parsed.pathname === address;
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    const defaultPort = parsed.protocol === "https:" ? 443 : parsed.protocol === "http:" ? 80 : 2375;
    const urlPort = parsed.port ? Number(parsed.port) : defaultPort;
    const sameHost = host === address || (host === "localhost" && (address === "127.0.0.1" || address === "::1"));
    return sameHost && (port === undefined || port === urlPort);
  } catch {
    return false;
  }
}

/** The AWS SDK's names and codes for credentials that are missing, expired or not valid. */
const MISSING = new Set(["CredentialsProviderError"]);
const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"]);
const INVALID = new Set([
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
]);

function explainCredentials(e: SystemErrorFields, env: ExplainEnv): string | undefined {
  const name = typeof e.name === "string" ? e.name : "";
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  const profile = env["AWS_PROFILE"] ? ` (AWS_PROFILE=${env["AWS_PROFILE"]})` : "";
  const fix =
    "set AWS_PROFILE to a configured profile (aws configure, or aws sso login for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones); in a workflow, aws-actions/configure-aws-credentials before this step";
  if (MISSING.has(name) || /Could not load credentials from any providers/.test(message))
    return `no AWS credentials were found${profile}: the SDK's default chain (environment, shared config and credentials files, SSO, the instance or task role) gave none. Fix: ${fix}`;
  if (
    EXPIRED.has(name) ||
    EXPIRED.has(code) ||
    /security token included in the request is expired|token has expired/i.test(message)
  )
    return `the AWS credentials${profile} have expired (${message || name}). Fix: get new ones (aws sso login, or assume the role again) and run the command again`;
  if (INVALID.has(name) || INVALID.has(code))
    return `AWS refused the credentials${profile} (${name || code}: ${message}). Fix: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the profile) and the region; ${fix}`;
  return undefined;
}
