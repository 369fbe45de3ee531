import { COMMAND_FLAGS, type CommandName, FLAGS, type FlagName } from "./flags.js";

/** What help says about a command besides its flags (which come from core's settings table, through flags.ts). */
interface CommandText {
  /** One line for the command list. */
  readonly summary: string;
  readonly usage: string;
  readonly about?: string;
  readonly examples: readonly string[];
}

const COMMANDS: Record<CommandName, CommandText> = {
  build: {
    summary: "build (or reuse) the Dask image for an environment file or a Dockerfile",
    usage: `dask-fargate build --environment-file FILE [--image REPOSITORY] [flags]
       dask-fargate build --dockerfile FILE [--context DIR] [--target STAGE] [--image REPOSITORY] [flags]`,
    about: `Builds the image, or reports "unchanged" when the image with the content tag exists (in the registry when
--image names one, else on the local engine), and pushes it when --image names a registry repository. With
--dockerfile the tag hashes the Dockerfile, every file the context sends (after .dockerignore; never .git)
and the platform; the context must be inside the current directory. When the image is on this engine, a
second line shows what it holds (python, dask, distributed, xgboost and scikit-learn versions, read back
from the image; --json gives every package). Builds use BuildKit (RUN --mount=type=cache and bind, COPY --chmod,
multi-stage; --target picks a stage); a pushed image also shows its compressed size and the pull it costs at
a Fargate task's start.`,
    examples: [
      "dask-fargate build --environment-file examples/environment.yml --image ghcr.io/org/dask",
      "dask-fargate build --dockerfile examples/Dockerfile --build-arg BASE_IMAGE=python:3.11-slim --image ghcr.io/org/dask",
    ],
  },
  plan: {
    summary: "validate the cluster settings, run the start's preflight, print what a start would create and cost",
    usage: "dask-fargate plan [flags]",
    about: `Validates the settings, runs the start's preflight on Fargate (image for the architecture, subnets and
their routes or VPC endpoints, vCPU quotas, the task role's policies; read-only calls) and prints a summary:
what a start would create, sizes, Spot, the network path, each preflight check with its fix, the cost per
hour and at most. --verbose adds the requests a start would send; --json prints all of it as one document.
Creates nothing. Exit codes: 0 the start would go ahead; 1 preflight would refuse it; 2 bad input;
3 preflight could not run (no AWS credentials, the endpoint not reachable): nothing was checked.`,
    examples: [
      "dask-fargate plan --backend fargate --region eu-west-1 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dask:env-0123456789abcdef --workers 25",
      "dask-fargate plan --backend fargate --region eu-west-1 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dask:env-0123456789abcdef --json",
    ],
  },
  up: {
    summary: "start a cluster and print how to connect to it",
    usage: "dask-fargate up [flags]",
    about: "Starts a cluster that lives until down (or its idle timeout or max lifetime) and prints how to connect.",
    examples: ["dask-fargate up --image dask-fargate-env:env-0123456789abcdef --workers 4"],
  },
  status: {
    summary: "list recorded clusters and their registered workers",
    usage: "dask-fargate status [flags]",
    about: "Lists the clusters recorded by up (in --state-dir) with the workers registered right now.",
    examples: ["dask-fargate status --json"],
  },
  scale: {
    summary: "change the number of workers of a running cluster",
    usage: "dask-fargate scale --workers N [flags]",
    about: "Starts more workers (and waits until they run) or stops the most recent ones.",
    examples: ["dask-fargate scale --cluster-id dfa-0123abcd --workers 16"],
  },
  run: {
    summary: "build/reuse the image, start a cluster, run a job, tear everything down",
    usage: "dask-fargate run --job-command COMMAND [flags]",
    about: `The cluster is removed whatever happens (job failure, --job-timeout, error, SIGINT/SIGTERM); the exit code
is the job's (124 after --job-timeout, 130 when interrupted).`,
    examples: [
      `dask-fargate run --environment-file examples/requirements.txt --base-image "$(scripts/make-offline-image.sh)" \\
    --job-workdir examples --job-command "python3 train_xgboost.py"`,
      `dask-fargate run --backend fargate --region eu-west-1 --dockerfile examples/Dockerfile --build-arg BASE_IMAGE=python:3.11-slim \\
    --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dask --job-command "python3 -m training.train_xgboost"`,
    ],
  },
  logs: {
    summary: "the last lines of every member of a cluster",
    usage: "dask-fargate logs [--cluster-id ID] [flags]",
    about: "Prints the last lines of every member: container output on Docker, CloudWatch streams on Fargate.",
    examples: ["dask-fargate logs --cluster-id dfa-0123abcd --tail 100"],
  },
  down: {
    summary: "remove a cluster and everything it created",
    usage: "dask-fargate down [--cluster-id ID] [flags]",
    about: `Removes everything the cluster created. Without a record, --cluster-id finds the cluster by its labels
(docker) or tags (fargate: give --backend fargate and its --region). Idempotent.`,
    examples: ["dask-fargate down --backend fargate --region eu-west-1 --cluster-id gh-1234567890-a1b2c3"],
  },
  reap: {
    summary: "remove this tool's clusters that are past their expiry",
    usage: "dask-fargate reap [flags]",
    about: `Removes this tool's clusters whose expires-at label/tag passed (or older than --older-than); never touches
anything without our labels or tags. Every resource is checked by its own tags (managed-by and cluster id)
before it is stopped or deleted.`,
    examples: ["dask-fargate reap --backend fargate --region eu-west-1 --older-than 12h --dry-run"],
  },
  "setup-roles": {
    summary: "create the two IAM roles tasks use, once, as an administrator",
    usage: `dask-fargate setup-roles [flags]
       dask-fargate setup-roles --print-cloudformation`,
    about: `Creates the two IAM roles every Fargate cluster's tasks use, dask-fargate-action-execution (image pull,
logs, this tool's TLS secrets) and dask-fargate-action-task (what the Dask code may do), with trust
policies limited to ECS tasks of this account (aws:SourceAccount, aws:SourceArn), and attaches
--task-role-policy-arns to the task role; --output-uri puts the one policy that lets job tasks upload
outputs there. Run it once per account with administrator credentials:
afterwards the identity CI uses needs only iam:GetRole, iam:ListAttachedRolePolicies and iam:PassRole
(docs/aws/tool-policy.json), and up checks that the policies it is given are attached. Idempotent: existing
roles are kept, and get the guarded trust policy if they lack it. --region only picks the STS and IAM
endpoints (IAM itself is global).`,
    examples: [
      "dask-fargate setup-roles --task-role-policy-arns arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
      "dask-fargate setup-roles --output-uri s3://my-team-models/nightly",
      "dask-fargate setup-roles --print-cloudformation > dask-fargate-roles.json",
    ],
  },
};

