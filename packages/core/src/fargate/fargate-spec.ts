import type { ClusterSpec } from "../cluster-spec.js";
import { ClusterConfigError } from "../errors.js";
import { parseOutputUri } from "../job-outputs.js";
import { fargateTaskSize } from "./fargate-sizes.js";
import { checkPlatformVersion, platformAtLeast } from "./platform-version.js";

/** Fargate settings on top of the shared cluster spec. Names follow the action inputs. */
export interface FargateSpecInput {
  readonly region: string;
  /** `X86_64` (default) or `ARM64` (Graviton; the image must be built for linux/arm64). */
  readonly architecture?: "X86_64" | "ARM64";
  /** Fargate platform version (default LATEST; 8 and 16 vCPU need 1.4.0 or later). */
  readonly platformVersion?: string;
  /** Ephemeral storage per task in GiB, 21-200 (default: Fargate's 20 GiB). The image counts against it. */
  readonly ephemeralStorage?: number;
  /** Subnets for the tasks; default the default VPC's subnets. */
  readonly subnets?: readonly string[];
  /** Security groups to use instead of creating one (they must admit each other on all TCP ports). */
  readonly securityGroups?: readonly string[];
  /** Give tasks public IPs (needed to pull images in public subnets without NAT); default true in the default VPC, else false. */
  readonly assignPublicIp?: boolean;
  /** An existing ECS cluster (name or ARN) to run in; it is never deleted. Default: one created per cluster. */
  readonly ecsCluster?: string;
  /** Roles to use; default the managed roles this tool creates once and reuses. */
  readonly executionRoleArn?: string;
  readonly taskRoleArn?: string;
  /**
   * Managed policies the managed task role must already have (what the Dask code may do, e.g. read S3): checked
   * at up, never attached by a run (the role is shared by every cluster); an administrator attaches them once
   * with `setup-roles --task-role-policy-arns`.
   */
  readonly taskRolePolicyArns?: readonly string[];
  /** Environment variables filled from Secrets Manager or SSM Parameter Store ARNs. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Workers on Fargate Spot, falling back to on-demand when Spot has no capacity. */
  readonly spotWorkers?: boolean;
  /** CIDR of a client outside the VPC that must reach the scheduler (8786) and dashboard (8787), e.g. the runner's address/32. */
  readonly clientCidr?: string;
  /** Admit 0.0.0.0/0 on the scheduler port (not recommended; a warning is printed); also allows client CIDRs wider than /16. */
  readonly allowPublicIngress?: boolean;
  /** Open the dashboard port (8787, plain HTTP) to the client CIDR as well; default only the scheduler port. */
  readonly openDashboard?: boolean;
  /** CloudWatch Logs retention in days (default 7). */
  readonly logRetentionDays?: number;
  /** Keep the log group after teardown. */
  readonly keepLogs?: boolean;
  /**
   * Where a job in the cluster leaves its outputs (`output-uri`, `s3://bucket/prefix`): they are uploaded to
   * `<prefix>/<cluster-id>/` when the job ends, then downloaded to the job's `outputDir`. The managed task role
   * may write there for the cluster's life; your own task role needs s3:PutObject on that prefix.
   */
  readonly outputUri?: string;
}

/** Validated Fargate settings with task sizes in ECS units. */
export interface FargateSpec
  extends Required<
    Pick<
      FargateSpecInput,
      "region" | "architecture" | "platformVersion" | "spotWorkers" | "logRetentionDays" | "keepLogs"
    >
  > {
  readonly ephemeralStorage: number | undefined;
  readonly subnets: readonly string[] | undefined;
  readonly securityGroups: readonly string[] | undefined;
  readonly assignPublicIp: boolean | undefined;
  readonly ecsCluster: string | undefined;
  readonly executionRoleArn: string | undefined;
  readonly taskRoleArn: string | undefined;
  readonly taskRolePolicyArns: readonly string[];
  readonly secrets: Readonly<Record<string, string>>;
  readonly clientCidr: string | undefined;
  readonly allowPublicIngress: boolean;
  readonly openDashboard: boolean;
  /** `s3://bucket/prefix` without a trailing `/`, checked by {@link parseOutputUri}; undefined without outputs through S3. */
  readonly outputUri: string | undefined;
  readonly schedulerSize: { readonly cpu: number; readonly memory: number };
  readonly workerSize: { readonly cpu: number; readonly memory: number };
}

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|ssm:[a-z0-9-]+:\d{12}:parameter\/.+)$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The widest client CIDR accepted without allow-public-ingress: a /16 is already 65,536 addresses. */
export const MIN_CLIENT_PREFIX = 16;

const SECRET_EXAMPLE = "DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf";

/**
 * True when a secret ARN names one of this tool's own secrets: a Secrets Manager secret or SSM parameter under
 * `dask-fargate-action/` (every cluster's TLS key lives at `dask-fargate-action/<cluster-id>/tls`). The shared
 * execution role may read all of them, so a job that named one as a secret would read another cluster's key.
 * Case-insensitive, so a near-spelling is refused too.
 */
