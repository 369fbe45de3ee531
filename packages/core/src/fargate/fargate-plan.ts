import type {
  CreateClusterCommandInput,
  Tag as EcsTag,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommandInput,
} from "@aws-sdk/client-ecs";
import type { FargateResources } from "../cluster.js";
import type { ClusterSpec } from "../cluster-spec.js";
import {
  DASHBOARD_PORT,
  jobCommand,
  SCHEDULER_PORT,
  schedulerCommand,
  TLS_DIR,
  TLS_FILES,
  workerCommand,
} from "../internal/dask-commands.js";
import { clusterLabels, type MemberRole } from "../internal/labels.js";
import { outputRunPrefix, parseOutputUri } from "../job-outputs.js";
import { fargateNames } from "./fargate-names.js";
import type { FargateSpec } from "./fargate-spec.js";
import {
  FIND_SCHEDULER_ENV,
  FIND_SCHEDULER_PY,
  findSchedulerCommand,
  findSchedulerEnvironment,
} from "./find-scheduler.js";
import type { SchedulerLookup } from "./find-scheduler-access.js";
import { UPLOAD_OUTPUTS_PY } from "./output-uploader.js";

/** RunTask starts at most 10 tasks per call (ECS API reference, RunTask `count`). */
export const RUN_TASK_MAX_COUNT = 10;

/**
 * Values that exist only once up has created something: the plan holds these markers where they go, and up
 * puts the real values in with {@link bindPlan} as each appears (the security group's id before the task
 * definitions, the secret's ARN before the task definitions, the scheduler's address before the workers).
 */
/** The key of the cluster secret's JSON that holds the output signing key (hex), read only by the job task. */
export const OUTPUT_KEY_FIELD = "outputs";
/** Where the attempt token goes in a dry run's plan (a real `up` makes a random one). */
export const PLANNED_OUTPUT_TOKEN = "<attempt token>";

export const PLAN_REFS = {
  securityGroupId: "<created: security group>",
  tlsSecretArn: "<created: TLS secret>",
  schedulerAddress: "<scheduler address>",
  schedulerTaskArn: "<created: scheduler task>",
} as const;

/** Real values for some of the {@link PLAN_REFS} markers. */
export type PlanRefValues = { -readonly [K in keyof typeof PLAN_REFS]?: string | undefined };

/** A copy of `value` (a plan or a part of it) with every marker of `values` replaced by its value, also inside longer strings. */
export function bindPlan<T>(value: T, values: PlanRefValues): T {
  const pairs = Object.entries(values).flatMap(([ref, real]) =>
    real === undefined ? [] : [[PLAN_REFS[ref as keyof typeof PLAN_REFS], real] as const],
  );
  const bind = (v: unknown): unknown => {
    if (typeof v === "string") return pairs.reduce((text, [marker, real]) => text.split(marker).join(real), v);
    if (Array.isArray(v)) return v.map(bind);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bind(x)]));
    return v;
  };
  return bind(value) as T;
}

/** What the planner needs to know that only exists once resources exist; placeholders in a dry run. */
export interface FargateFacts {
  readonly ecsCluster: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
  readonly tlsSecretArn: string | undefined;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** The subnets' VPC, where a created security group goes (preflight finds it; a placeholder in a dry run). */
  readonly vpcId?: string;
  /** With output-uri: the random token of this attempt, which names its outputs' prefix (made by `up`). */
  readonly outputToken?: string;
  /**
   * `workers-find-it`: the workers are launched right after the scheduler and look its address up themselves
   * (find-scheduler.ts); `after-ip` (default): launched once its IP is known, with the address in their command.
   */
  readonly schedulerLookup?: SchedulerLookup;
}

