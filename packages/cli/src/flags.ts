import { parseArgs } from "node:util";
import { INPUT_DEFAULTS } from "@dask-fargate-action/core/defaults";

/**
 * Every flag of the CLI, in one table that drives both parsing and `--help`. The names are the GitHub
 * Action's input names. This module imports nothing heavy (no AWS SDK, no Docker client): `--help` and a
 * bad flag are answered before any command module is loaded.
 */
interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: true;
  readonly short?: string;
  /** The value's placeholder in help (`--workers N`). */
  readonly value?: string;
  /** One line or more (joined with "\n"); the default is appended from `default`. */
  readonly help: string;
  /** The default as a user writes it: core's INPUT_DEFAULTS where the action shares it (image defaults: checked by a test against the image package). */
  readonly default?: string;
}

const d = INPUT_DEFAULTS;

export const FLAGS = {
  backend: { type: "string", value: "docker|fargate", help: "where the cluster runs (docker: the local Docker Engine)", default: "docker" },
  "environment-file": { type: "string", value: "FILE", help: "build (or reuse) the image for this environment first" },
  dockerfile: { type: "string", value: "FILE", help: "or build (or reuse) the image of your own Dockerfile (not with --environment-file)" },
  context: { type: "string", value: "DIR", help: "the Dockerfile's build context, inside the current directory", default: "the Dockerfile's directory" },
  target: { type: "string", value: "STAGE", help: "the Dockerfile's stage to build (FROM … AS STAGE)", default: "the last stage" },
  image: { type: "string", value: "IMAGE", help: "the image to run (or, with --environment-file or --dockerfile, the repository to tag)" },
  "base-image": { type: "string", value: "REF", help: "base image for the build (pinned by tag or digest)", default: "mambaorg/micromamba:2.0.5" },
  platform: { type: "string", value: "PLATFORM", help: "image platform: linux/amd64 or linux/arm64", default: "linux/amd64" },
  "registry-username": {
    type: "string",
    value: "USER",
    help: "log in to the image's registry as USER (or DFA_REGISTRY_USERNAME); ECR logs in with the AWS credentials",
  },
  "registry-password-stdin": { type: "boolean", help: "read the registry password from stdin (or DFA_REGISTRY_PASSWORD), never from the command line" },
  "build-arg": {
    type: "string",
    multiple: true,
    value: "NAME=VALUE",
    help: "a build arg (repeatable), part of the content tag; never a secret (the engine keeps it in the image history)",
  },
  "no-push": { type: "boolean", help: "keep a built image on this engine (the fargate backend refuses: it pulls from a registry)" },
  force: { type: "boolean", help: "rebuild the image even when unchanged" },
  workers: { type: "string", value: "N|MIN-MAX", help: "number of workers, or a range (e.g. 2-16) the job's adaptive target moves it in", default: d.workers },
  "worker-cpu": { type: "string", value: "VCPU", help: "vCPUs per worker", default: d["worker-cpu"] },
  "worker-memory": { type: "string", value: "SIZE", help: "memory per worker, e.g. 4GB or 4096 (MiB), at least 512 MiB", default: d["worker-memory"] },
  "worker-threads": { type: "string", value: "N", help: "threads per worker", default: "its vCPUs" },
  "scheduler-cpu": { type: "string", value: "VCPU", help: "vCPUs of the scheduler", default: d["scheduler-cpu"] },
  "scheduler-memory": { type: "string", value: "SIZE", help: "memory of the scheduler, at least 512 MiB", default: d["scheduler-memory"] },
  "cluster-id": { type: "string", value: "ID", help: "name of the cluster", default: "dfa- and 8 random hex digits" },
  "idle-timeout": { type: "string", value: "DURATION", help: "the scheduler stops after this long without work (at most 2h)", default: d["idle-timeout"] },
  "max-lifetime": {
    type: "string",
    value: "DURATION",
    help: "every container stops after this long, even unattended (at most 24h)",
    default: d["max-lifetime"],
  },
  "allow-unbounded-cost": { type: "boolean", help: "lift the cost limits: max-lifetime 24h, idle-timeout 2h, 128 vCPUs in all" },
  "max-worker-replacements": {
    type: "string",
    value: "N",
    help: "workers lost during the job that are replaced, at most (0: none)",
    default: "2 × workers",
  },
  "no-tls": { type: "boolean", help: "plain TCP between Dask endpoints (default: mutual TLS, per-cluster CA)" },
  "state-dir": { type: "string", value: "DIR", help: "where cluster records are kept (or DASK_FARGATE_STATE_DIR)", default: "~/.dask-fargate" },
  json: { type: "boolean", help: "print the result as JSON on stdout" },
  verbose: { type: "boolean", help: "also print the requests a start would send (plan prints a summary without them)" },
  region: { type: "string", value: "REGION", help: "AWS region", default: "AWS_REGION" },
  architecture: { type: "string", value: "X86_64|ARM64", help: "CPU architecture of the tasks", default: d.architecture },
  "spot-workers": { type: "boolean", help: "workers on Fargate Spot, falling back to on-demand" },
  subnets: { type: "string", value: "ID,ID", help: "subnets", default: "the default VPC's" },
  "security-groups": { type: "string", value: "ID,ID", help: "use these groups instead of creating one" },
  "assign-public-ip": { type: "string", value: "true|false", help: "public IPs for tasks", default: "true in the default VPC" },
  "ecs-cluster": { type: "string", value: "NAME", help: "run in an existing ECS cluster (never deleted)" },
  "execution-role-arn": { type: "string", value: "ARN", help: "execution role instead of the managed one" },
  "task-role-arn": { type: "string", value: "ARN", help: "task role instead of the managed one" },
  "task-role-policy-arns": {
    type: "string",
    value: "ARN,ARN",
    help: [
      "policies the managed task role must have: up attaches nothing, it checks that an administrator",
      "attached them once with dask-fargate setup-roles --task-role-policy-arns (and refuses before",
      "anything is created when one is missing)",
    ].join("\n"),
  },
  secret: {
    type: "string",
    multiple: true,
    value: "NAME=ARN",
    help: [
      "variable NAME in every task, read by ECS at task start from a Secrets Manager secret or SSM",
      "parameter ARN (repeatable; needs --execution-role-arn with a role that may read it);",
      "--job-command itself is visible in AWS, so keep secrets out",
    ].join("\n"),
  },
  "client-cidr": { type: "string", value: "CIDR", help: "let this address reach the scheduler (e.g. your IP/32; at most a /16; needs TLS)" },
  "open-dashboard": { type: "boolean", help: "open the dashboard port (plain HTTP) to --client-cidr as well" },
  "allow-public-ingress": { type: "boolean", help: "open the scheduler port to 0.0.0.0/0 (not recommended; needs TLS)" },
  "platform-version": { type: "string", value: "VERSION", help: "Fargate platform version", default: d["platform-version"] },
  "ephemeral-storage": { type: "string", value: "GIB", help: "21-200 GiB per task" },
  "log-retention-days": { type: "string", value: "N", help: "CloudWatch Logs retention", default: d["log-retention-days"] },
  "keep-logs": { type: "boolean", help: "keep the log group after teardown" },
  "job-command": { type: "string", value: "COMMAND", help: "the job, run with sh -c (DASK_SCHEDULER_ADDRESS is set)" },
  "job-runs-on": {
    type: "string",
    value: "cluster|runner",
    help: "in a container beside the cluster, or on this machine",
    default: d["job-runs-on"],
  },
  "job-workdir": { type: "string", value: "DIR", help: "the job's files: mounted read-only at /job, or its working directory", default: d["job-workdir"] },
  "job-env": {
    type: "string",
    multiple: true,
    value: "NAME",
    help: [
      "a variable of this shell a job on this machine also inherits (repeatable); it otherwise gets only",
      "PATH, HOME, locale, proxy, Python/conda, GITHUB_*/RUNNER_* (no tokens), AWS_* and DASK_* variables",
    ].join("\n"),
  },
  "job-user": {
    type: "string",
    value: "USER",
    help: "run a job on this machine as this unprivileged user (name or uid[:gid]; needs root), so it cannot read this process's environment",
  },
  readiness: {
    type: "string",
    value: "running|registered",
    help: "when the cluster counts as ready: every task running, or every worker registered with the scheduler",
    default: "registered on docker, running on fargate",
  },
  "job-timeout": { type: "string", value: "DURATION", help: "stop the job after this long (seconds, or 90m, 2h), remove the cluster, exit 124" },
  "output-dir": {
    type: "string",
    value: "DIR",
    help: "where the files the job writes to $DFA_OUTPUT_DIR end up on this machine",
    default: "./dask-fargate-output/<cluster-id>",
  },
  "output-uri": { type: "string", value: "s3://BUCKET/PREFIX", help: "Fargate, job in the cluster: the files go here (under the cluster id) first" },
  tail: { type: "string", value: "N", help: "lines per member", default: "50" },
  repository: {
    type: "string",
    value: "OWNER/NAME",
    help: [
      "the github.repository tag: up, run and plan put it on everything they create (in a workflow:",
      '--repository "$GITHUB_REPOSITORY", for the per-repository IAM policy); reap acts only on clusters',
      "that carry it; setup-roles prints the CI policy limited to that repository's clusters instead",
    ].join("\n"),
  },
  "older-than": { type: "string", value: "DURATION", help: "also clusters older than this, whatever their expiry" },
  "dry-run": { type: "boolean", help: "list what would be removed, remove nothing" },
  "permissions-boundary": {
    type: "string",
    value: "ARN",
    help: "boundary for roles it creates (required by the README's policy variant that lets CI create the roles)",
  },
  "print-cloudformation": { type: "boolean", help: "print the same roles as a CloudFormation template instead" },
  help: { type: "boolean", short: "h", help: "this help" },
} as const satisfies Record<string, FlagSpec>;