export function isToolSecretArn(arn: string): boolean {
  return /^arn:[^:]*:(secretsmanager:[^:]*:[^:]*:secret:|ssm:[^:]*:[^:]*:parameter\/)dask-fargate-action\//i.test(arn);
}

function toolSecretError(field: string, name: string, where: string): ClusterConfigError {
  return new ClusterConfigError(
    field,
    `${name}${where} names a secret under dask-fargate-action/, where this tool keeps every cluster's TLS key (any cluster's, not only this one's); a job may not read them. Store your secret under another name and pass that ARN`,
  );
}

/**
 * Parses `NAME=ARN` assignments (the action's `secrets` lines, the CLI's `--secret` flags) into the `secrets`
 * setting: ECS reads each Secrets Manager secret or SSM parameter when a task starts and sets it as the
 * variable NAME, so only the ARN is in the task definition. Blank lines and `#` comments are skipped. A value
 * that is not an ARN is never repeated in the error: it may be the secret itself.
 */
export function parseSecretAssignments(assignments: readonly string[], field = "secrets"): Record<string, string> {
  const secrets: Record<string, string> = {};
  assignments.forEach((raw, index) => {
    const text = raw.trim();
    if (text === "" || text.startsWith("#")) return;
    const where = assignments.length > 1 ? ` (entry ${index + 1})` : "";
    const equals = text.indexOf("=");
    if (equals < 0)
      throw new ClusterConfigError(
        field,
        `entry ${index + 1} is not NAME=ARN (it is not shown: it may be a secret); write e.g. ${SECRET_EXAMPLE}`,
      );
    const name = text.slice(0, equals).trim();
    const arn = text.slice(equals + 1).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ClusterConfigError(
        field,
        `"${name}"${where} is not an environment variable name (letters, digits and _, not starting with a digit); write e.g. ${SECRET_EXAMPLE}`,
      );
    if (name.startsWith("DFA_"))
      throw new ClusterConfigError(
        field,
        `${name}${where}: names starting with DFA_ are this tool's own; choose another name`,
      );
    if (name in secrets) throw new ClusterConfigError(field, `${name}${where} is given twice`);
    if (!SECRET_ARN.test(arn) || /\s/.test(arn))
      throw new ClusterConfigError(
        field,
        `the value of ${name}${where} is not a Secrets Manager secret or SSM parameter ARN (the value is not shown: it may be the secret itself); write arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME or arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, never the secret`,
      );
    if (isToolSecretArn(arn)) throw toolSecretError(field, name, where);
    secrets[name] = arn;
  });
  return secrets;
}

