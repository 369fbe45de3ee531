import { INPUT_DEFAULTS as d } from "../defaults.js";
import type { ActionCommand, CliCommand, SettingSpec } from "./setting.js";

/**
 * Every setting of the action and the CLI, in one table: the action's input reader and the CLI's flag parser read
 * it (reader.ts), and action.yml's inputs, every `--help` and the README's input and flag tables are generated from
 * it (checked by tests that fail on any difference). Rows are in help order: image, cluster, job, Fargate, the rest.
 * Adding a setting: a row here, the code that uses it (reader.ts maps it to the typed settings), then regenerate
 * action.yml and README (`node packages/action/scripts/action-docs.mjs --write`).
 */

const BUILD_UP_RUN = ["build", "up", "run"] as const satisfies readonly (ActionCommand & CliCommand)[];
const UP_RUN = ["up", "run"] as const satisfies readonly ActionCommand[];
const PLAN_UP_RUN = ["plan", "up", "run"] as const satisfies readonly CliCommand[];
const ALL_ACTION = ["build", "up", "run", "down", "reap"] as const satisfies readonly ActionCommand[];
const FARGATE = ["fargate"] as const;

/** How commands that act on a recorded cluster word the flags that find it. */
const RECORDED_ID = { help: "the cluster", default: "the only recorded one" } as const;
const WITHOUT_RECORD = "where a cluster without a record runs";

/** Why the action has no CLI-only setting that only shapes the terminal's output. */
const TERMINAL_ONLY = "the action reports through its outputs, step log and job summary, not a terminal";

export const BACKENDS = ["fargate", "docker"] as const;
export const JOB_RUNS_ON = ["cluster", "runner"] as const;
export const READINESS = ["running", "registered"] as const;
export const ARCHITECTURES = ["X86_64", "ARM64"] as const;
export const TRUE_FALSE = ["true", "false"] as const;