/** The facts of a cluster whose resources exist (scale, jobs, and the up that created them). */
export function factsOf(resources: FargateResources, createdAt: string, expiresAt: string): FargateFacts {
  return {
    ecsCluster: resources.ecsCluster,
    executionRoleArn: resources.executionRoleArn,
    taskRoleArn: resources.taskRoleArn,
    subnets: resources.subnets,
    securityGroups: resources.securityGroups,
    assignPublicIp: resources.assignPublicIp,
    tlsSecretArn: resources.tlsSecretArn,
    createdAt,
    expiresAt,
  };
}

/** The AWS requests that make a cluster: pure data, printed by a dry run and executed by `upFargateCluster`. */
export interface FargatePlan {
  readonly backend: "fargate";
  readonly clusterId: string;
  readonly region: string;
  /** Undefined when the tasks run in an existing ECS cluster. */
  readonly createCluster: CreateClusterCommandInput | undefined;
  readonly logGroup: { readonly name: string; readonly retentionInDays: number; readonly tags: Record<string, string> };
  /** Undefined when the user gave security groups. */
  readonly securityGroup:
    | {
        readonly name: string;
        readonly description: string;
        readonly vpcId: string;
        /** `clientPorts` opened to these CIDRs besides the group itself (which gets all TCP). */
        readonly clientCidrs: readonly string[];
        /** The scheduler port, and the dashboard's only when asked (open-dashboard). */
        readonly clientPorts: { readonly from: number; readonly to: number };
        readonly tags: { Key: string; Value: string }[];
        /** AuthorizeSecurityGroupIngress's permissions; the group's own id is {@link PLAN_REFS.securityGroupId} until it exists. */
        readonly ingress: IngressRule[];
      }
    | undefined;
  /** The secret's value (the members' TLS files) is made during up, never planned or printed. */
  readonly tlsSecret:
    | { readonly name: string; readonly description: string; readonly tags: { Key: string; Value: string }[] }
    | undefined;
  readonly taskDefinitions: Readonly<Record<MemberRole, RegisterTaskDefinitionCommandInput>>;
  readonly schedulerRun: RunTaskCommandInput;
  /**
   * The workers' RunTask batches (≤ 10 tasks each). With `after-ip` they are sent once the scheduler's ENI has its
   * private IP, each carrying the scheduler's address in its command override ({@link PLAN_REFS.schedulerAddress}
   * until it is known). With `workers-find-it` they are sent right after the scheduler's RunTask, each carrying the
   * scheduler task's ARN ({@link PLAN_REFS.schedulerTaskArn}) for its bootstrap to look the address up
   * (find-scheduler.ts). Either way no worker depends on when ECS reads its secrets (the TLS files: keys present
   * from the secret's creation on), and no override holds anything secret: an IP or an ARN.
   */
  readonly workerRuns: readonly RunTaskCommandInput[];
  /** How the workers learn the scheduler's address (see {@link workerRuns}). */
  readonly schedulerLookup: SchedulerLookup;
  /**
   * With Spot workers, `on-demand`: tasks Spot cannot place are requested again on on-demand Fargate
   * (the batch through `onDemandFallback`, with its own client token); `none` otherwise.
   */
  readonly workerFallback: "on-demand" | "none";
  readonly tags: Readonly<Record<string, string>>;
}

/** Tags as ECS wants them. */
export function ecsTags(tags: Readonly<Record<string, string>>): EcsTag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Tags as EC2, IAM and Secrets Manager want them. */
export function awsTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * With TLS, the PEM files come from Secrets Manager as environment variables (ECS `secrets`: only the
 * ARN is in the task definition). This shell preamble writes them to files readable by the container's
 * user only, removes them from the environment and execs the Dask command. Fixed text, no user input.
 */
export const TLS_PREAMBLE = [
  "umask 077",
  `mkdir -p ${TLS_DIR}`,
  `printf '%s\\n' "$DFA_TLS_CA" > ${TLS_DIR}/${TLS_FILES.ca}`,
  `printf '%s\\n' "$DFA_TLS_CERT" > ${TLS_DIR}/${TLS_FILES.cert}`,
  `printf '%s\\n' "$DFA_TLS_KEY" > ${TLS_DIR}/${TLS_FILES.key}`,
  "unset DFA_TLS_CA DFA_TLS_CERT DFA_TLS_KEY",
  'exec "$@"',
].join(" && ");

