import { randomBytes } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateClusterCommand, RegisterTaskDefinitionCommand, type Task } from "@aws-sdk/client-ecs";
import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import {
  DEFAULT_READINESS,
  type FargateClusterHandle,
  type FargateResources,
  type OperationOptions,
  type Readiness,
} from "../cluster.js";
import type { ClusterSpec } from "../cluster-spec.js";
import { ClusterConfigError, CoreError } from "../errors.js";
import { explainError } from "../explain-error.js";
import { type ClusterStart, clusterStart } from "../internal/cluster-start.js";
import { DASHBOARD_PORT, SCHEDULER_PORT } from "../internal/dask-commands.js";
import { launchPacer } from "../internal/launch-pacer.js";
import { createClusterTls, writeTlsFiles } from "../internal/tls.js";
import { type Clock, pollUntil } from "../internal/wait.js";
import { outputRunPrefix, parseOutputUri } from "../job-outputs.js";
import { type Logger, silentLogger } from "../logger.js";
import { countWorkers } from "../scheduler-http.js";
import type { StartTimeline } from "../start-timeline.js";
import { type AwsClients, awsErrorName } from "./aws-clients.js";
import { downFargateCluster } from "./fargate-down.js";
import { waitForSchedulerIp, waitForTasks } from "./fargate-launch.js";
import { fargateNames } from "./fargate-names.js";
import { createSecurityGroup, publicIp } from "./fargate-network.js";
import { checkOutputAccess } from "./fargate-output-access.js";
import {
  bindPlan,
  type FargatePlan,
  OUTPUT_KEY_FIELD,
  PLAN_REFS,
  type PlanRefValues,
  planFargateCluster,
} from "./fargate-plan.js";
import { ensureRoles } from "./fargate-roles.js";
import type { FargateSpec } from "./fargate-spec.js";
import { FARGATE_LAUNCH_LIMIT, networkInterfaceId, privateIp, runTasks, workerFallback } from "./fargate-tasks.js";
import { fargateStartTimeline } from "./fargate-timeline.js";
import { type SchedulerLookup, schedulerLookup } from "./find-scheduler-access.js";
import {
  assertPreflight,
  type PreflightOptions,
  type PreflightReport,
  preflightFargate,
} from "./preflight/fargate-preflight.js";
import { isIamPropagationError, retryWhile } from "./retry.js";

/** Options of {@link upFargateCluster}. */
export interface FargateUpOptions extends OperationOptions {
  readonly clients: AwsClients;
  /** `running` (default): every task RUNNING; `registered`: also every worker registered (needs the dashboard reachable from here). */
  readonly readiness?: Readiness;
  readonly readyTimeoutSeconds?: number;
  /** Called after each created resource with the resources so far (save them: teardown reads them). */
  readonly onResources?: (resources: FargateResources) => void;
  /** Where the client TLS files are written (mode 0600); default a directory per cluster under the OS temp dir. */
  readonly tlsDir?: string;
  readonly clock?: Clock;
  /** Registry access for preflight's image check (tests inject a fetch; a login for a private non-ECR registry). */
  readonly preflight?: Pick<PreflightOptions, "fetch" | "registryLogin">;
  /** Called with preflight's findings (notes included) before anything is created. */
  readonly onPreflight?: (report: PreflightReport) => void;
  /** Called with the plan up then executes (its markers unbound), before the first create request. */
  readonly onPlan?: (plan: FargatePlan) => void;
  /** Called once the start is over, ready or failed after its first RunTask, with ECS's timestamps of each task. */
  readonly onStartTimeline?: (timeline: StartTimeline) => void;
}

/**
 * Starts a cluster on ECS Fargate. Preflight (image, network, quotas; read-only) and the roles (reused) first;
 * then at once the ECS cluster, the log group, the security group, and the TLS secret followed by the three
 * task definitions (registered once per cluster); then the scheduler task and, when the managed task role lets
 * workers look their scheduler up (find-scheduler-access.ts), at once the workers in RunTask batches of ≤ 10 paced
 * at Fargate's launch limit, each finding the scheduler's address from ECS itself before Dask starts
 * (find-scheduler.ts). Otherwise the workers are launched as soon as the scheduler's ENI has a private IP (seconds
 * after RunTask, long before it runs), each carrying the address in its command override. Either way no worker
 * can start before the address exists, whenever ECS reads its secrets. Then one poll loop waits for every task. On
 * failure or abort every created resource is removed and the cause is thrown.
 */
