import type { BackendSettings } from "../backend.js";
import { parseBuildArgs } from "../build-args.js";
import type { BackendName, JobRunsOn, Readiness } from "../cluster.js";
import { assertClusterId } from "../cluster-id.js";
import type { ClusterSpecInput } from "../cluster-spec.js";
import { type FargateSpecInput, parseSecretAssignments } from "../fargate/fargate-spec.js";
import { checkRepository } from "../fargate/repository-policy.js";
import { validateJobEnv } from "../runner-job.js";
import { resolveJobUser } from "../runner-user.js";
import { parseDurationSeconds } from "../units.js";
import { type RawSettings, SettingReader, takes } from "./raw.js";
import { ACTION_COMMANDS, type ActionCommand, type FrontEnd, type SettingsCommand } from "./setting.js";
import { ARCHITECTURES, BACKENDS, JOB_RUNS_ON, READINESS, type SettingName, settingOf, TRUE_FALSE } from "./table.js";

/** The cluster settings a front end passes to resolveClusterSpec (with the image and cluster id it settles). */
export type ClusterSettings = Omit<ClusterSpecInput, "image" | "clusterId">;

/** The image to build or run, as given. */
export interface ImageSettings {
  readonly environmentFile: string | undefined;
  /** Your own Dockerfile, exclusive with environmentFile. */
  readonly dockerfile: string | undefined;
  /** The Dockerfile's build context (default its directory). */
  readonly context: string | undefined;
  /** The Dockerfile's stage to build (default its last). */
  readonly target: string | undefined;
  readonly image: string | undefined;
  readonly baseImage: string | undefined;
  readonly platform: string | undefined;
  /** `build-args` (`--build-arg`), NAME=VALUE each. */
  readonly buildArgs: Readonly<Record<string, string>> | undefined;
  readonly push: boolean;
  readonly force: boolean;
  readonly registryUsername: string | undefined;
  /** Secret (the action's input only; the CLI reads it from stdin). */
  readonly registryPassword: string | undefined;
}

/** The job of `run`, as given. */
export interface JobSettings {
  readonly jobCommand: string | undefined;
  readonly jobRunsOn: JobRunsOn;
  /** As written (default `.`); each front end resolves it against its own working directory. */
  readonly jobWorkdir: string;
  /** Names of variables a job on the runner inherits besides the allow-list. */
  readonly jobEnv: readonly string[];
  /** The unprivileged user a job on the runner runs as (checked: it exists, and this process is root). */
  readonly jobUser: string | undefined;
  /** As written (seconds, or a number with s, m or h); the pipeline's parseJobTimeout reads it. */
  readonly jobTimeout: string | undefined;
  readonly outputDir: string | undefined;
}

/** Every setting a front end was given, typed and checked, with every rule between settings applied. */
export interface Settings<C extends SettingsCommand = SettingsCommand> extends ImageSettings, JobSettings {
  readonly command: C;
  readonly backend: BackendName;
  readonly clusterId: string | undefined;
  readonly cluster: ClusterSettings;
  /** When a start counts as ready; undefined: the backend's default (core's DEFAULT_READINESS). */
  readonly readiness: Readiness | undefined;
  /** `region`, else AWS_REGION, else AWS_DEFAULT_REGION (the fallback, once). */
  readonly region: string | undefined;
  /** `task-role-policy-arns` (also what the CLI's setup-roles attaches). */
  readonly taskRolePolicyArns: readonly string[];
  /** For fargate (any command but build): the region and the Fargate settings; otherwise none. */
  readonly backendSettings: BackendSettings;
  readonly olderThanSeconds: number | undefined;
  readonly dryRun: boolean;
  /** The action's `reap-repository` as written (`*`: every repository). */
  readonly reapRepository: string | undefined;
  /** The CLI's `--repository` (checked OWNER/NAME): the github.repository tag, and what reap is limited to. */
  readonly repository: string | undefined;
}