export const SETTINGS = {
  command: {
    kind: "one-of",
    values: ["build", "up", "run", "down", "reap"],
    default: d.command,
    defaultIs: "applied",
    group: "cluster",
    help: "what to do",
    description:
      "Optional. What to do: build (image only), up (cluster until the job ends; the post step removes it), run (up, job, down in one step), down (remove a cluster of this repository early), reap (remove expired clusters).",
    checkedBy: "reader",
    action: { commands: ALL_ACTION },
    cli: {
      absent: "the command line names the command first (dask-fargate run …), with more commands than the action's",
    },
  },
  backend: {
    kind: "one-of",
    values: BACKENDS,
    default: d.backend,
    defaultIs: "applied",
    group: "cluster",
    help: "where the cluster runs (docker: the local Docker Engine)",
    description:
      "Optional. Where the cluster runs: fargate (AWS ECS Fargate) or docker (the runner's Docker Engine, for pull requests).",
    checkedBy: "reader",
    action: { commands: ALL_ACTION },
    cli: {
      commands: ["plan", "up", "run", "logs", "down", "reap"],
      value: "docker|fargate",
      default: "docker",
      wording: { logs: { help: WITHOUT_RECORD }, down: { help: WITHOUT_RECORD } },
    },
  },
  "environment-file": {
    kind: "text",
    group: "image",
    help: "build (or reuse) the image for this environment first",
    description:
      "Required for build, up and run unless dockerfile or image is given (one of the three). Conda environment.yml, pip requirements.txt or explicit conda lockfile. The image is rebuilt only when its content changes.",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "FILE" },
  },
  dockerfile: {
    kind: "text",
    group: "image",
    help: "or build (or reuse) the image of your own Dockerfile (not with --environment-file)",
    description:
      "Optional, instead of environment-file: your own Dockerfile. The content tag hashes the Dockerfile, every file the build context sends (after .dockerignore), build args and the platform: rebuilt and pushed only when one of them changes.",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "FILE" },
  },
  context: {
    kind: "text",
    group: "image",
    help: "the Dockerfile's build context, inside the current directory",
    description:
      "Optional, with dockerfile. Build context of the dockerfile, a directory inside the repository (default the Dockerfile's directory).",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "DIR", shownDefault: "the Dockerfile's directory" },
  },
  target: {
    kind: "text",
    group: "image",
    help: "the Dockerfile's stage to build (FROM … AS STAGE)",
    description:
      "Optional, with dockerfile. The dockerfile's stage to build (a stage named with FROM … AS <name>; default the last stage). It enters the content tag.",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "STAGE", shownDefault: "the last stage" },
  },
  image: {
    kind: "text",
    group: "image",
    help: "the image to run (or, with --environment-file or --dockerfile, the repository to tag)",
    description:
      "Required with backend fargate (the repository to push to, or the image to run), and for up and run when neither environment-file nor dockerfile is given; optional otherwise. The image to run; with environment-file or dockerfile, the repository to tag and push (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/dask).",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: ["build", "plan", "up", "run"], value: "IMAGE" },
  },
  "base-image": {
    kind: "text",
    group: "image",
    help: "base image for the build (pinned by tag or digest)",
    description:
      "Optional, with environment-file. Base image for the build, pinned by tag or digest (default mambaorg/micromamba:2.0.5).",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "REF", shownDefault: "mambaorg/micromamba:2.0.5" },
  },
  platform: {
    kind: "text",
    group: "image",
    help: "image platform: linux/amd64 or linux/arm64",
    description:
      "Optional. Image platform: linux/amd64 (Fargate X86_64) or linux/arm64 (Graviton); default linux/amd64.",
    checkedBy: "command",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "PLATFORM", shownDefault: "linux/amd64" },
  },
  "registry-username": {
    kind: "text",
    group: "image",
    help: "log in to the image's registry as USER (or DFA_REGISTRY_USERNAME); ECR logs in with the AWS credentials",
    description:
      "Required for a registry other than ECR that needs a login (with registry-password); optional otherwise. Registry user (Docker Hub, GHCR, any registry). ECR needs none: AWS credentials are used.",
    checkedBy: "reader",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, value: "USER" },
  },
  "registry-password": {
    kind: "text",
    group: "image",
    help: "registry password or token",
    description: "Required with registry-username. Registry password or token (pass a secret). Masked in all output.",
    checkedBy: "reader",
    action: { commands: BUILD_UP_RUN },
    cli: {
      absent:
        "a flag's value is visible to every process on the machine: the CLI reads the password from stdin (--registry-password-stdin) or DFA_REGISTRY_PASSWORD",
    },
  },
  "registry-password-stdin": {
    kind: "boolean",
    group: "image",
    help: "read the registry password from stdin (or DFA_REGISTRY_PASSWORD), never from the command line",
    description: "Read the registry password from stdin.",
    checkedBy: "command",
    action: {
      absent: "a step has no stdin: the action takes registry-password from a secret, masked before first use",
    },
    cli: { commands: BUILD_UP_RUN },
  },
  "build-args": {
    kind: "lines",
    group: "image",
    help: "a build arg (repeatable), part of the content tag; never a secret (the engine keeps it in the image history)",
    description:
      "Optional, when building: build args, one NAME=VALUE a line, passed to the image build. With dockerfile their names and values are part of the content tag; with environment-file their names (e.g. PIP_INDEX_URL for a mirror). Never a secret: the engine keeps the values in the image history (values with credentials in a URL are refused).",
    checkedBy: "reader",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, flag: "build-arg", repeatable: true, value: "NAME=VALUE" },
  },
  push: {
    kind: "boolean",
    default: d.push,
    defaultIs: "applied",
    group: "image",
    help: "keep a built image on this engine (the fargate backend refuses: it pulls from a registry)",
    description: "Optional. Push the built image to the image's registry.",
    checkedBy: "reader",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN, flag: "no-push", negated: true },
  },
  force: {
    kind: "boolean",
    group: "image",
    help: "rebuild the image even when unchanged",
    description: "Optional. Build and push even when the image with this environment's content tag exists.",
    checkedBy: "reader",
    action: { commands: BUILD_UP_RUN },
    cli: { commands: BUILD_UP_RUN },
  },
  workers: {
    kind: "text",
    default: d.workers,
    defaultIs: "spec",
    group: "cluster",
    help: "number of workers, or a range (e.g. 2-16) the job's adaptive target moves it in",
    description:
      "Optional. Number of workers, or a range MIN-MAX (e.g. 2-16): the cluster starts with MIN and, during the job, grows and shrinks to the Dask scheduler's adaptive target within the range (a sidecar beside the job reports it; surplus workers are retired through the scheduler before they stop). Cost estimates and cost limits use MAX.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: {
      commands: ["plan", "up", "run", "scale"],
      value: "N|MIN-MAX",
      wording: { scale: { help: "the number of workers the cluster should have (required)", default: null } },
    },
  },
  "worker-cpu": {
    kind: "text",
    default: d["worker-cpu"],
    defaultIs: "spec",
    unit: "vCPU",
    group: "cluster",
    help: "vCPUs per worker",
    description: "Optional. VCPUs per worker (0.25, 0.5, 1, 2, 4, 8, 16).",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "VCPU" },
  },
  "worker-memory": {
    kind: "text",
    default: d["worker-memory"],
    defaultIs: "spec",
    unit: "MiB, or a size such as 4GB",
    group: "cluster",
    help: "memory per worker, e.g. 4GB or 4096 (MiB), at least 512 MiB",
    description:
      "Optional. Memory per worker, e.g. 4GB or 4096 (MiB), at least 512 MiB; must be a Fargate size for the CPU.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "SIZE" },
  },
  "worker-threads": {
    kind: "text",
    group: "cluster",
    help: "threads per worker",
    description: "Optional. Threads per worker (default the worker's vCPUs, at least 1).",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "N", shownDefault: "its vCPUs" },
  },
  "scheduler-cpu": {
    kind: "text",
    default: d["scheduler-cpu"],
    defaultIs: "spec",
    unit: "vCPU",
    group: "cluster",
    help: "vCPUs of the scheduler",
    description: "Optional. VCPUs of the scheduler.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "VCPU" },
  },
  "scheduler-memory": {
    kind: "text",
    default: d["scheduler-memory"],
    defaultIs: "spec",
    unit: "MiB, or a size such as 2GB",
    group: "cluster",
    help: "memory of the scheduler, at least 512 MiB",
    description: "Optional. Memory of the scheduler, e.g. 2GB or 2048 (MiB), at least 512 MiB.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "SIZE" },
  },
  "cluster-id": {
    kind: "text",
    group: "cluster",
    help: "name of the cluster",
    description:
      "Required for down; optional otherwise. Name of the cluster (default gh-<run id>-<hash of repository/workflow/job>, so a re-run replaces its own cluster).",
    checkedBy: "reader",
    action: { commands: ["up", "run", "down"] },
    cli: {
      commands: ["plan", "up", "run", "status", "scale", "logs", "down"],
      value: "ID",
      shownDefault: "dfa- and 8 random hex digits",
      wording: {
        status: { help: "only this cluster", default: "every recorded one" },
        scale: RECORDED_ID,
        logs: RECORDED_ID,
        down: RECORDED_ID,
      },
    },
  },
  "idle-timeout": {
    kind: "text",
    default: d["idle-timeout"],
    defaultIs: "spec",
    unit: "seconds, or a duration such as 30m",
    group: "cluster",
    help: "the scheduler stops after this long without work (at most 2h)",
    description: "Optional. The scheduler stops itself after this long without work, e.g. 30m.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "DURATION" },
  },
  "max-lifetime": {
    kind: "text",
    default: d["max-lifetime"],
    defaultIs: "spec",
    unit: "seconds, or a duration such as 6h",
    group: "cluster",
    help: "every container stops after this long, even unattended (at most 24h)",
    description:
      "Optional. Hard limit inside every container, also if the runner dies, e.g. 6h (at most 24h unless allow-unbounded-cost).",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "DURATION" },
  },
  "allow-unbounded-cost": {
    kind: "boolean",
    group: "cluster",
    help: "lift the cost limits: max-lifetime 24h, idle-timeout 2h, 128 vCPUs in all",
    description:
      "Optional. Lift the cost limits (max-lifetime at most 24h, idle-timeout at most 2h, 128 vCPUs in all). Set an AWS Budgets alert first.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN },
  },
  "max-worker-replacements": {
    kind: "text",
    group: "cluster",
    help: "workers lost during the job that are replaced, at most (0: none)",
    description:
      "Optional, for run. Workers lost during the job (Spot interruption, out of memory, a crash) that are replaced, at most; empty means 2 × workers, 0 turns replacement off.",
    checkedBy: "cluster spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "N", shownDefault: "2 × workers" },
  },
  tls: {
    kind: "boolean",
    default: d.tls,
    defaultIs: "applied",
    group: "cluster",
    help: "plain TCP between Dask endpoints (default: mutual TLS, per-cluster CA)",
    description: "Optional. Mutual TLS between all Dask endpoints with a per-cluster CA.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, flag: "no-tls", negated: true },
  },
  readiness: {
    kind: "one-of",
    values: READINESS,
    group: "cluster",
    help: "when the cluster counts as ready: every task running, or every worker registered with the scheduler",
    description:
      "Optional. When the cluster counts as ready: running (every task running) or registered (every worker registered with the scheduler; on Fargate the runner must reach the dashboard: client-cidr with open-dashboard). Default: registered on docker, running on fargate.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: {
      commands: PLAN_UP_RUN,
      value: "running|registered",
      shownDefault: "registered on docker, running on fargate",
    },
  },
  repository: {
    kind: "text",
    group: "cluster",
    help: [
      "the github.repository tag: up, run and plan put it on everything they create (in a workflow:",
      '--repository "$GITHUB_REPOSITORY", for the per-repository IAM policy); reap acts only on clusters',
      "that carry it; setup-roles prints the CI policy limited to that repository's clusters instead",
    ].join("\n"),
    description: "The github.repository tag.",
    checkedBy: "reader",
    action: {
      absent:
        "the action tags what it creates with the workflow's own repository (GITHUB_REPOSITORY); reap-repository picks what reap removes",
    },
    cli: { commands: ["plan", "up", "run", "reap", "setup-roles"], value: "OWNER/NAME" },
  },
  "state-dir": {
    kind: "text",
    group: "cluster",
    help: "where cluster records are kept (or DASK_FARGATE_STATE_DIR)",
    description: "Where cluster records are kept.",
    checkedBy: "command",
    action: { absent: "the action keeps a started cluster in the step's saved state, for its post step" },
    cli: {
      commands: ["plan", "up", "run", "status", "scale", "logs", "down"],
      value: "DIR",
      shownDefault: "~/.dask-fargate",
    },
  },
  "job-command": {
    kind: "text",
    group: "job",
    help: "the job, run with sh -c (DASK_SCHEDULER_ADDRESS is set)",
    description: "Required for run. The job, run with sh -c; DASK_SCHEDULER_ADDRESS and DFA_EXPECTED_WORKERS are set.",
    checkedBy: "reader",
    action: { commands: ["run"] },
    cli: { commands: ["run"], value: "COMMAND" },
  },
  "job-runs-on": {
    kind: "one-of",
    values: JOB_RUNS_ON,
    default: d["job-runs-on"],
    defaultIs: "applied",
    group: "job",
    help: "in a container beside the cluster, or on this machine",
    description:
      "Optional, for run. Where the job runs: cluster (a task or container beside the cluster, so the scheduler needs no outside address) or runner (this runner; with fargate it needs client-cidr).",
    checkedBy: "reader",
    action: { commands: ["run"] },
    cli: { commands: ["run"], value: "cluster|runner" },
  },
  "job-workdir": {
    kind: "text",
    default: d["job-workdir"],
    defaultIs: "applied",
    group: "job",
    help: "the job's files: mounted read-only at /job, or its working directory",
    description:
      "Optional, for run with job-runs-on runner or backend docker (a job in a Fargate cluster runs from the image: another directory is refused). Directory with the job's files: the working directory on the runner, mounted read-only at /job in a docker cluster.",
    checkedBy: "command",
    action: { commands: ["run"] },
    cli: { commands: ["run"], value: "DIR" },
  },
  "job-env": {
    kind: "list",
    group: "job",
    help: [
      "a variable of this shell a job on this machine also inherits (repeatable); it otherwise gets only",
      "PATH, HOME, locale, proxy, Python/conda, GITHUB_*/RUNNER_* (no tokens), AWS_* and DASK_* variables",
    ].join("\n"),
    description:
      "Optional, with job-runs-on runner. Names (one a line, or comma-separated) of variables of this step's env that a job on the runner inherits, e.g. WANDB_API_KEY set with env: on this step. A job on the runner gets only PATH, HOME, locale, proxy and CA settings, an activated Python/conda environment, GITHUB_* and RUNNER_* context (no tokens or file commands), the standard AWS_* variables and the Dask ones; never INPUT_* or ACTIONS_*. Only with job-runs-on: runner.",
    checkedBy: "reader",
    action: { commands: ["run"] },
    cli: { commands: ["run"], repeatable: true, value: "NAME" },
  },
  "job-user": {
    kind: "text",
    group: "job",
    help: "run a job on this machine as this unprivileged user (name or uid[:gid]; needs root), so it cannot read this process's environment",
    description:
      "Optional, with job-runs-on runner. Run a job on the runner as this unprivileged user (a name such as nobody, a uid, or uid:gid), so that it cannot read this action's environment (its tokens) through /proc. Needs the action to run as root (a self-hosted or container runner); the job then has its own HOME and its own copy of the client TLS files, and owns output-dir while it runs. Only with job-runs-on: runner. Default: the action's own user.",
    checkedBy: "reader",
    action: { commands: ["run"] },
    cli: { commands: ["run"], value: "USER" },
  },
  "job-timeout": {
    kind: "text",
    unit: "seconds, or a duration such as 90m",
    group: "job",
    help: "stop the job after this long (seconds, or 90m, 2h), remove the cluster, exit 124",
    description:
      "Optional, for run. Stop the job after this long (seconds, or a number with s, m or h: 90m, 2h): the cluster is removed and the step fails with exit code 124. Default: no limit of its own (the cluster's max-lifetime still ends it).",
    checkedBy: "command",
    action: { commands: ["run"] },
    cli: { commands: ["run"], value: "DURATION" },
  },
  "output-dir": {
    kind: "text",
    group: "job",
    help: "where the files the job writes to $DFA_OUTPUT_DIR end up on this machine",
    description:
      "Optional, for run. Where the files the job writes to $DFA_OUTPUT_DIR end up on the runner, for actions/upload-artifact (default: RUNNER_TEMP/dask-fargate-output/<cluster-id>). Also set as the output-dir output.",
    checkedBy: "command",
    action: { commands: ["run"] },
    cli: { commands: ["run"], value: "DIR", shownDefault: "./dask-fargate-output/<cluster-id>" },
  },
  "output-uri": {
    kind: "text",
    group: "job",
    backends: FARGATE,
    help: "Fargate, job in the cluster: the files go here (under the cluster id) first",
    description:
      "Required for a job in a Fargate cluster whose files (DFA_OUTPUT_DIR) must come back; without it they stay in the cluster and the run warns before it starts. An s3://bucket/prefix the job's files go to first (under the cluster id and a fresh attempt token, with a manifest signed by the cluster's key), then down to output-dir. The managed task role needs the one static policy of dask-fargate setup-roles --output-uri; runs write no IAM.",
    checkedBy: "Fargate spec",
    action: { commands: ["run"] },
    cli: {
      commands: ["run", "setup-roles"],
      value: "s3://BUCKET/PREFIX",
      wording: {
        "setup-roles": {
          help: "let job tasks s3:PutObject under this prefix (one static policy on the task role); up then only checks it",
        },
      },
    },
  },
  region: {
    kind: "text",
    group: "fargate",
    backends: FARGATE,
    help: "AWS region",
    description:
      "Required with backend fargate unless AWS_REGION is set (aws-actions/configure-aws-credentials sets it). AWS region (default AWS_REGION, which aws-actions/configure-aws-credentials sets).",
    checkedBy: "Fargate spec",
    action: { commands: ["up", "run", "down", "reap"] },
    cli: {
      commands: ["plan", "up", "run", "logs", "down", "reap", "setup-roles"],
      value: "REGION",
      shownDefault: "AWS_REGION",
      wording: {
        "setup-roles": {
          help: "picks the STS and IAM endpoints (IAM itself is global)",
          default: "AWS_REGION, else us-east-1",
        },
      },
    },
  },
  architecture: {
    kind: "one-of",
    values: ARCHITECTURES,
    default: d.architecture,
    defaultIs: "spec",
    group: "fargate",
    backends: FARGATE,
    help: "CPU architecture of the tasks",
    description: "Optional, fargate. Fargate CPU architecture: X86_64 or ARM64.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "X86_64|ARM64" },
  },
  "spot-workers": {
    kind: "boolean",
    group: "fargate",
    backends: FARGATE,
    help: "workers on Fargate Spot, falling back to on-demand",
    description: "Optional, fargate. Run workers on Fargate Spot, falling back to on-demand when Spot has no capacity.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN },
  },
  subnets: {
    kind: "list",
    group: "fargate",
    backends: FARGATE,
    help: "subnets",
    description: "Optional, fargate. Subnet ids, comma-separated (default the default VPC's subnets).",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "ID,ID", shownDefault: "the default VPC's" },
  },
  "security-groups": {
    kind: "list",
    group: "fargate",
    backends: FARGATE,
    help: "use these groups instead of creating one",
    description:
      "Optional, fargate. Security group ids to use instead of creating one; they must admit each other on all TCP ports.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "ID,ID" },
  },
  "assign-public-ip": {
    kind: "one-of",
    values: TRUE_FALSE,
    group: "fargate",
    backends: FARGATE,
    help: "public IPs for tasks",
    description:
      "Optional, fargate. True or false; default true in the default VPC (public subnets, to pull images), false otherwise.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "true|false", shownDefault: "true in the default VPC" },
  },
  "ecs-cluster": {
    kind: "text",
    group: "fargate",
    backends: FARGATE,
    help: "run in an existing ECS cluster (never deleted)",
    description: "Optional, fargate. An existing ECS cluster to run in (never deleted); default a cluster per run.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "NAME" },
  },
  "execution-role-arn": {
    kind: "text",
    group: "fargate",
    backends: FARGATE,
    help: "execution role instead of the managed one",
    description:
      "Required with secrets (a role that may read them); optional otherwise. ECS task execution role to use instead of the managed one.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "ARN" },
  },
  "task-role-arn": {
    kind: "text",
    group: "fargate",
    backends: FARGATE,
    help: "task role instead of the managed one",
    description:
      "Optional, fargate. Task role (what the Dask code may do) instead of the managed one, which has only the policies an administrator attached with dask-fargate setup-roles --task-role-policy-arns. Give per-run permissions to a role of your own here.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "ARN" },
  },
  "task-role-policy-arns": {
    kind: "list",
    group: "fargate",
    backends: FARGATE,
    help: [
      "policies the managed task role must have: up attaches nothing, it checks that an administrator",
      "attached them once with dask-fargate setup-roles --task-role-policy-arns (and refuses before",
      "anything is created when one is missing)",
    ].join("\n"),
    description:
      "Optional, fargate. Managed policies, comma-separated, the managed task role must have. A run attaches nothing (every cluster shares that role): the start checks with iam:ListAttachedRolePolicies that an administrator attached them once with dask-fargate setup-roles --task-role-policy-arns, and refuses before anything is created when one is missing.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: {
      commands: ["plan", "up", "run", "setup-roles"],
      value: "ARN,ARN",
      wording: {
        "setup-roles": {
          help: "managed policies to attach to the task role (e.g. read an S3 bucket); up then only checks them",
        },
      },
    },
  },
  secrets: {
    kind: "lines",
    group: "fargate",
    backends: FARGATE,
    help: [
      "variable NAME in every task, read by ECS at task start from a Secrets Manager secret or SSM",
      "parameter ARN (repeatable; needs --execution-role-arn with a role that may read it);",
      "--job-command itself is visible in AWS, so keep secrets out",
    ].join("\n"),
    description:
      "Optional, fargate. Variables every task (scheduler, workers, job in the cluster) gets from Secrets Manager or SSM Parameter Store, one NAME=ARN a line (NAME=arn:aws:secretsmanager:REGION:ACCOUNT:secret:ID or NAME=arn:aws:ssm:REGION:ACCOUNT:parameter/PATH). ECS reads them at task start, so only ARNs reach the task definition, never job-command or logs. Needs execution-role-arn: a role that may read them. Refused on the docker backend.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, flag: "secret", repeatable: true, value: "NAME=ARN" },
  },
  "client-cidr": {
    kind: "text",
    group: "fargate",
    backends: FARGATE,
    help: "let this address reach the scheduler (e.g. your IP/32; at most a /16; needs TLS)",
    description:
      "Required for job-runs-on runner with backend fargate; optional otherwise. CIDR that may reach the scheduler (8786), e.g. the runner's address/32 (at most a /16; TLS must be on); needed for job-runs-on runner with fargate.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "CIDR" },
  },
  "open-dashboard": {
    kind: "boolean",
    group: "fargate",
    backends: FARGATE,
    help: "open the dashboard port (plain HTTP) to --client-cidr as well",
    description: "Optional, with client-cidr. Open the dashboard port (8787, plain HTTP) to client-cidr as well.",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN },
  },
  "allow-public-ingress": {
    kind: "boolean",
    group: "fargate",
    backends: FARGATE,
    help: "open the scheduler port to 0.0.0.0/0 (not recommended; needs TLS)",
    description:
      "Optional, fargate. Open the scheduler port (8786) to 0.0.0.0/0 (not recommended: a warning is printed; TLS must be on); also allows a client-cidr wider than /16.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN },
  },
  "platform-version": {
    kind: "text",
    default: d["platform-version"],
    defaultIs: "spec",
    group: "fargate",
    backends: FARGATE,
    help: "Fargate platform version",
    description: "Optional, fargate. Fargate platform version of every task (8 and 16 vCPU need 1.4.0 or later).",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "VERSION" },
  },
  "ephemeral-storage": {
    kind: "whole number",
    unit: "GiB",
    group: "fargate",
    backends: FARGATE,
    help: "21-200 GiB per task",
    description:
      "Optional, fargate. Ephemeral storage of every task in GiB, 21-200 (default Fargate's 20 GiB); the image counts against it.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "GIB" },
  },
  "log-retention-days": {
    kind: "whole number",
    default: d["log-retention-days"],
    defaultIs: "spec",
    unit: "days",
    group: "fargate",
    backends: FARGATE,
    help: "CloudWatch Logs retention",
    description: "Optional, fargate. CloudWatch Logs retention of the cluster's log group.",
    checkedBy: "Fargate spec",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN, value: "N" },
  },
  "keep-logs": {
    kind: "boolean",
    group: "fargate",
    backends: FARGATE,
    help: "keep the log group after teardown",
    description:
      "Optional, fargate. Keep the cluster's CloudWatch log group after teardown (by default the teardown deletes it).",
    checkedBy: "reader",
    action: { commands: UP_RUN },
    cli: { commands: PLAN_UP_RUN },
  },
  "older-than": {
    kind: "text",
    unit: "seconds, or a duration such as 12h",
    group: "reap",
    help: "also clusters older than this, whatever their expiry",
    description: "Optional, for reap. Also remove clusters created longer ago than this, e.g. 12h.",
    checkedBy: "reader",
    action: { commands: ["reap"] },
    cli: { commands: ["reap"], value: "DURATION" },
  },
  "reap-repository": {
    kind: "text",
    group: "reap",
    help: "only clusters started from this repository",
    description:
      "Optional, for reap. Only clusters started from this repository (their github.repository tag); default this repository; * for every repository of the account.",
    checkedBy: "command",
    action: { commands: ["reap"] },
    cli: {
      absent:
        "the CLI's reap takes --repository (no repository: every cluster of the account), as up, run and plan do for their tag",
    },
  },
  "dry-run": {
    kind: "boolean",
    group: "reap",
    help: "list what would be removed, remove nothing",
    description: "Optional, for reap. List what would be removed, remove nothing.",
    checkedBy: "reader",
    action: { commands: ["reap"] },
    cli: { commands: ["reap"] },
  },
  tail: {
    kind: "text",
    group: "output",
    help: "lines per member",
    description: "Lines per member.",
    checkedBy: "command",
    action: { absent: "the action shows a stopped member's last lines in its job summary; it has no logs command" },
    cli: { commands: ["logs"], value: "N", shownDefault: "50" },
  },
  "permissions-boundary": {
    kind: "text",
    group: "setup",
    help: "boundary for roles it creates (required by docs/aws/ci-creates-roles-policy.json, the policy that lets CI create the roles)",
    description: "Permissions boundary of the roles setup-roles creates.",
    checkedBy: "command",
    action: { absent: "setup-roles runs once per account as an administrator, not from a workflow" },
    cli: { commands: ["setup-roles"], value: "ARN" },
  },
  "print-cloudformation": {
    kind: "boolean",
    group: "setup",
    help: "print the same roles as a CloudFormation template instead",
    description: "Print the roles as a CloudFormation template.",
    checkedBy: "command",
    action: { absent: "setup-roles runs once per account as an administrator, not from a workflow" },
    cli: { commands: ["setup-roles"] },
  },
  json: {
    kind: "boolean",
    group: "output",
    help: "print the result as JSON on stdout",
    description: "Print the result as JSON.",
    checkedBy: "command",
    action: { absent: `${TERMINAL_ONLY} (run's result output is the same JSON)` },
    cli: { commands: ["build", "plan", "up", "status", "scale", "run", "logs", "down", "reap", "setup-roles"] },
  },
  verbose: {
    kind: "boolean",
    group: "output",
    help: "also print the requests a start would send (plan prints a summary without them)",
    description: "Print the requests a start would send.",
    checkedBy: "command",
    action: { absent: `${TERMINAL_ONLY}; the action has no plan command` },
    cli: { commands: ["plan"] },
  },
} as const satisfies Record<string, SettingSpec>;

/** A setting's name: the action input's name (and the CLI flag's, unless its row spells it otherwise). */
export type SettingName = keyof typeof SETTINGS;

/** Every setting's name, in table order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The row of a setting, typed as a row (not as its literal). */
export function settingOf(name: SettingName): SettingSpec {
  return SETTINGS[name];
}

/** The settings the action takes as inputs (a row whose `action` is not absent). */
export type ActionInputName = {
  [K in SettingName]: (typeof SETTINGS)[K]["action"] extends { readonly commands: unknown } ? K : never;
}[SettingName];

/** The settings the CLI takes as flags (a row whose `cli` is not absent). */
export type CliSettingName = {
  [K in SettingName]: (typeof SETTINGS)[K]["cli"] extends { readonly commands: unknown } ? K : never;
}[SettingName];
