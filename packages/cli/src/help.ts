/** Help text per command; the flag names are the GitHub Action's input names. */
const CLUSTER = `  --backend docker|fargate     where the cluster runs (default docker: the local Docker Engine)
  --environment-file FILE      build (or reuse) the image for this environment first
  --dockerfile FILE            or build (or reuse) the image of your own Dockerfile (not with --environment-file)
  --context DIR                the Dockerfile's build context, inside the current directory (default its directory)
  --image IMAGE                the image to run (or, with --environment-file or --dockerfile, the repository to tag)
  --base-image REF             base image for the build (pinned by tag or digest)
  --platform PLATFORM          image platform: linux/amd64 (default) or linux/arm64
  --registry-username USER     log in to the image's registry as USER (or DFA_REGISTRY_USERNAME); the password
  --registry-password-stdin    is read from stdin (or DFA_REGISTRY_PASSWORD), never from the command line;
                               ECR logs in with the AWS credentials
  --no-push                    keep a built image on this engine (the fargate backend refuses: it pulls from a registry)
  --workers N                  number of workers (default 2)
  --worker-cpu VCPU            vCPUs per worker (default 1)
  --worker-memory SIZE         memory per worker, e.g. 4GB or 4096 (MiB), at least 512 MiB (default 4GB)
  --worker-threads N           threads per worker (default: its vCPUs)
  --scheduler-cpu VCPU         vCPUs of the scheduler (default 1)
  --scheduler-memory SIZE      memory of the scheduler, at least 512 MiB (default 2GB)
  --cluster-id ID              name of the cluster (default dfa- and 8 random hex digits)
  --idle-timeout DURATION      the scheduler stops after this long without work (default 30m, at most 2h)
  --max-lifetime DURATION      every container stops after this long, even unattended (default 6h, at most 24h)
  --allow-unbounded-cost       lift the cost limits: max-lifetime 24h, idle-timeout 2h, 128 vCPUs in all
  --no-tls                     plain TCP between Dask endpoints (default: mutual TLS, per-cluster CA)
  --state-dir DIR              where cluster records are kept (default ~/.dask-fargate)
  --json                       print the result as JSON on stdout

Fargate (--backend fargate; AWS credentials from the default chain):
  --region REGION              AWS region (default AWS_REGION)
  --architecture X86_64|ARM64  CPU architecture of the tasks (default X86_64)
  --spot-workers               workers on Fargate Spot, falling back to on-demand
  --subnets ID,ID              subnets (default: the default VPC's)
  --security-groups ID,ID      use these groups instead of creating one
  --assign-public-ip true|false  public IPs for tasks (default: true in the default VPC)
  --ecs-cluster NAME           run in an existing ECS cluster (never deleted)
  --execution-role-arn ARN     roles to use instead of the managed ones
  --task-role-arn ARN
  --task-role-policy-arns ARN,ARN  policies for the managed task role
  --secret NAME=ARN            variable NAME in every task, read by ECS at task start from a Secrets Manager
                               secret or SSM parameter ARN (repeatable; needs --execution-role-arn with a role
                               that may read it); --job-command itself is visible in AWS, so keep secrets out
  --client-cidr CIDR           let this address reach the scheduler (e.g. your IP/32; at most a /16; needs TLS)
  --open-dashboard             open the dashboard port (plain HTTP) to --client-cidr as well
  --allow-public-ingress       open the scheduler port to 0.0.0.0/0 (not recommended; needs TLS)
  --platform-version VERSION   Fargate platform version (default LATEST)
  --ephemeral-storage GIB      21-200 GiB per task
  --log-retention-days N       CloudWatch Logs retention (default 7)
  --keep-logs                  keep the log group after teardown`;