/** A container command, behind the TLS preamble when TLS is on. */
export function containerCommand(spec: ClusterSpec, command: readonly string[]): string[] {
  return spec.tls ? ["sh", "-c", TLS_PREAMBLE, "sh", ...command] : [...command];
}

/** Plans every AWS request of a cluster from the validated specs and the facts. Pure: same input, same plan. */
export function planFargateCluster(spec: ClusterSpec, fargate: FargateSpec, facts: FargateFacts): FargatePlan {
  const tags = clusterLabels(spec.clusterId, facts.createdAt, facts.expiresAt, spec.labels);
  const logGroup = fargateNames.logGroup(spec.clusterId);
  const clientCidrs = [
    ...(fargate.clientCidr ? [fargate.clientCidr] : []),
    ...(fargate.allowPublicIngress ? ["0.0.0.0/0"] : []),
  ];
  const taskDefinition = (role: MemberRole): RegisterTaskDefinitionCommandInput => {
    const size = role === "worker" ? fargate.workerSize : fargate.schedulerSize;
    const output = role === "job" && fargate.outputUri ? parseOutputUri(fargate.outputUri) : undefined;
    const command =
      role === "scheduler"
        ? schedulerCommand(spec)
        : role === "worker"
          ? workerCommand(spec, "scheduler-address-set-per-run")
          : jobCommand(spec, { uploadOutputs: output !== undefined });
    const secrets = [
      ...Object.entries(fargate.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
      ...(facts.tlsSecretArn
        ? [
            { name: "DFA_TLS_CA", valueFrom: `${facts.tlsSecretArn}:ca::` },
            { name: "DFA_TLS_CERT", valueFrom: `${facts.tlsSecretArn}:cert::` },
            { name: "DFA_TLS_KEY", valueFrom: `${facts.tlsSecretArn}:key::` },
          ]
        : []),
      // The key the job's uploader signs its outputs' manifest with: only this cluster's secret holds it.
      ...(facts.tlsSecretArn && output
        ? [{ name: "DFA_OUTPUT_KEY", valueFrom: `${facts.tlsSecretArn}:${OUTPUT_KEY_FIELD}::` }]
        : []),
    ];
    return {
      family: fargateNames.family(spec.clusterId, role),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: String(size.cpu),
      memory: String(size.memory),
      runtimePlatform: { cpuArchitecture: fargate.architecture, operatingSystemFamily: "LINUX" },
      executionRoleArn: facts.executionRoleArn,
      taskRoleArn: facts.taskRoleArn,
      ...(fargate.ephemeralStorage ? { ephemeralStorage: { sizeInGiB: fargate.ephemeralStorage } } : {}),
      containerDefinitions: [
        {
          name: fargateNames.container,
          image: spec.image,
          essential: true,
          // The whole task's memory: one container per task.
          memory: size.memory,
          command: containerCommand(spec, command),
          // With initProcessEnabled, an image whose entrypoint is tini (ours: `tini -g --`) runs it below ECS's init,
          // where it warns in every log that it is not PID 1; as a child subreaper it has no reason to (tini's README).
          environment: [
            { name: "TINI_SUBREAPER", value: "1" },
            // The worker's bootstrap when it looks its scheduler up itself: too long for every RunTask's overrides.
            ...(role === "worker" ? [{ name: FIND_SCHEDULER_ENV, value: FIND_SCHEDULER_PY }] : []),
            ...Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
            // The job's uploader and where it puts the files: fixed per cluster, so in the definition, not in each RunTask's overrides.
            ...(output
              ? [
                  { name: "DFA_UPLOAD_OUTPUTS", value: UPLOAD_OUTPUTS_PY },
                  { name: "DFA_OUTPUT_BUCKET", value: output.bucket },
                  {
                    name: "DFA_OUTPUT_PREFIX",
                    value: outputRunPrefix(output, spec.clusterId, facts.outputToken ?? PLANNED_OUTPUT_TOKEN),
                  },
                  { name: "DFA_OUTPUT_CLUSTER", value: spec.clusterId },
                  { name: "DFA_OUTPUT_TOKEN", value: facts.outputToken ?? PLANNED_OUTPUT_TOKEN },
                ]
              : []),
          ],
          ...(secrets.length > 0 ? { secrets } : {}),
          ...(role === "scheduler"
            ? {
                portMappings: [SCHEDULER_PORT, DASHBOARD_PORT].map((containerPort) => ({
                  containerPort,
                  protocol: "tcp" as const,
                })),
              }
            : {}),
          // Docker's init reaps zombies and forwards signals whatever the image's entrypoint is.
          linuxParameters: { initProcessEnabled: true },
          ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
          // Time for Dask to close cleanly after SIGTERM (Fargate allows up to 120 s).
          stopTimeout: 30,
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroup, "awslogs-region": fargate.region, "awslogs-stream-prefix": role },
          },
        },
      ],
      tags: ecsTags({ ...tags, "io.dask-fargate-action.role": role }),
    };
  };
  return {
    backend: "fargate",
    clusterId: spec.clusterId,
    region: fargate.region,
    createCluster: fargate.ecsCluster
      ? undefined
      : {
          clusterName: fargateNames.ecsCluster(spec.clusterId),
          capacityProviders: ["FARGATE", "FARGATE_SPOT"],
          tags: ecsTags(tags),
          settings: [{ name: "containerInsights", value: "disabled" }],
        },
    logGroup: { name: logGroup, retentionInDays: fargate.logRetentionDays, tags },
    securityGroup: fargate.securityGroups
      ? undefined
      : {
          name: fargateNames.securityGroup(spec.clusterId),
          description: `dask-fargate-action cluster ${spec.clusterId}: members reach each other on all TCP ports`,
          vpcId: facts.vpcId ?? "<the subnets' VPC>",
          clientCidrs,
          clientPorts: { from: SCHEDULER_PORT, to: fargate.openDashboard ? DASHBOARD_PORT : SCHEDULER_PORT },
          tags: awsTags({ ...tags, Name: fargateNames.securityGroup(spec.clusterId) }),
          ingress: ingressPermissions(PLAN_REFS.securityGroupId, clientCidrs, {
            from: SCHEDULER_PORT,
            to: fargate.openDashboard ? DASHBOARD_PORT : SCHEDULER_PORT,
          }),
        },
    tlsSecret: spec.tls
      ? {
          name: fargateNames.tlsSecret(spec.clusterId),
          description: `dask-fargate-action: TLS files of cluster ${spec.clusterId}; deleted with the cluster`,
          tags: awsTags(tags),
        }
      : undefined,
    taskDefinitions: {
      scheduler: taskDefinition("scheduler"),
      worker: taskDefinition("worker"),
      job: taskDefinition("job"),
    },
    schedulerRun: runTaskInput(spec, fargate, facts, "scheduler", 1, `${spec.clusterId}-scheduler`, undefined, false),
    workerRuns:
      facts.schedulerLookup === "workers-find-it"
        ? workersFindingScheduler(spec, fargate, facts)
        : workerRunInputs(spec, fargate, facts, PLAN_REFS.schedulerAddress, 0, spec.workers, fargate.spotWorkers),
    schedulerLookup: facts.schedulerLookup ?? "after-ip",
    workerFallback: fargate.spotWorkers ? "on-demand" : "none",
    tags,
  };
}