/** A flag's name. */
export type FlagName = keyof typeof FLAGS;

type ValueOf<F> = F extends { type: "boolean" } ? boolean : F extends { multiple: true } ? string[] | undefined : string | undefined;
/** Parsed command-line values; a boolean flag not given is false, any other flag undefined. */
export type Flags = { readonly [K in FlagName]: ValueOf<(typeof FLAGS)[K]> };

const IMAGE: readonly FlagName[] = [
  "environment-file",
  "dockerfile",
  "context",
  "target",
  "image",
  "base-image",
  "platform",
  "build-arg",
  "registry-username",
  "registry-password-stdin",
  "no-push",
  "force",
];
const CLUSTER: readonly FlagName[] = [
  "backend",
  "workers",
  "worker-cpu",
  "worker-memory",
  "worker-threads",
  "scheduler-cpu",
  "scheduler-memory",
  "cluster-id",
  "idle-timeout",
  "max-lifetime",
  "allow-unbounded-cost",
  "max-worker-replacements",
  "no-tls",
  "readiness",
  "repository",
  "state-dir",
  "json",
];
const FARGATE: readonly FlagName[] = [
  "region",
  "architecture",
  "spot-workers",
  "subnets",
  "security-groups",
  "assign-public-ip",
  "ecs-cluster",
  "execution-role-arn",
  "task-role-arn",
  "task-role-policy-arns",
  "secret",
  "client-cidr",
  "open-dashboard",
  "allow-public-ingress",
  "platform-version",
  "ephemeral-storage",
  "log-retention-days",
  "keep-logs",
];
const JOB: readonly FlagName[] = ["job-command", "job-runs-on", "job-workdir", "job-env", "job-user", "job-timeout", "output-dir", "output-uri"];
/** Finding an existing cluster: its record, or (without one) its backend and region. */
const FIND: readonly FlagName[] = ["cluster-id", "backend", "region", "state-dir", "json"];

