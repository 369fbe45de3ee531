import type { BackendName, BackendSettings, JobRunsOn, Readiness } from "@dask-fargate-action/core/backend";
import type { ClusterSpecInput, FargateSpecInput } from "@dask-fargate-action/core/validate";
import {
  assertClusterId,
  ClusterConfigError,
  parseBuildArgs,
  parseDurationSeconds,
  parseSecretAssignments,
  resolveJobUser,
  validateJobEnv,
} from "@dask-fargate-action/core/validate";

/** Every input of action.yml; the only names this action reads (a test checks both ways). */
export const INPUT_NAMES = [
  "command",
  "backend",
  "environment-file",
  "dockerfile",
  "context",
  "target",
  "image",
  "base-image",
  "platform",
  "build-args",
  "push",
  "force",
  "registry-username",
  "registry-password",
  "cluster-id",
  "workers",
  "worker-cpu",
  "worker-memory",
  "scheduler-cpu",
  "scheduler-memory",
  "idle-timeout",
  "max-lifetime",
  "allow-unbounded-cost",
  "max-worker-replacements",
  "tls",
  "job-command",
  "job-runs-on",
  "job-workdir",
  "job-env",
  "job-user",
  "readiness",
  "job-timeout",
  "output-dir",
  "output-uri",
  "region",
  "architecture",
  "spot-workers",
  "subnets",
  "security-groups",
  "assign-public-ip",
  "client-cidr",
  "open-dashboard",
  "ecs-cluster",
  "execution-role-arn",
  "task-role-arn",
  "task-role-policy-arns",
  "secrets",
  "log-retention-days",
  "older-than",
  "reap-repository",
  "dry-run",
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/** The commands of the action. */
export type ActionCommand = "build" | "up" | "run" | "down" | "reap";

/** Everything the action was asked to do, validated. */
export interface ActionInputs {
  readonly command: ActionCommand;
  readonly backend: BackendName;
  readonly environmentFile: string | undefined;
  /** Your own Dockerfile, exclusive with environmentFile. */
  readonly dockerfile: string | undefined;
  /** The Dockerfile's build context (default its directory). */
  readonly context: string | undefined;
  /** The Dockerfile's stage to build (default its last). */
  readonly target: string | undefined;
  readonly image: string | undefined;
  readonly baseImage: string | undefined;
  /** `build-args`, one NAME=VALUE a line. */
  readonly buildArgs: Readonly<Record<string, string>> | undefined;
  readonly platform: string | undefined;
  readonly push: boolean;
  readonly force: boolean;
  readonly registryUsername: string | undefined;
  /** Secret: masked before anything else happens. */
  readonly registryPassword: string | undefined;
  readonly clusterId: string | undefined;
  readonly cluster: Omit<ClusterSpecInput, "image" | "clusterId">;
  readonly jobCommand: string | undefined;
  readonly jobRunsOn: JobRunsOn;
  readonly jobWorkdir: string;
  /** Names of variables of this step's environment a job on the runner inherits besides the allow-list. */
  readonly jobEnv: readonly string[];
  /** `job-user`: the unprivileged user a job on the runner runs as (checked: it exists, and this process is root). */
  readonly jobUser: string | undefined;
  /** When a start counts as ready; undefined: the backend's default (core's DEFAULT_READINESS). */
  readonly readiness: Readiness | undefined;
  /**
   * `job-timeout` as written (seconds, or a number with s, m or h): the job is stopped, the cluster removed, the
   * step fails with exit code 124. Checked with the pipeline's parseJobTimeout before the run starts (the pipeline
   * is loaded after the step's first line, see main.ts).
   */
  readonly jobTimeout: string | undefined;
  /** Where the files the job writes to DFA_OUTPUT_DIR end up on the runner (default under RUNNER_TEMP). */
  readonly outputDir: string | undefined;
  readonly backendSettings: BackendSettings;
  readonly olderThanSeconds: number | undefined;
  readonly dryRun: boolean;
  /** For reap: only clusters tagged with this github.repository (default the running repository; `*` input: all). */
  readonly reapRepository: string | undefined;
}

/**
 * Reads and validates every input in one place, before any side effect. An error names the input, the
 * value and what is accepted. `get` is `core.getInput` (or a fake in tests).
 */
export function readInputs(get: (name: InputName) => string): ActionInputs {
  const input = (name: InputName): string | undefined => {
    const value = get(name).trim();
    return value === "" ? undefined : value;
  };
  const oneOf = <T extends string>(name: InputName, accepted: readonly T[], fallback: T): T => {
    const value = input(name) ?? fallback;
    if (!(accepted as readonly string[]).includes(value)) throw new ClusterConfigError(name, `"${value}" is not accepted; use one of: ${accepted.join(", ")}`);
    return value as T;
  };
  const bool = (name: InputName, fallback: boolean): boolean => {
    const value = input(name);
    if (value === undefined) return fallback;
    // The YAML 1.2 core schema's booleans, as @actions/core's getBooleanInput accepts them.
    if (["true", "True", "TRUE"].includes(value)) return true;
    if (["false", "False", "FALSE"].includes(value)) return false;
    throw new ClusterConfigError(name, `"${value}" is not a boolean; use true or false`);
  };
  const list = (name: InputName) =>
    input(name)
      ?.split(/[,\s]+/)
      .map((v) => v.trim())
      .filter((v) => v !== "");
  const integer = (name: InputName) => {
    const value = input(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new ClusterConfigError(name, `"${value}" is not a whole number`);
    return Number(value);
  };

  const command = oneOf<ActionCommand>("command", ["build", "up", "run", "down", "reap"], "run");
  const backend = oneOf<BackendName>("backend", ["fargate", "docker"], "fargate");
  // In the cluster by default: the scheduler then needs no address reachable from outside the VPC.
  const jobRunsOn = oneOf<JobRunsOn>("job-runs-on", ["cluster", "runner"], "cluster");
  const environmentFile = input("environment-file");
  const dockerfile = input("dockerfile");
  const context = input("context");
  const target = input("target");
  const image = input("image");
  if (environmentFile && dockerfile)
    throw new ClusterConfigError("dockerfile", "give environment-file (the image is generated from it) or dockerfile (your own Dockerfile), not both");
  if (context && !dockerfile) throw new ClusterConfigError("context", "context is the build context of a Dockerfile; set dockerfile too, or remove context");
  if (target && !dockerfile) throw new ClusterConfigError("target", "target is a stage of a Dockerfile; set dockerfile too, or remove target");
  const source = environmentFile ?? dockerfile;
  if ((command === "build" && !source) || ((command === "up" || command === "run") && !source && !image)) {
    throw new ClusterConfigError(
      command === "build" ? "environment-file" : "image",
      `command ${command} needs ${command === "build" ? "environment-file or dockerfile" : "image (an image with Dask), or environment-file or dockerfile (to build one)"}`,
    );
  }
  const jobCommand = input("job-command");
  if (command === "run" && !jobCommand) throw new ClusterConfigError("job-command", 'command run needs job-command, e.g. "python train.py"');
  // Checked here, before anything runs: the id names files and resources (see core's cluster-id.ts).
  const clusterId = input("cluster-id");
  if (clusterId !== undefined) assertClusterId(clusterId);
  if (command === "down" && !clusterId)
    throw new ClusterConfigError("cluster-id", "command down needs cluster-id (the id printed by up, or the run-derived default of an earlier step)");
  const registryUsername = input("registry-username");
  const registryPassword = input("registry-password");
  if (Boolean(registryUsername) !== Boolean(registryPassword))
    throw new ClusterConfigError(registryUsername ? "registry-password" : "registry-username", "registry-username and registry-password go together");
  const olderThan = input("older-than");
  // The reaper acts on this repository's clusters unless told otherwise: tags are data anyone may set.
  const reapRepository = input("reap-repository");
  const publicIp = input("assign-public-ip");
  if (publicIp !== undefined && !["true", "false"].includes(publicIp))
    throw new ClusterConfigError("assign-public-ip", `"${publicIp}" is not true or false (or empty for the default)`);

  const region = input("region") ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"];
  const needsAws = backend === "fargate" && command !== "build";
  if (needsAws && !region)
    throw new ClusterConfigError(
      "region",
      "the fargate backend needs a region: set the region input or AWS_REGION (aws-actions/configure-aws-credentials sets it)",
    );
  if (command === "run" && backend === "fargate" && jobRunsOn === "runner" && !input("client-cidr")) {
    throw new ClusterConfigError(
      "client-cidr",
      "job-runs-on runner with the fargate backend needs client-cidr (the runner's public address/32) so the runner can reach the scheduler; or use job-runs-on: cluster",
    );
  }
  const secretLines = input("secrets")?.split(/\r?\n/);
  if (secretLines && backend === "docker")
    throw new ClusterConfigError(
      "secrets",
      "the docker backend does not resolve Secrets Manager / SSM ARNs (ECS does, at task start); use backend fargate, or give a job on the runner its variables with job-env",
    );
  if (input("output-uri") && backend === "docker")
    throw new ClusterConfigError(
      "output-uri",
      "output-uri is where a Fargate job's files go first (S3); with the docker backend they come back to output-dir directly: remove output-uri",
    );
  const jobEnv = validateJobEnv(list("job-env") ?? [], "job-env");
  if (jobEnv.length > 0 && jobRunsOn !== "runner")
    throw new ClusterConfigError(
      "job-env",
      "job-env names variables a job on the runner inherits from this step; a job in the cluster gets secrets through the secrets input (Secrets Manager / SSM ARNs, on Fargate)",
    );
  const jobUser = input("job-user");
  if (jobUser !== undefined) {
    if (jobRunsOn !== "runner")
      throw new ClusterConfigError("job-user", "job-user is the user a job on the runner runs as; a job in the cluster runs in its own container or task");
    resolveJobUser(jobUser, "job-user");
  }
  const fargate: Record<string, unknown> = {
    region,
    architecture: input("architecture"),
    spotWorkers: bool("spot-workers", false),
    subnets: list("subnets"),
    securityGroups: list("security-groups"),
    assignPublicIp: publicIp === undefined ? undefined : publicIp === "true",
    clientCidr: input("client-cidr"),
    openDashboard: bool("open-dashboard", false),
    ecsCluster: input("ecs-cluster"),
    executionRoleArn: input("execution-role-arn"),
    taskRoleArn: input("task-role-arn"),
    taskRolePolicyArns: list("task-role-policy-arns"),
    secrets: secretLines ? parseSecretAssignments(secretLines, "secrets") : undefined,
    logRetentionDays: integer("log-retention-days"),
    outputUri: input("output-uri"),
  };
  const cluster: Record<string, unknown> = {
    workers: input("workers"),
    workerCpu: input("worker-cpu"),
    workerMemory: input("worker-memory"),
    schedulerCpu: input("scheduler-cpu"),
    schedulerMemory: input("scheduler-memory"),
    idleTimeout: input("idle-timeout"),
    maxLifetime: input("max-lifetime"),
    allowUnboundedCost: bool("allow-unbounded-cost", false),
    maxWorkerReplacements: input("max-worker-replacements"),
    tls: bool("tls", true),
  };
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    command,
    backend,
    environmentFile,
    dockerfile,
    context,
    target,
    image,
    baseImage: input("base-image"),
    platform: input("platform"),
    buildArgs: parseBuildArgs(input("build-args")?.split(/\r?\n/)),
    push: bool("push", true),
    force: bool("force", false),
    registryUsername,
    registryPassword,
    clusterId,
    cluster: defined(cluster) as ActionInputs["cluster"],
    jobCommand,
    jobRunsOn,
    jobWorkdir: input("job-workdir") ?? ".",
    jobEnv,
    jobUser,
    readiness: input("readiness") === undefined ? undefined : oneOf<Readiness>("readiness", ["running", "registered"], "running"),
    jobTimeout: input("job-timeout"),
    outputDir: input("output-dir"),
    backendSettings: needsAws ? { fargate: defined(fargate) as unknown as FargateSpecInput } : {},
    olderThanSeconds: olderThan ? parseDurationSeconds(olderThan, "older-than") : undefined,
    dryRun: bool("dry-run", false),
    reapRepository: reapRepository === "*" ? undefined : (reapRepository ?? process.env["GITHUB_REPOSITORY"]),
  };
}