/** One ingress rule, as AuthorizeSecurityGroupIngress takes it (`IpPermissions`). */
export interface IngressRule {
  readonly IpProtocol: string;
  readonly FromPort: number;
  readonly ToPort: number;
  readonly UserIdGroupPairs?: { GroupId: string; Description: string }[];
  readonly IpRanges?: { CidrIp: string; Description: string }[];
}

/**
 * The security group's ingress: all TCP from the group itself (Dask and XGBoost's own ports), and the scheduler
 * port (plus the dashboard's, when asked) from the client CIDRs only.
 */
export function ingressPermissions(
  groupId: string,
  clientCidrs: readonly string[],
  ports: { from: number; to: number },
): IngressRule[] {
  return [
    {
      IpProtocol: "tcp",
      FromPort: 0,
      ToPort: 65535,
      UserIdGroupPairs: [{ GroupId: groupId, Description: "cluster members: Dask and XGBoost" }],
    },
    ...(clientCidrs.length > 0
      ? [
          {
            IpProtocol: "tcp",
            FromPort: ports.from,
            ToPort: ports.to,
            IpRanges: clientCidrs.map((CidrIp) => ({
              CidrIp,
              Description: ports.to > ports.from ? "Dask client: scheduler and dashboard" : "Dask client: scheduler",
            })),
          },
        ]
      : []),
  ];
}