/** A command's flags in help order, grouped under headings ("" for the first group). */
export const COMMAND_FLAGS = {
  build: { "": [...IMAGE, "json"] },
  plan: { "": ["image", ...CLUSTER, "verbose"], "Fargate (--backend fargate)": FARGATE },
  up: { "": [...IMAGE, ...CLUSTER], "Fargate (--backend fargate; AWS credentials from the default chain)": FARGATE },
  run: { "": [...IMAGE, ...CLUSTER], "The job:": JOB, "Fargate (--backend fargate; AWS credentials from the default chain)": FARGATE },
  status: { "": ["cluster-id", "state-dir", "json"] },
  scale: { "": ["workers", "cluster-id", "state-dir", "json"] },
  logs: { "": ["tail", ...FIND] },
  down: { "": FIND },
  reap: { "": ["backend", "region", "repository", "older-than", "dry-run", "json"] },
  "setup-roles": { "": ["region", "task-role-policy-arns", "permissions-boundary", "output-uri", "print-cloudformation", "repository", "json"] },
} as const satisfies Record<string, Record<string, readonly FlagName[]>>;

/** A command's name. */
export type CommandName = keyof typeof COMMAND_FLAGS;

/** True when `name` is a command. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_FLAGS, name);
}

/** The flags `command` accepts (always with --help). */
export function flagsOf(command: CommandName): FlagName[] {
  return [...new Set([...Object.values(COMMAND_FLAGS[command]).flat(), "help" as const])];
}

/** Bad command-line usage (exit code 2); thrown before anything else is loaded. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Parses the flags after the command name. A flag the command does not take is an error naming it and the
 * command (`status --workers 5`), and so is a flag no command takes.
 */
export function parseFlags(command: CommandName, argv: readonly string[]): Flags {
  const accepted = flagsOf(command);
  const options = Object.fromEntries(
    accepted.map((name) => {
      const spec: FlagSpec = FLAGS[name];
      return [name, { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) }];
    }),
  );
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec((error as Error).message)?.[1];
    const name = unknown?.replace(/^--?/, "");
    if (unknown && name && Object.hasOwn(FLAGS, name)) throw new UsageError(`${command} does not take ${unknown}; see dask-fargate ${command} --help`);
    if (unknown) {
      const near = name ? closest(name, accepted) : undefined;
      throw new UsageError(`${command}: unknown flag ${unknown}${near ? ` (did you mean --${near}?)` : ""}; see dask-fargate ${command} --help`);
    }
    throw new UsageError(`${(error as Error).message}; see dask-fargate ${command} --help`);
  }
  const all: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(FLAGS) as [FlagName, FlagSpec][]) all[name] = values[name] ?? (spec.type === "boolean" ? false : undefined);
  return all as Flags;
}

/** The accepted flag nearest to a mistyped one (at most two edits away), for "did you mean". */
function closest(name: string, accepted: readonly string[]): string | undefined {
  let best: { flag: string; distance: number } | undefined;
  for (const flag of accepted) {
    const distance = editDistance(name, flag);
    if (distance <= 2 && (!best || distance < best.distance)) best = { flag, distance };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}