export async function upFargateCluster(
  spec: ClusterSpec,
  fargate: FargateSpec,
  options: FargateUpOptions,
): Promise<FargateClusterHandle> {
  const logger = options.logger ?? silentLogger;
  const start = clusterStart(spec, logger, options);
  const record = new StartRecord(spec, fargate, options.onResources);
  const up: UpContext = {
    spec,
    fargate,
    options,
    logger,
    start,
    record,
    progress: (message) => {
      logger.info(message);
      options.onProgress?.({ phase: "starting", message });
    },
    onRound: (tasks) => {
      record.lastRound = tasks;
    },
  };
  try {
    const checked = await checkBeforeCreating(up);
    // Roles are shared and kept, lookups create nothing: only from here on is there anything to remove.
    record.creating = true;
    const prepared = await prepareStart(up, checked);
    await createClusterResources(up, prepared);
    start.checkAbort();
    const scheduler = await launchTasks(up, prepared);
    return await readyHandle(up, prepared, scheduler, checked.readiness);
  } catch (error) {
    reportTimeline(up);
    const failure = await start.failed(
      error,
      record.creating
        ? () =>
            downFargateCluster(
              { clusterId: spec.clusterId, resources: record.resources },
              { clients: options.clients, logger, clock: start.clock, tlsDir: start.tlsDir },
            )
        : undefined,
      `dask-fargate down --cluster-id ${spec.clusterId} or the reaper`,
    );
    if (awsErrorName(error) === "CredentialsProviderError") {
      throw new CoreError(explainError(error) ?? "no AWS credentials were found", { cause: error });
    }
    throw failure;
  }
}

/** What every stage of a start works with. */
interface UpContext {
  readonly spec: ClusterSpec;
  readonly fargate: FargateSpec;
  readonly options: FargateUpOptions;
  readonly logger: Logger;
  readonly start: ClusterStart;
  readonly record: StartRecord;
  readonly progress: (message: string) => void;
  /** Keeps the latest DescribeTasks round of the start, for its timeline. */
  readonly onRound: (tasks: readonly Task[]) => void;
}

/**
 * The resources of a start so far: saved state is a record of what exists, so nothing is reported before the
 * first resource of the cluster is made (`creating`).
 */
class StartRecord {
  resources: FargateResources;
  creating = false;
  /** The latest DescribeTasks round of the start, for its timeline. */
  lastRound: readonly Task[] = [];

  constructor(
    spec: ClusterSpec,
    fargate: FargateSpec,
    private readonly onResources: ((resources: FargateResources) => void) | undefined,
  ) {
    this.resources = {
      spec: fargate,
      ecsCluster: fargate.ecsCluster ?? spec.clusterId,
      createdEcsCluster: false,
      createdSecurityGroupId: undefined,
      securityGroups: fargate.securityGroups ?? [],
      subnets: fargate.subnets ?? [],
      assignPublicIp: fargate.assignPublicIp ?? false,
      logGroup: undefined,
      tlsSecretArn: undefined,
      taskDefinitionArns: [],
      executionRoleArn: fargate.executionRoleArn ?? "",
      taskRoleArn: fargate.taskRoleArn ?? "",
      schedulerTaskArn: undefined,
      workerTaskArns: [],
    };
  }

  update(change: Partial<FargateResources>): void {
    this.resources = { ...this.resources, ...change };
    if (this.creating) this.onResources?.(this.resources);
  }
}

/** Reports the start's timeline from its latest round of task descriptions, once. */
function reportTimeline(up: UpContext): void {
  const tasks = up.record.lastRound;
  up.record.lastRound = [];
  if (tasks.length > 0)
    up.options.onStartTimeline?.(
      fargateStartTimeline(
        up.start.startedAt.getTime(),
        tasks,
        up.record.resources.schedulerTaskArn,
        up.start.clock.now(),
      ),
    );
}