export const HELP: Record<string, string> = {
  main: `Usage: dask-fargate COMMAND [flags]

Commands:
  build    build (or reuse) the Dask image for an environment file
  plan     validate the cluster settings, print the requests a start would send, run its preflight
  up       start a cluster and print how to connect to it
  status   list recorded clusters and their registered workers
  scale    change the number of workers of a running cluster
  run      build/reuse the image, start a cluster, run a job, tear everything down
  logs     the last lines of every member of a cluster
  down     remove a cluster and everything it created
  reap     remove this tool's clusters that are past their expiry
  setup-roles  create the two IAM roles tasks use, once, as an administrator

Run dask-fargate COMMAND --help for its flags and examples.
Exit codes: 0 success; run: the job's exit code; 1 failure; 2 bad input; 130 interrupted.`,
  build: `Usage: dask-fargate build --environment-file FILE [--image REPOSITORY] [--base-image REF] [--platform P] [--force] [--json]
       dask-fargate build --dockerfile FILE [--context DIR] [--image REPOSITORY] [--platform P] [--force] [--json]

Builds the image, or reports "unchanged" when the image with the content tag exists (in the registry when
--image names one, else on the local engine). With --dockerfile the tag hashes the Dockerfile, every file
the context sends (after .dockerignore; never .git) and the platform; the context must be inside the current
directory. When the image is on this engine, a second line shows what it holds (python, dask, distributed,
xgboost and scikit-learn versions, read back from the image; --json gives every package).

Examples:
  dask-fargate build --environment-file examples/environment.yml --image ghcr.io/org/dask
  dask-fargate build --dockerfile Docker_image/Dockerfile --image ghcr.io/org/dask`,
  up: `Usage: dask-fargate up [flags]

${CLUSTER}

Example:
  dask-fargate up --image dask-fargate-env:env-0123456789abcdef --workers 4`,
  run: `Usage: dask-fargate run --job-command COMMAND [flags]

${CLUSTER}
  --job-command COMMAND        the job, run with sh -c (DASK_SCHEDULER_ADDRESS is set)
  --job-runs-on cluster|runner in a container beside the cluster (default) or on this machine
  --job-workdir DIR            the job's files: mounted read-only at /job, or its working directory (default .)
  --job-env NAME               a variable of this shell a job on this machine also inherits (repeatable); it
                               otherwise gets only PATH, HOME, locale, proxy, Python/conda, GITHUB_*/RUNNER_*
                               (no tokens), AWS_* and DASK_* variables
  --job-timeout DURATION       stop the job after this long (seconds, or 90m, 2h), remove the cluster, exit 124
  --output-dir DIR             where the files the job writes to $DFA_OUTPUT_DIR end up on this machine
                               (default ./dask-fargate-output/<cluster-id>)
  --output-uri s3://BUCKET/PREFIX  Fargate, job in the cluster: the files go here (under the cluster id) first
  --force                      rebuild the image even when unchanged

Example:
  dask-fargate run --environment-file examples/requirements.txt --base-image dask-fargate-action/offline-dask:bookworm \\
    --job-workdir examples --job-command "python3 train_xgboost.py"`,
  plan: `Usage: dask-fargate plan [flags]

Validates the settings and prints the requests up would send, the hourly cost and, on Fargate, the start's
preflight (image for the architecture, subnets and their routes or VPC endpoints, vCPU quotas; read-only
calls). Creates nothing; exits 1 when preflight would refuse the start.

${CLUSTER}

Example:
  dask-fargate plan --backend fargate --region eu-west-1 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dask:env-0123456789abcdef --workers 25`,
  status: `Usage: dask-fargate status [--cluster-id ID] [--json]

Lists the clusters recorded by up (in --state-dir) with the workers registered right now.

Example:
  dask-fargate status --json`,
  scale: `Usage: dask-fargate scale --workers N [--cluster-id ID] [--json]

Starts more workers (and waits until they run) or stops the most recent ones.

Example:
  dask-fargate scale --cluster-id dfa-0123abcd --workers 16`,
  logs: `Usage: dask-fargate logs [--cluster-id ID] [--tail N] [--backend docker|fargate --region R] [--json]

Prints the last N lines (default 50) of every member: container output on Docker, CloudWatch streams on Fargate.

Example:
  dask-fargate logs --cluster-id dfa-0123abcd --tail 100`,
  down: `Usage: dask-fargate down [--cluster-id ID] [--backend docker|fargate --region R] [--json]

Removes everything the cluster created. Without a record, --cluster-id finds the cluster by its labels
(docker) or tags (fargate). Idempotent.

Example:
  dask-fargate down --backend fargate --region eu-west-1 --cluster-id gh-1234567890-a1b2c3`,
  reap: `Usage: dask-fargate reap [--backend docker|fargate --region R] [--repository OWNER/NAME] [--older-than DURATION] [--dry-run] [--json]

Removes this tool's clusters whose expires-at label/tag passed (or older than --older-than); never touches
anything without our labels or tags. Every resource is checked by its own tags (managed-by and cluster id)
before it is stopped or deleted.
  --repository OWNER/NAME      only clusters started by the action in this repository (github.repository tag)

Example:
  dask-fargate reap --backend fargate --region eu-west-1 --older-than 12h --dry-run`,
  "setup-roles": `Usage: dask-fargate setup-roles [--region R] [--task-role-policy-arns ARN,ARN] [--permissions-boundary ARN] [--json]
       dask-fargate setup-roles --print-cloudformation

Creates the two IAM roles every Fargate cluster's tasks use, dask-fargate-action-execution (image pull,
logs, this tool's TLS secrets) and dask-fargate-action-task (what the Dask code may do), with trust
policies limited to ECS tasks of this account (aws:SourceAccount, aws:SourceArn). Run it once per account
with administrator credentials: afterwards the identity CI uses needs only iam:GetRole and iam:PassRole
(the README's IAM policy). Idempotent: existing roles are kept, and get the guarded trust policy if they
lack it.
  --task-role-policy-arns ARN,ARN  managed policies for the task role (e.g. read an S3 bucket)
  --permissions-boundary ARN   boundary for roles it creates (required by the README's policy variant
                               that lets CI create the roles)
  --print-cloudformation       print the same roles as a CloudFormation template instead
  --region REGION              endpoint region for STS and IAM (IAM itself is global; default AWS_REGION)

Examples:
  dask-fargate setup-roles --task-role-policy-arns arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
  dask-fargate setup-roles --print-cloudformation > dask-fargate-roles.json`,
};
