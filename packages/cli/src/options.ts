import { resolve } from "node:path";
import type { BackendSettings, JobRunsOn, Readiness } from "@dask-fargate-action/core/backend";
import {
  ClusterConfigError,
  type ClusterSpecInput,
  checkRepository,
  type FargateSpecInput,
  parseSecretAssignments,
  resolveJobUser,
  validateJobEnv,
} from "@dask-fargate-action/core/validate";
import type { Flags } from "./flags.js";

/** The backend flag: `docker` (local Docker Engine) or `fargate` (AWS ECS Fargate). */
export function backendOf(flags: Flags): "docker" | "fargate" {
  const backend = flags.backend ?? "docker";
  if (backend !== "docker" && backend !== "fargate") throw new ClusterConfigError("backend", `"${backend}" is not docker or fargate`);
  return backend;
}

/** When a start counts as ready (`--readiness`); undefined: the backend's default (core's DEFAULT_READINESS). */
export function readinessOf(flags: Flags): Readiness | undefined {
  const value = flags.readiness;
  if (value === undefined) return undefined;
  if (value !== "running" && value !== "registered") throw new ClusterConfigError("readiness", `"${value}" is not running or registered`);
  return value;
}

/** Where the job runs, from `--job-runs-on`. */
export function jobRunsOnOf(flags: Flags): JobRunsOn {
  const value = flags["job-runs-on"] ?? "cluster";
  if (value !== "cluster" && value !== "runner") throw new ClusterConfigError("job-runs-on", `"${value}" is not cluster or runner`);
  return value;
}

/** The cluster spec input from the flags (validated later by resolveClusterSpec). */
export function clusterInputOf(flags: Flags, image: string): ClusterSpecInput {
  const optional = <K extends keyof ClusterSpecInput>(key: K, value: ClusterSpecInput[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    image,
    ...optional("clusterId", flags["cluster-id"]),
    ...optional("workers", flags.workers),
    ...optional("workerCpu", flags["worker-cpu"]),
    ...optional("workerMemory", flags["worker-memory"]),
    ...optional("workerThreads", flags["worker-threads"]),
    ...optional("schedulerCpu", flags["scheduler-cpu"]),
    ...optional("schedulerMemory", flags["scheduler-memory"]),
    ...optional("idleTimeout", flags["idle-timeout"]),
    ...optional("maxLifetime", flags["max-lifetime"]),
    ...optional("maxWorkerReplacements", flags["max-worker-replacements"]),
    tls: !flags["no-tls"],
    allowUnboundedCost: flags["allow-unbounded-cost"],
    // The tag the action sets from GITHUB_REPOSITORY, which the per-repository IAM policy requires on every creation.
    ...optional("labels", flags.repository !== undefined ? { "github.repository": checkRepository(flags.repository) } : undefined),
  } as ClusterSpecInput;
}

/**
 * `--job-env NAME` (repeatable, or comma-separated): variables of this environment a job on this machine
 * inherits besides the allow-list (core's runner-job.ts). Only with `--job-runs-on runner`.
 */
export function jobEnvOf(flags: Flags): readonly string[] {
  const names = validateJobEnv(
    (flags["job-env"] ?? []).flatMap((v) => list(v) ?? []),
    "job-env",
  );
  if (names.length > 0 && jobRunsOnOf(flags) !== "runner")
    throw new ClusterConfigError(
      "job-env",
      "--job-env names variables a job on this machine inherits (--job-runs-on runner); a job in the cluster gets secrets with --secret",
    );
  return names;
}

/**
 * `--job-user USER`: the unprivileged user a job on this machine runs as (checked: it exists, is not root, and this
 * process is root). Only for `--job-runs-on runner`: a job in the cluster runs in its own container or task.
 */
export function jobUserOf(flags: Flags, runsOn: JobRunsOn): string | undefined {
  const value = flags["job-user"];
  if (value === undefined) return undefined;
  if (runsOn !== "runner")
    throw new ClusterConfigError(
      "job-user",
      "--job-user is the user a job on this machine runs as (--job-runs-on runner); a job in the cluster runs in its own container or task",
    );
  resolveJobUser(value, "job-user");
  return value;
}

/** The job's directory: `--job-workdir`, default the current directory. */
export function jobWorkdirOf(flags: Flags): string {
  return resolve(flags["job-workdir"] ?? ".");
}

const list = (value: string | undefined) =>
  value
    ?.split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");

/** Backend settings from the flags: for fargate the region (flag, AWS_REGION or AWS_DEFAULT_REGION) and the Fargate settings. */
export function backendSettingsOf(flags: Flags): BackendSettings {
  if (backendOf(flags) !== "fargate") {
    if (flags["output-uri"] !== undefined)
      throw new ClusterConfigError(
        "output-uri",
        "--output-uri is where a Fargate job's files go first (S3); with the docker backend they come back to --output-dir directly",
      );
    if ((flags.secret ?? []).length > 0)
      throw new ClusterConfigError(
        "secret",
        "the docker backend does not resolve Secrets Manager / SSM ARNs (ECS does, at task start); use --backend fargate, or --job-runs-on runner with --job-env",
      );
    return {};
  }
  const region = flags.region ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"];
  if (!region) throw new ClusterConfigError("region", "the fargate backend needs --region (or AWS_REGION)");
  const publicIp = flags["assign-public-ip"];
  if (publicIp !== undefined && publicIp !== "true" && publicIp !== "false")
    throw new ClusterConfigError("assign-public-ip", `"${publicIp}" is not true or false`);
  const number = (value: string | undefined, field: string) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n)) throw new ClusterConfigError(field, `"${value}" is not a whole number`);
    return n;
  };
  const input: Record<string, unknown> = {
    region,
    architecture: flags.architecture,
    platformVersion: flags["platform-version"],
    ephemeralStorage: number(flags["ephemeral-storage"], "ephemeral-storage"),
    subnets: list(flags.subnets),
    securityGroups: list(flags["security-groups"]),
    assignPublicIp: publicIp === undefined ? undefined : publicIp === "true",
    ecsCluster: flags["ecs-cluster"],
    executionRoleArn: flags["execution-role-arn"],
    taskRoleArn: flags["task-role-arn"],
    taskRolePolicyArns: list(flags["task-role-policy-arns"]),
    secrets: flags.secret ? parseSecretAssignments(flags.secret, "secret") : undefined,
    spotWorkers: flags["spot-workers"],
    clientCidr: flags["client-cidr"],
    allowPublicIngress: flags["allow-public-ingress"],
    openDashboard: flags["open-dashboard"],
    logRetentionDays: number(flags["log-retention-days"], "log-retention-days"),
    keepLogs: flags["keep-logs"],
    outputUri: flags["output-uri"],
  };
  return { fargate: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as unknown as FargateSpecInput };
}