/** What the read-only stage found: preflight's report, the roles, the network, and the readiness to wait for. */
interface Checked {
  readonly report: PreflightReport;
  readonly roles: { readonly executionRoleArn: string; readonly taskRoleArn: string };
  readonly network: { readonly subnets: string[]; readonly vpcId: PreflightReport["vpcId"] };
  readonly readiness: Readiness;
  readonly lookup: Promise<SchedulerLookup>;
}

/** Stage 1, read-only (the shared roles aside, which are reused): preflight, the roles, the outputs' access, the network. */
async function checkBeforeCreating(up: UpContext): Promise<Checked> {
  const { spec, fargate, options, logger, start, record } = up;
  if (fargate.outputUri && !spec.tls)
    throw new ClusterConfigError(
      "output-uri",
      "needs TLS (the default): a job signs its outputs' manifest with a key that reaches it only through the cluster's TLS secret; turn tls back on or drop output-uri",
    );
  // Read-only checks first: a refusal leaves nothing behind, not even the shared roles.
  const report = await preflightFargate(spec, fargate, { clients: options.clients, logger, ...options.preflight });
  options.onPreflight?.(report);
  assertPreflight(report);
  start.checkAbort();
  const roles = await ensureRoles(options.clients, fargate, logger);
  record.update({ executionRoleArn: roles.executionRoleArn, taskRoleArn: roles.taskRoleArn });
  // The managed task role's policies (setup-roles) are read, never written: a user's own task role is theirs.
  const lookup = schedulerLookup(options.clients.iam, roles.taskRoleArn, Boolean(fargate.taskRoleArn), logger);
  lookup.catch(() => {}); // awaited when the plan is made; a rejection here must not go unhandled while the outputs check runs
  if (fargate.outputUri && !fargate.taskRoleArn)
    await checkOutputAccess(
      options.clients.iam,
      fargate.outputUri,
      spec.clusterId,
      roles.taskRoleArn.split(":")[1] || "aws",
    );
  // Preflight found the subnets (given, or the default VPC's), checked they exist in one VPC, and chose public IPs.
  const network = { subnets: [...report.subnets], vpcId: report.vpcId };
  record.update({ subnets: network.subnets, assignPublicIp: report.assignPublicIp });
  const readiness = options.readiness ?? DEFAULT_READINESS.fargate;
  if (readiness === "registered") checkRegisteredReadiness(fargate, report.assignPublicIp);
  start.checkAbort();
  return { report, roles, network, readiness, lookup };
}

/** What the start creates from: the cluster's TLS, the outputs' signing, and the plan whose markers get values as they appear. */
interface Prepared {
  readonly tls: Awaited<ReturnType<typeof createClusterTls>> | undefined;
  readonly clientTlsFiles: Awaited<ReturnType<typeof writeTlsFiles>> | undefined;
  readonly secretFields: Record<string, string>;
  readonly plan: FargatePlan;
  readonly refs: PlanRefValues;
}