/** Validates the Fargate settings against the shared spec (task sizes, ARNs, CIDR) before any AWS call. */
export function resolveFargateSpec(input: FargateSpecInput, spec: ClusterSpec): FargateSpec {
  if (!REGION.test(input.region ?? ""))
    throw new ClusterConfigError("region", `"${input.region ?? ""}" is not an AWS region; write e.g. us-east-1`);
  const architecture = input.architecture ?? "X86_64";
  if (architecture !== "X86_64" && architecture !== "ARM64")
    throw new ClusterConfigError("architecture", `"${architecture}" is not X86_64 or ARM64`);
  const schedulerSize = fargateTaskSize(spec.schedulerCpu, spec.schedulerMemory, "scheduler");
  const workerSize = fargateTaskSize(spec.workerCpu, spec.workerMemory, "worker");
  const storage = input.ephemeralStorage;
  if (storage !== undefined && (!Number.isInteger(storage) || storage < 21 || storage > 200)) {
    throw new ClusterConfigError(
      "ephemeral-storage",
      `${storage} GiB is outside Fargate's 21-200 GiB (leave it unset for the default 20 GiB)`,
    );
  }
  for (const arn of [input.executionRoleArn, input.taskRoleArn]) {
    if (arn !== undefined && !ROLE_ARN.test(arn))
      throw new ClusterConfigError(
        arn === input.executionRoleArn ? "execution-role-arn" : "task-role-arn",
        `"${arn}" is not an IAM role ARN; write e.g. arn:aws:iam::123456789012:role/NAME`,
      );
  }
  for (const arn of input.taskRolePolicyArns ?? []) {
    if (!POLICY_ARN.test(arn))
      throw new ClusterConfigError("task-role-policy-arns", `"${arn}" is not an IAM policy ARN`);
  }
  if (input.taskRoleArn && (input.taskRolePolicyArns?.length ?? 0) > 0) {
    throw new ClusterConfigError(
      "task-role-policy-arns",
      "policies attach to the managed task role only; attach them to your own task role instead",
    );
  }
  for (const [name, arn] of Object.entries(input.secrets ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ClusterConfigError("secrets", `"${name}" is not a valid environment variable name`);
    if (!SECRET_ARN.test(arn))
      throw new ClusterConfigError(
        "secrets",
        `the value of ${name} is not a Secrets Manager secret or SSM parameter ARN`,
      );
    if (isToolSecretArn(arn)) throw toolSecretError("secrets", name, "");
  }
  if (Object.keys(input.secrets ?? {}).length > 0 && !input.executionRoleArn) {
    // ECS fetches `secrets` with the task execution role; the managed one may read only this tool's TLS secrets.
    throw new ClusterConfigError(
      "execution-role-arn",
      "secrets are read at task start by the task execution role, and the managed role reads only this tool's TLS secrets: set execution-role-arn to a role with AmazonECSTaskExecutionRolePolicy plus secretsmanager:GetSecretValue (or ssm:GetParameters) on these ARNs (and kms:Decrypt for a customer-managed key)",
    );
  }
  const cidr = input.clientCidr;
  if (cidr !== undefined) {
    const m = CIDR.exec(cidr);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32)
      throw new ClusterConfigError("client-cidr", `"${cidr}" is not an IPv4 CIDR such as 203.0.113.7/32`);
    if (Number(m[5]) === 0)
      throw new ClusterConfigError(
        "client-cidr",
        "0.0.0.0/0 opens the scheduler to the internet; set allow-public-ingress instead if you really mean it",
      );
    if (Number(m[5]) < MIN_CLIENT_PREFIX && !input.allowPublicIngress)
      throw new ClusterConfigError(
        "client-cidr",
        `${cidr} admits ${2 ** (32 - Number(m[5]))} addresses; a client CIDR may be at most a /${MIN_CLIENT_PREFIX} (use the runner's or your address/32), or set allow-public-ingress if you really mean it`,
      );
  }
  // A Dask scheduler without TLS runs any client's code with the task role's credentials: it may be
  // reachable only from inside its own security group.
  if (!spec.tls && (cidr !== undefined || input.allowPublicIngress))
    throw new ClusterConfigError(
      "tls",
      `TLS is off while ${cidr !== undefined ? `client-cidr ${cidr}` : "allow-public-ingress"} opens the scheduler to clients outside the cluster; turn TLS on (the default), or drop the ingress and run the job in the cluster (job-runs-on: cluster)`,
    );
  if (input.openDashboard && cidr === undefined && !input.allowPublicIngress)
    throw new ClusterConfigError(
      "open-dashboard",
      "open-dashboard opens the dashboard to client-cidr: set client-cidr to your address/32 as well",
    );
  const retention = input.logRetentionDays ?? 7;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention))
    throw new ClusterConfigError(
      "log-retention-days",
      `${retention} is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  // CreateCluster: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens" (ECS API reference);
  // the ECS APIs also take the cluster's ARN. Anything else would first fail at a RunTask, after roles and groups exist.
  if (
    input.ecsCluster !== undefined &&
    !/^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[A-Za-z0-9_-]{1,255}$/.test(input.ecsCluster)
  )
    throw new ClusterConfigError(
      "ecs-cluster",
      `"${input.ecsCluster}" is not an ECS cluster name or ARN; write a name of up to 255 letters, digits, '_' and '-' (e.g. default) or arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`,
    );
  for (const id of input.subnets ?? [])
    if (!/^subnet-[0-9a-f]+$/.test(id))
      throw new ClusterConfigError(
        "subnets",
        `"${id}" is not a subnet id; write ids such as subnet-0123456789abcdef0, separated by commas`,
      );
  for (const id of input.securityGroups ?? [])
    if (!/^sg-[0-9a-f]+$/.test(id))
      throw new ClusterConfigError(
        "security-groups",
        `"${id}" is not a security group id; write ids such as sg-0123456789abcdef0, separated by commas`,
      );
  const platformVersion = checkPlatformVersion(input.platformVersion ?? "LATEST");
  if ((spec.schedulerCpu > 4 || spec.workerCpu > 4) && !platformAtLeast(platformVersion, "1.4.0"))
    throw new ClusterConfigError("platform-version", "8 and 16 vCPU tasks need platform version 1.4.0 or later");
  const output = input.outputUri !== undefined ? parseOutputUri(input.outputUri) : undefined;
  return {
    region: input.region,
    architecture,
    platformVersion,
    ephemeralStorage: storage,
    subnets: input.subnets,
    securityGroups: input.securityGroups,
    assignPublicIp: input.assignPublicIp,
    ecsCluster: input.ecsCluster,
    executionRoleArn: input.executionRoleArn,
    taskRoleArn: input.taskRoleArn,
    taskRolePolicyArns: input.taskRolePolicyArns ?? [],
    secrets: input.secrets ?? {},
    spotWorkers: input.spotWorkers ?? false,
    clientCidr: cidr,
    allowPublicIngress: input.allowPublicIngress ?? false,
    openDashboard: input.openDashboard ?? false,
    logRetentionDays: retention,
    keepLogs: input.keepLogs ?? false,
    outputUri: output ? `s3://${output.bucket}${output.prefix ? `/${output.prefix}` : ""}` : undefined,
    schedulerSize,
    workerSize,
  };
}