/**
 * One request of a plan: what a dry run prints and a test diffs against what AWS received. Up sends the
 * stages one after another; the lanes of a stage at once; the requests of a lane in order.
 */
export interface PlannedRequest {
  readonly operation: string;
  readonly input: unknown;
  readonly stage: number;
  readonly lane: string;
}

/**
 * Every create and update request of the plan, by stage and lane (markers unbound). Not listed: the read-only
 * preflight, the shared roles (reused), and the secret's values (made during up, never planned or printed).
 */
export function plannedRequests(plan: FargatePlan): PlannedRequest[] {
  const at =
    (stage: number, lane: string) =>
    (operation: string, input: unknown): PlannedRequest => ({ operation, input, stage, lane });
  // Stage 1: what the first RunTask needs, made at once.
  const cluster = at(1, "ecs cluster");
  const logs = at(1, "log group");
  const network = at(1, "security group");
  const definitions = at(1, "secret and task definitions");
  // Stage 2: the scheduler. The workers right after it, or (after-ip) in stage 3 once its IP is known (their commands carry its address).
  const workers = plan.schedulerLookup === "workers-find-it" ? at(2, "workers") : at(3, "workers");
  return [
    ...(plan.createCluster ? [cluster("ecs:CreateCluster", plan.createCluster)] : []),
    logs("logs:CreateLogGroup", { logGroupName: plan.logGroup.name, tags: plan.logGroup.tags }),
    logs("logs:PutRetentionPolicy", {
      logGroupName: plan.logGroup.name,
      retentionInDays: plan.logGroup.retentionInDays,
    }),
    ...(plan.securityGroup
      ? [
          network("ec2:CreateSecurityGroup", {
            GroupName: plan.securityGroup.name,
            Description: plan.securityGroup.description,
            VpcId: plan.securityGroup.vpcId,
            TagSpecifications: [{ ResourceType: "security-group", Tags: plan.securityGroup.tags }],
          }),
          network("ec2:AuthorizeSecurityGroupIngress", {
            GroupId: PLAN_REFS.securityGroupId,
            IpPermissions: plan.securityGroup.ingress,
          }),
        ]
      : []),
    ...(plan.tlsSecret
      ? [
          definitions("secretsmanager:CreateSecret", {
            Name: plan.tlsSecret.name,
            Description: plan.tlsSecret.description,
            Tags: plan.tlsSecret.tags,
          }),
        ]
      : []),
    ...(["scheduler", "worker", "job"] as const).map((role) =>
      definitions("ecs:RegisterTaskDefinition", plan.taskDefinitions[role]),
    ),
    at(2, "scheduler")("ecs:RunTask", plan.schedulerRun),
    ...plan.workerRuns.map((run) => workers("ecs:RunTask", run)),
  ];
}