/** Stage 2: the cluster's TLS, this attempt's output signing key, and the plan, made once. */
async function prepareStart(up: UpContext, checked: Checked): Promise<Prepared> {
  const { spec, fargate, options, start, record } = up;
  const tls = spec.tls ? await createClusterTls(spec.clusterId, spec.maxLifetime, start.startedAt) : undefined;
  const clientTlsFiles = tls ? await writeTlsFiles(join(start.tlsDir, "tls", "client"), tls.client) : undefined;
  // This attempt's outputs: a fresh prefix and a signing key that only this cluster's secret and this machine hold.
  const outputSigning = fargate.outputUri
    ? await newOutputSigning(fargate.outputUri, spec.clusterId, start.tlsDir)
    : undefined;
  if (outputSigning) record.update({ outputs: outputSigning.outputs });
  const secretFields = { ...(outputSigning ? { [OUTPUT_KEY_FIELD]: outputSigning.keyHex } : {}) };
  // The plan is made once, here, where only what up creates is still unknown: its markers get the real values as they appear.
  const plan = planFargateCluster(spec, fargate, {
    ecsCluster: fargate.ecsCluster ?? fargateNames.ecsCluster(spec.clusterId),
    executionRoleArn: checked.roles.executionRoleArn,
    taskRoleArn: checked.roles.taskRoleArn,
    subnets: checked.network.subnets,
    securityGroups: fargate.securityGroups ?? [PLAN_REFS.securityGroupId],
    assignPublicIp: checked.report.assignPublicIp,
    tlsSecretArn: spec.tls ? PLAN_REFS.tlsSecretArn : undefined,
    createdAt: start.createdAt,
    expiresAt: start.expiresAt,
    vpcId: checked.network.vpcId,
    ...(outputSigning ? { outputToken: outputSigning.outputs.token } : {}),
    schedulerLookup: await checked.lookup,
  });
  options.onPlan?.(plan);
  return { tls, clientTlsFiles, secretFields, plan, refs: {} };
}

/** Stage 3: the ECS cluster, the log group, the security group, and the TLS secret then the task definitions, at once. */
async function createClusterResources(up: UpContext, prepared: Prepared): Promise<void> {
  const { spec, options, logger, start, record } = up;
  const { ecs, ec2, logs, secrets } = options.clients;
  const { plan, refs, tls } = prepared;
  // Independent creations run at once: everything before the first RunTask adds to time to ready.
  await settleAll(
    [
      async () => {
        if (!plan.createCluster) return;
        const created = await ecs.send(new CreateClusterCommand(plan.createCluster));
        record.update({ ecsCluster: created.cluster?.clusterArn ?? spec.clusterId, createdEcsCluster: true });
        logger.debug(`created ECS cluster ${spec.clusterId}`);
      },
      async () => {
        await logs
          .send(new CreateLogGroupCommand({ logGroupName: plan.logGroup.name, tags: plan.logGroup.tags }))
          .catch((error: unknown) => {
            if (awsErrorName(error) !== "ResourceAlreadyExistsException") throw error;
          });
        record.update({ logGroup: plan.logGroup.name });
        await logs.send(
          new PutRetentionPolicyCommand({
            logGroupName: plan.logGroup.name,
            retentionInDays: plan.logGroup.retentionInDays,
          }),
        );
      },
      async () => {
        if (!plan.securityGroup) return;
        refs.securityGroupId = await createSecurityGroup(ec2, plan.securityGroup, logger, (groupId) =>
          record.update({ createdSecurityGroupId: groupId, securityGroups: [groupId] }),
        );
        logger.debug(`created security group ${refs.securityGroupId}`);
      },
      async (stepSignal) => {
        // The task definitions name the TLS secret: it comes first on this branch, then all three at once.
        if (tls && plan.tlsSecret) {
          const secret = await secrets.send(
            new CreateSecretCommand({
              Name: plan.tlsSecret.name,
              Description: plan.tlsSecret.description,
              SecretString: JSON.stringify({
                ca: tls.member.ca,
                cert: tls.member.cert,
                key: tls.member.key,
                ...prepared.secretFields,
              }),
              Tags: plan.tlsSecret.tags,
            }),
          );
          if (!secret.ARN) throw new CoreError("CreateSecret returned no ARN");
          refs.tlsSecretArn = secret.ARN;
          record.update({ tlsSecretArn: secret.ARN });
        }
        start.checkAbort();
        // One after another, as the plan lists them (RegisterTaskDefinition refills at 1 per second: facts.md).
        const arns: string[] = [];
        for (const role of ["scheduler", "worker", "job"] as const) {
          const registered = await retryWhile(
            "RegisterTaskDefinition",
            () => ecs.send(new RegisterTaskDefinitionCommand(bindPlan(plan.taskDefinitions[role], refs))),
            isIamPropagationError,
            { limitSeconds: 120, logger, signal: stepSignal, clock: start.clock },
          );
          arns.push(registered.taskDefinition?.taskDefinitionArn ?? "");
          record.update({ taskDefinitionArns: [...arns] });
        }
      },
    ],
    options.signal,
  );
}