/** What the reader needs besides the values. */
export interface ReadOptions {
  readonly frontEnd: FrontEnd;
  /** The CLI's command (its first argument); the action's comes from its `command` input. */
  readonly command?: SettingsCommand;
  /** For the region's fallback (AWS_REGION, AWS_DEFAULT_REGION); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads every setting a front end was given (the action's inputs through actionRaw, the CLI's flags through
 * cliRaw) into typed, checked settings, and applies every rule between settings, once. A refusal is an InputError
 * naming the setting as that front end spells it; nothing is read from disk or the network but /etc/passwd for
 * job-user.
 */
export function readSettings(
  raw: RawSettings,
  options: ReadOptions & { readonly frontEnd: "action"; readonly command?: undefined },
): Settings<ActionCommand>;
export function readSettings<C extends SettingsCommand>(
  raw: RawSettings,
  options: ReadOptions & { readonly command: C },
): Settings<C>;
export function readSettings(raw: RawSettings, options: ReadOptions): Settings {
  const r = new SettingReader(raw, options.frontEnd);
  const command = options.command ?? r.oneOf("command", ACTION_COMMANDS) ?? "run";
  const backend = r.oneOf("backend", BACKENDS) ?? "fargate";
  const image = readImage(r, command);
  const job = readJob(r, command);
  const clusterId = readClusterId(r, command);
  const repository = r.check("repository", () => {
    const value = r.text("repository");
    return value === undefined ? undefined : checkRepository(value);
  });
  const olderThan = r.text("older-than");
  const env = options.env ?? process.env;
  const region = r.text("region") ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"];
  return {
    command,
    backend,
    ...image,
    ...job,
    clusterId,
    cluster: readCluster(r, repository),
    readiness: r.oneOf("readiness", READINESS),
    region,
    taskRolePolicyArns: r.list("task-role-policy-arns") ?? [],
    backendSettings: readBackendSettings(r, command, backend, job.jobRunsOn, region),
    olderThanSeconds:
      olderThan === undefined ? undefined : r.check("older-than", (field) => parseDurationSeconds(olderThan, field)),
    dryRun: r.bool("dry-run"),
    reapRepository: r.text("reap-repository"),
    repository,
  };
}

/** The commands of a front end that take a setting. */
function commandsOf(frontEnd: FrontEnd, name: SettingName): readonly SettingsCommand[] {
  const spelling = settingOf(name)[frontEnd];
  return "commands" in spelling ? spelling.commands : [];
}

/** The command as a sentence names it: `command run` in the action (an input), `run` on the command line. */
function commandWord(r: SettingReader, command: SettingsCommand): string {
  return r.frontEnd === "action" ? `command ${command}` : command;
}

function readImage(r: SettingReader, command: SettingsCommand): ImageSettings {
  const environmentFile = r.text("environment-file");
  const dockerfile = r.text("dockerfile");
  const context = r.text("context");
  const target = r.text("target");
  const image = r.text("image");
  if (environmentFile && dockerfile)
    r.fail(
      "dockerfile",
      `give ${r.name("environment-file")} (the image is generated from it) or ${r.name("dockerfile")} (your own Dockerfile), not both`,
    );
  for (const [name, what] of [
    ["context", "the build context"],
    ["target", "a stage"],
  ] as const)
    if (r.given(name) && !dockerfile)
      r.fail(
        name,
        `${r.name(name)} is ${what} of a Dockerfile; set ${r.name("dockerfile")} too, or remove ${r.name(name)}`,
      );
  const source = environmentFile ?? dockerfile;
  const sources = `${r.name("environment-file")} or ${r.name("dockerfile")}`;
  if (command === "build" && !source)
    r.fail(
      "environment-file",
      `${commandWord(r, command)} needs ${r.name("environment-file")} (environment.yml, requirements.txt or an @EXPLICIT lockfile) or ${r.name("dockerfile")} (your own Dockerfile)`,
    );
  if ((command === "up" || command === "run") && !source && !image)
    r.fail(
      "image",
      `${commandWord(r, command)} needs ${r.name("image")} (an image with Dask), or ${sources} (to build one)`,
    );
  const registryUsername = r.text("registry-username");
  const registryPassword = r.text("registry-password");
  // The CLI reads the password from stdin when it logs in (registry-login.ts); the action takes it as an input.
  if (takes(r.frontEnd, "registry-password") && Boolean(registryUsername) !== Boolean(registryPassword))
    r.fail(
      registryUsername ? "registry-password" : "registry-username",
      `${r.name("registry-username")} and ${r.name("registry-password")} go together`,
    );
  const buildArgs = r.lines("build-args");
  return {
    environmentFile,
    dockerfile,
    context,
    target,
    image,
    baseImage: r.text("base-image"),
    platform: r.text("platform"),
    buildArgs: r.check("build-args", (field) => parseBuildArgs(buildArgs, field)),
    push: r.bool("push"),
    force: r.bool("force"),
    registryUsername,
    registryPassword,
  };
}

function readJob(r: SettingReader, command: SettingsCommand): JobSettings {
  const jobRunsOn = r.oneOf("job-runs-on", JOB_RUNS_ON) ?? "cluster";
  const jobCommand = r.text("job-command");
  if (command === "run" && !jobCommand)
    r.fail("job-command", `${commandWord(r, command)} needs ${r.name("job-command")}, e.g. "python train.py"`);
  const jobEnv = r.check("job-env", (field) => validateJobEnv(r.list("job-env") ?? [], field));
  const onRunner = `${r.name("job-runs-on")} runner`;
  if (jobEnv.length > 0 && jobRunsOn !== "runner")
    r.fail(
      "job-env",
      `${r.name("job-env")} names variables a job on the runner inherits (${onRunner}); a job in the cluster gets secrets through ${r.name("secrets")} (Secrets Manager / SSM ARNs, on Fargate)`,
    );
  const jobUser = r.text("job-user");
  if (jobUser !== undefined) {
    if (jobRunsOn !== "runner")
      r.fail(
        "job-user",
        `${r.name("job-user")} is the user a job on the runner runs as (${onRunner}); a job in the cluster runs in its own container or task`,
      );
    r.check("job-user", (field) => resolveJobUser(jobUser, field));
  }
  return {
    jobCommand,
    jobRunsOn,
    jobWorkdir: r.text("job-workdir") ?? ".",
    jobEnv,
    jobUser,
    jobTimeout: r.text("job-timeout"),
    outputDir: r.text("output-dir"),
  };
}

function readClusterId(r: SettingReader, command: SettingsCommand): string | undefined {
  // Checked here, before anything runs: the id names files and resources (see core's cluster-id.ts).
  const clusterId = r.text("cluster-id");
  if (clusterId !== undefined) r.check("cluster-id", (field) => assertClusterId(clusterId, field));
  // The CLI's down finds a recorded cluster without an id; the action keeps no records between workflows.
  if (command === "down" && !clusterId && r.frontEnd === "action")
    r.fail(
      "cluster-id",
      `${commandWord(r, command)} needs ${r.name("cluster-id")} (the id printed by up, or the run-derived default of an earlier step)`,
    );
  return clusterId;
}

/** A property only when its value is given, so a spec resolver applies its own default otherwise. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  const entry: { [P in K]?: V } = {};
  if (value !== undefined) entry[key] = value;
  return entry;
}

function readCluster(r: SettingReader, repository: string | undefined): ClusterSettings {
  return {
    ...optional("workers", r.text("workers")),
    ...optional("workerCpu", r.text("worker-cpu")),
    ...optional("workerMemory", r.text("worker-memory")),
    ...optional("workerThreads", r.text("worker-threads")),
    ...optional("schedulerCpu", r.text("scheduler-cpu")),
    ...optional("schedulerMemory", r.text("scheduler-memory")),
    ...optional("idleTimeout", r.text("idle-timeout")),
    ...optional("maxLifetime", r.text("max-lifetime")),
    ...optional("maxWorkerReplacements", r.text("max-worker-replacements")),
    tls: r.bool("tls"),
    allowUnboundedCost: r.bool("allow-unbounded-cost"),
    // The tag the action sets from GITHUB_REPOSITORY, which the per-repository IAM policy requires on every creation.
    ...optional("labels", repository === undefined ? undefined : { "github.repository": repository }),
  };
}

function readBackendSettings(
  r: SettingReader,
  command: SettingsCommand,
  backend: BackendName,
  jobRunsOn: JobRunsOn,
  region: string | undefined,
): BackendSettings {
  // A command without a backend (the CLI's setup-roles) takes output-uri and the region for IAM alone.
  if (!commandsOf(r.frontEnd, "backend").includes(command)) return {};
  if (backend === "docker") {
    refuseFargateOnly(r);
    return {};
  }
  if (command === "build") return {};
  if (!region)
    r.fail(
      "region",
      `the fargate backend needs a region: set ${r.name("region")} or AWS_REGION (aws-actions/configure-aws-credentials sets it)`,
    );
  if (command === "run" && jobRunsOn === "runner" && !r.given("client-cidr"))
    r.fail(
      "client-cidr",
      `${r.name("job-runs-on")} runner with the fargate backend needs ${r.name("client-cidr")} (the runner's public address/32) so the runner can reach the scheduler; or use ${r.name("job-runs-on")} cluster`,
    );
  return { fargate: readFargate(r, region) };
}

/** What only ECS does, refused on the docker backend with the way out. */
function refuseFargateOnly(r: SettingReader): void {
  if (r.given("secrets"))
    r.fail(
      "secrets",
      `the docker backend does not resolve Secrets Manager / SSM ARNs (ECS does, at task start); use ${r.name("backend")} fargate, or give a job on the runner its variables with ${r.name("job-env")}`,
    );
  if (r.given("output-uri"))
    r.fail(
      "output-uri",
      `${r.name("output-uri")} is where a Fargate job's files go first (S3); with the docker backend they come back to ${r.name("output-dir")} directly: remove ${r.name("output-uri")}`,
    );
}

/** The Fargate settings, typed: each only when given, so resolveFargateSpec applies its defaults (booleans: false). */
function readFargate(r: SettingReader, region: string): FargateSpecInput {
  const publicIp = r.oneOf("assign-public-ip", TRUE_FALSE);
  const secrets = r.lines("secrets");
  return {
    region,
    ...optional("architecture", r.oneOf("architecture", ARCHITECTURES)),
    ...optional("platformVersion", r.text("platform-version")),
    ...optional("ephemeralStorage", r.whole("ephemeral-storage")),
    ...optional("subnets", r.list("subnets")),
    ...optional("securityGroups", r.list("security-groups")),
    ...optional("assignPublicIp", publicIp === undefined ? undefined : publicIp === "true"),
    ...optional("ecsCluster", r.text("ecs-cluster")),
    ...optional("executionRoleArn", r.text("execution-role-arn")),
    ...optional("taskRoleArn", r.text("task-role-arn")),
    ...optional("taskRolePolicyArns", r.list("task-role-policy-arns")),
    ...optional(
      "secrets",
      secrets === undefined ? undefined : r.check("secrets", (field) => parseSecretAssignments(secrets, field)),
    ),
    spotWorkers: r.bool("spot-workers"),
    ...optional("clientCidr", r.text("client-cidr")),
    allowPublicIngress: r.bool("allow-public-ingress"),
    openDashboard: r.bool("open-dashboard"),
    ...optional("logRetentionDays", r.whole("log-retention-days")),
    keepLogs: r.bool("keep-logs"),
    ...optional("outputUri", r.text("output-uri")),
  };
}