/** Help lines for flags in the table's words (for `command`, where the table words a flag for it): `--name VALUE  help (default X)`. */
export function flagLines(names: readonly FlagName[], command?: CommandName): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const table = FLAGS[name];
    const own = command === undefined ? undefined : table.wording?.[command];
    const shown = own?.default === undefined ? table.default : (own.default ?? undefined);
    const left = `  --${name}${table.value ? ` ${table.value}` : ""}`;
    const text = (own?.help ?? table.help).split("\n");
    if (shown !== undefined) text[text.length - 1] += ` (default ${shown})`;
    lines.push(left.length < 31 ? `${left.padEnd(31)}${text[0]}` : `${left}\n${" ".repeat(31)}${text[0]}`);
    for (const line of text.slice(1)) lines.push(`${" ".repeat(31)}${line}`);
  }
  return lines;
}

/** The help of one command: usage, what it does, every flag it takes with its default, examples. */
export function commandHelp(command: CommandName): string {
  const text = COMMANDS[command];
  const groups = Object.entries(COMMAND_FLAGS[command]) as [string, readonly FlagName[]][];
  const flags = groups.flatMap(([heading, names], i) => [
    ...(i > 0 ? ["", heading] : []),
    ...flagLines(names, command),
  ]);
  return [
    `Usage: ${text.usage}`,
    ...(text.about ? ["", text.about] : []),
    "",
    "Flags:",
    ...flags,
    "  -h, --help                   this help",
    "",
    text.examples.length > 1 ? "Examples:" : "Example:",
    ...text.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/** The top-level help: the commands and the exit codes. */
export function mainHelp(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    "Usage: dask-fargate COMMAND [flags]",
    "",
    "Commands:",
    ...names.map((name) => `  ${name.padEnd(width)}${COMMANDS[name].summary}`),
    "",
    "Run dask-fargate COMMAND --help for its flags and examples.",
    "Exit codes: 0 success; run: the job's exit code; 1 failure; 2 bad input; 3 plan: preflight could not run; 130 interrupted.",
  ].join("\n");
}

/** Help text per command, and `main` for the command list. */
export const HELP: Readonly<Record<CommandName | "main", string>> = {
  main: mainHelp(),
  ...(Object.fromEntries((Object.keys(COMMANDS) as CommandName[]).map((name) => [name, commandHelp(name)])) as Record<
    CommandName,
    string
  >),
};