/** The RunTask request for one batch of tasks of a role. */
export function runTaskInput(
  spec: ClusterSpec,
  fargate: FargateSpec,
  facts: FargateFacts,
  role: MemberRole,
  count: number,
  clientToken: string,
  command: readonly string[] | undefined,
  spot: boolean,
  environment: Readonly<Record<string, string>> = {},
): RunTaskCommandInput {
  const env = Object.entries(environment).map(([name, value]) => ({ name, value }));
  return {
    cluster: facts.ecsCluster,
    taskDefinition: fargateNames.family(spec.clusterId, role),
    count,
    // A retried call with the same token does not start tasks twice (ECS "Ensuring idempotency").
    clientToken,
    startedBy: spec.clusterId,
    ...(spot
      ? { capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }
      : { launchType: "FARGATE" }),
    platformVersion: fargate.platformVersion,
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [...facts.subnets],
        securityGroups: [...facts.securityGroups],
        assignPublicIp: facts.assignPublicIp ? "ENABLED" : "DISABLED",
      },
    },
    ...(command || env.length > 0
      ? {
          overrides: {
            containerOverrides: [
              {
                name: fargateNames.container,
                ...(command ? { command: containerCommand(spec, command) } : {}),
                ...(env.length > 0 ? { environment: env } : {}),
              },
            ],
          },
        }
      : {}),
    tags: ecsTags({
      ...clusterLabels(spec.clusterId, facts.createdAt, facts.expiresAt, spec.labels),
      "io.dask-fargate-action.role": role,
    }),
    propagateTags: "TASK_DEFINITION",
    enableECSManagedTags: true,
  };
}

/**
 * Worker RunTask requests for workers `from`..`from+count-1`: batches of at most 10, each with its own
 * client token and the scheduler's address in its command override (the TLS files stay in the cluster's secret).
 */
export function workerRunInputs(
  spec: ClusterSpec,
  fargate: FargateSpec,
  facts: FargateFacts,
  schedulerAddress: string,
  from: number,
  count: number,
  spot: boolean,
): RunTaskCommandInput[] {
  // No --name: the tasks of a batch share one command, and Dask names each worker by its unique address.
  return workerBatches(spec, fargate, facts, from, count, spot, workerCommand(spec, schedulerAddress));
}

/**
 * Worker RunTask requests sent right after the scheduler's: the usual worker command without an address, behind
 * the bootstrap that finds it (find-scheduler.ts), and in the overrides' environment where to look — the scheduler
 * task's ARN, the ECS cluster, protocol and port. No TLS material and nothing secret.
 */
export function workersFindingScheduler(
  spec: ClusterSpec,
  fargate: FargateSpec,
  facts: FargateFacts,
): RunTaskCommandInput[] {
  const environment = findSchedulerEnvironment(
    PLAN_REFS.schedulerTaskArn,
    facts.ecsCluster,
    spec.tls ? "tls" : "tcp",
    SCHEDULER_PORT,
  );
  const command = findSchedulerCommand(spec.python, workerCommand(spec, undefined));
  return workerBatches(spec, fargate, facts, 0, spec.workers, fargate.spotWorkers, command, environment);
}

/** RunTask requests for workers `from`..`from+count-1`, at most RUN_TASK_MAX_COUNT a request, each its own token. */
function workerBatches(
  spec: ClusterSpec,
  fargate: FargateSpec,
  facts: FargateFacts,
  from: number,
  count: number,
  spot: boolean,
  command: readonly string[],
  environment: Readonly<Record<string, string>> = {},
): RunTaskCommandInput[] {
  const batches: RunTaskCommandInput[] = [];
  for (let start = from; start < from + count; start += RUN_TASK_MAX_COUNT) {
    const size = Math.min(RUN_TASK_MAX_COUNT, from + count - start);
    const token = `${spec.clusterId}-w${start}-${size}${spot ? "-spot" : ""}`;
    batches.push(runTaskInput(spec, fargate, facts, "worker", size, token, command, spot, environment));
  }
  return batches;
}