/**
 * Stage 4: the scheduler task, then the workers: at once when they find the scheduler themselves, else once its
 * address exists. Returns the scheduler's task (with its private IP) and its address.
 */
async function launchTasks(
  up: UpContext,
  prepared: Prepared,
): Promise<{ readonly task: Task; readonly address: string }> {
  const { spec, fargate, options, logger, start, record, progress, onRound } = up;
  const { ecs } = options.clients;
  const { plan, refs } = prepared;
  const { signal } = options;
  const clock = start.clock;
  // One launch bucket for the scheduler and every worker: Fargate counts them together.
  const pacer = launchPacer(FARGATE_LAUNCH_LIMIT, clock);
  const [scheduler] = await runTasks(ecs, [bindPlan(plan.schedulerRun, refs)], { logger, signal, clock, pacer });
  record.update({ schedulerTaskArn: scheduler?.taskArn });
  refs.schedulerTaskArn = scheduler?.taskArn;
  const scheme = spec.tls ? "tls" : "tcp";
  const fallback = workerFallback(plan.workerFallback === "on-demand");
  const launchWorkers = async (stepSignal: AbortSignal | undefined) => {
    const workerInputs = bindPlan(plan.workerRuns, refs);
    progress(
      `launching ${spec.workers} workers in ${workerInputs.length} RunTask call(s)${fargate.spotWorkers ? " on Fargate Spot" : ""}`,
    );
    const workers = await runTasks(ecs, workerInputs, { logger, signal: stepSignal, clock, pacer, ...fallback });
    record.update({ workerTaskArns: workers.map((t) => t.taskArn ?? "") });
  };
  let schedulerTask: Task;
  if (plan.schedulerLookup === "workers-find-it") {
    // In the same launch pacing as the scheduler: their provisioning and pull overlap its own, and each worker
    // looks the scheduler's IP up itself. The scheduler's IP is still needed here, for the handle; it comes while
    // the workers are launched.
    const ipWait = new AbortController();
    const ipSignal = signal ? AbortSignal.any([signal, ipWait.signal]) : ipWait.signal;
    const ip = waitForSchedulerIp(options.clients, record.resources, {
      ...options,
      signal: ipSignal,
      clock,
      progress,
      onRound,
    });
    ip.catch(() => {}); // awaited below, after the launches
    try {
      await launchWorkers(signal);
    } catch (error) {
      ipWait.abort(); // a launch failure ends the start: the wait for the IP with it
      throw error;
    }
    schedulerTask = await ip;
  } else {
    // The address only: the TLS files stay in the cluster's secret, read by ECS from the task definitions.
    schedulerTask = await waitForSchedulerIp(options.clients, record.resources, {
      ...options,
      signal,
      clock,
      progress,
      onRound,
    });
  }
  const address = `${scheme}://${privateIp(schedulerTask) ?? ""}:${SCHEDULER_PORT}`;
  refs.schedulerAddress = address;
  progress(`scheduler at ${address}`);
  if (plan.schedulerLookup !== "workers-find-it") await launchWorkers(signal);
  return { task: schedulerTask, address };
}

/** Stage 5: every task running (and, with `registered` readiness, every worker registered); the handle. */
async function readyHandle(
  up: UpContext,
  prepared: Prepared,
  scheduler: { readonly task: Task; readonly address: string },
  readiness: Readiness,
): Promise<FargateClusterHandle> {
  const { spec, fargate, options, start, record, progress, onRound } = up;
  const { signal } = options;
  const clock = start.clock;
  const scheme = spec.tls ? "tls" : "tcp";
  await waitForTasks(options.clients, record.resources, spec.workers, { ...options, clock, progress, onRound });
  reportTimeline(up);
  const eni = networkInterfaceId(scheduler.task);
  const reachableFromOutside = Boolean(fargate.clientCidr || fargate.allowPublicIngress);
  const publicAddress =
    record.resources.assignPublicIp && reachableFromOutside && eni
      ? await publicIp(options.clients.ec2, eni)
      : undefined;
  // A client outside the VPC reaches the scheduler only on its public IP and only when ingress was opened for it.
  const clientHost = publicAddress;
  const handle: FargateClusterHandle = {
    backend: "fargate",
    clusterId: spec.clusterId,
    spec,
    schedulerAddress: scheduler.address,
    clientSchedulerAddress: clientHost ? `${scheme}://${clientHost}:${SCHEDULER_PORT}` : undefined,
    dashboardUrl: clientHost && fargate.openDashboard ? `http://${clientHost}:${DASHBOARD_PORT}` : undefined,
    clientTlsFiles: prepared.clientTlsFiles,
    memberTlsFiles: undefined,
    tlsDir: start.tlsDir,
    createdAt: start.createdAt,
    expiresAt: start.expiresAt,
    fargate: record.resources,
  };
  if (readiness === "registered") {
    const url = handle.dashboardUrl;
    if (!url)
      throw new CoreError(
        "readiness registered: the scheduler's task has no public IP address to read its dashboard from",
      );
    await pollUntil({
      waitingFor: `${spec.workers} workers to register at the scheduler`,
      timeoutSeconds: options.readyTimeoutSeconds ?? 600,
      signal,
      clock,
      onProgress: progress,
      check: async () => {
        const n = await countWorkers(url);
        return n !== undefined && n >= spec.workers
          ? { done: true, value: undefined }
          : { done: false, seen: `${n ?? 0}/${spec.workers} workers registered` };
      },
    });
  }
  return handle;
}

/**
 * A random attempt token (the outputs' prefix `<prefix>/<cluster-id>/<token>/`) and a 32-byte signing key, written
 * hex to a 0600 file in the cluster's local directory (removed by teardown, like the client TLS key).
 */
async function newOutputSigning(outputUri: string, clusterId: string, tlsDir: string) {
  const location = parseOutputUri(outputUri);
  const token = randomBytes(12).toString("hex");
  const keyHex = randomBytes(32).toString("hex");
  const dir = join(tlsDir, "outputs");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const keyFile = join(dir, "signing-key");
  await writeFile(keyFile, keyHex, { mode: 0o600 });
  return {
    keyHex,
    outputs: { bucket: location.bucket, runPrefix: outputRunPrefix(location, clusterId, token), token, keyFile },
  };
}

/**
 * `registered` readiness reads the worker count from the scheduler's dashboard, so the dashboard must be reachable
 * from here: refused before anything is created otherwise, saying which settings open it.
 */
export function checkRegisteredReadiness(fargate: FargateSpec, assignPublicIp: boolean): void {
  const missing = [
    ...(fargate.clientCidr || fargate.allowPublicIngress ? [] : ["client-cidr (this machine's address)"]),
    ...(fargate.openDashboard ? [] : ["open-dashboard"]),
    ...(assignPublicIp ? [] : ["public IPs (assign-public-ip, or subnets with a route to an internet gateway)"]),
  ];
  if (missing.length > 0)
    throw new ClusterConfigError(
      "readiness",
      `registered readiness reads the workers from the scheduler's dashboard, which is not reachable from here without ${missing.join(", ")}; set them or use readiness running (a job in the cluster waits for its workers itself)`,
    );
}

/**
 * Runs independent steps at once and waits for all of them, failed or not, before throwing the first failure:
 * a teardown must not start while another step is still creating something it would then miss. A failure
 * aborts the other steps' signal, so a step waiting on something that will not come stops at once.
 */
async function settleAll(
  steps: readonly ((signal: AbortSignal) => Promise<void>)[],
  parent?: AbortSignal,
): Promise<void> {
  const sibling = new AbortController();
  const signal = parent ? AbortSignal.any([parent, sibling.signal]) : sibling.signal;
  let first: { error: unknown } | undefined;
  await Promise.allSettled(
    steps.map((step) =>
      step(signal).catch((error: unknown) => {
        first ??= { error };
        sibling.abort();
      }),
    ),
  );
  if (first) throw first.error;
}
