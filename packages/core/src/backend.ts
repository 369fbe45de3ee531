import type { BackendName, ClusterHandle, FargateResources, JobResult, JobSpec, MemberLog, TeardownReport } from "./cluster.js";
import type { ClusterSpec } from "./cluster-spec.js";
import { checkCostLimits } from "./cost-limits.js";
import { downDockerCluster, scaleDockerCluster, upDockerCluster } from "./docker/docker-cluster.js";
import { runDockerJob } from "./docker/docker-job.js";
import { dockerClusterLogs } from "./docker/docker-logs.js";
import { reapDockerClusters } from "./docker/docker-reaper.js";
import { ClusterConfigError } from "./errors.js";
import { type AwsClients, createAwsClients } from "./fargate/aws-clients.js";
import { downFargateCluster } from "./fargate/fargate-down.js";
import { runFargateJob } from "./fargate/fargate-job.js";
import { fargateClusterLogs } from "./fargate/fargate-logs.js";
import { PLAN_REFS, planFargateCluster } from "./fargate/fargate-plan.js";
import { reapFargateClusters } from "./fargate/fargate-reaper.js";
import { scaleFargateCluster } from "./fargate/fargate-scale.js";
import { type FargateSpecInput, resolveFargateSpec } from "./fargate/fargate-spec.js";
import { upFargateCluster } from "./fargate/fargate-up.js";
import { type PreflightReport, preflightFargate } from "./fargate/preflight/fargate-preflight.js";
import type { Logger } from "./logger.js";

/** Where a start has got to, saved after each created resource so another process can finish a teardown. */
export interface PartialCluster {
  readonly resources: readonly string[];
  readonly fargate: FargateResources | undefined;
}

/** Options every backend operation takes. */
export interface BackendOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/** The verbs the CLI and the action need, the same for every backend. */
export interface ClusterBackend {
  readonly name: BackendName;
  /** Checks backend-specific settings against the spec; throws ClusterConfigError before anything is created. */
  validate(spec: ClusterSpec): void;
  /** The requests a start would send, for a dry run. */
  plan(spec: ClusterSpec): unknown;
  /**
   * The read-only checks `up` runs before creating anything (Fargate: image and architecture, subnets and their
   * routes or endpoints, vCPU quotas); undefined for a backend without any. Refusals are findings here, not errors.
   */
  preflight(spec: ClusterSpec, options: BackendOptions): Promise<PreflightReport | undefined>;
  /** `onPreflight` gets the Fargate preflight's findings (notes included) before anything is created, e.g. for a job summary. */
  up(
    spec: ClusterSpec,
    options: BackendOptions & { stateDir: string; onPartial?: (partial: PartialCluster) => void; onPreflight?: (report: PreflightReport) => void },
  ): Promise<ClusterHandle>;
  runJob(handle: ClusterHandle, job: JobSpec, options: BackendOptions): Promise<JobResult>;
  scale(handle: ClusterHandle, workers: number, options: BackendOptions): Promise<ClusterHandle>;
  down(
    target: { clusterId: string; handle?: ClusterHandle | undefined; partial?: PartialCluster | undefined; stateDir?: string | undefined },
    options: BackendOptions,
  ): Promise<TeardownReport>;
  /** Removes expired clusters of this tool; `repository` limits it to clusters tagged with that `github.repository`. */
  reap(
    options: BackendOptions & { olderThanSeconds?: number; dryRun: boolean; repository?: string | undefined },
  ): Promise<{ reaped: string[]; kept: string[] }>;
  /** The last lines of every member's output. */
  logs(clusterId: string, options: { tail: number }): Promise<MemberLog[]>;
}

/** Settings of {@link createBackend}. */
export interface BackendSettings {
  /** For fargate: the region and the Fargate settings (names as the action inputs). */
  readonly fargate?: FargateSpecInput;
  /** For fargate: clients to use instead of the factory's (tests inject observers). */
  readonly clients?: AwsClients;
}

/** The backend called `name`: the local Docker Engine or ECS Fargate. */
export function createBackend(name: BackendName, settings: BackendSettings = {}): ClusterBackend {
  return name === "docker" ? dockerBackend() : fargateBackend(settings);
}

function dockerBackend(): ClusterBackend {
  return {
    name: "docker",
    validate: () => {},
    preflight: async () => undefined,
    plan: (spec) => ({ backend: "docker", network: spec.clusterId, scheduler: `${spec.clusterId}-scheduler`, workers: spec.workers }),
    up: (spec, options) => {
      const resources: string[] = [];
      return upDockerCluster(spec, {
        logger: options.logger,
        stateDir: options.stateDir,
        ...(options.signal ? { signal: options.signal } : {}),
        onResource: (resource) => {
          resources.push(resource);
          options.onPartial?.({ resources: [...resources], fargate: undefined });
        },
      });
    },
    runJob: (handle, job, options) => runDockerJob(handle, job, options),
    scale: (handle, workers, options) => {
      checkScale(handle, workers);
      return scaleDockerCluster(handle, workers, { logger: options.logger });
    },
    down: (target, options) => downDockerCluster(target.clusterId, { logger: options.logger, ...(target.stateDir ? { stateDir: target.stateDir } : {}) }),
    reap: (options) =>
      reapDockerClusters({
        logger: options.logger,
        dryRun: options.dryRun,
        repository: options.repository,
        ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
      }),
    logs: (clusterId, options) => dockerClusterLogs(clusterId, options),
  };
}

function fargateBackend(settings: BackendSettings): ClusterBackend {
  const input = settings.fargate;
  if (!input) throw new ClusterConfigError("region", "the fargate backend needs a region (--region, or AWS_REGION)");
  let clients = settings.clients;
  const aws = () => {
    clients ??= createAwsClients({ region: input.region });
    return clients;
  };
  const placeholders = (spec: ClusterSpec) => ({
    ecsCluster: input.ecsCluster ?? `<created: ${spec.clusterId}>`,
    executionRoleArn: input.executionRoleArn ?? "<managed: dask-fargate-action-execution>",
    taskRoleArn: input.taskRoleArn ?? "<managed: dask-fargate-action-task>",
    subnets: input.subnets ?? ["<default VPC subnets>"],
    securityGroups: input.securityGroups ?? [PLAN_REFS.securityGroupId],
    assignPublicIp: input.assignPublicIp ?? !input.subnets,
    tlsSecretArn: spec.tls ? PLAN_REFS.tlsSecretArn : undefined,
    createdAt: "<start time>",
    expiresAt: "<start time + max-lifetime>",
  });
  return {
    name: "fargate",
    validate: (spec) => {
      resolveFargateSpec(input, spec);
    },
    plan: (spec) => planFargateCluster(spec, resolveFargateSpec(input, spec), placeholders(spec)),
    preflight: (spec, options) => preflightFargate(spec, resolveFargateSpec(input, spec), { clients: aws(), logger: options.logger }),
    up: (spec, options) => {
      const resources: string[] = [];
      return upFargateCluster(spec, resolveFargateSpec(input, spec), {
        clients: aws(),
        logger: options.logger,
        stateDir: options.stateDir,
        ...(options.signal ? { signal: options.signal } : {}),
        onResources: (fargate) => options.onPartial?.({ resources, fargate }),
        ...(options.onPreflight ? { onPreflight: options.onPreflight } : {}),
      });
    },
    runJob: (handle, job, options) =>
      runFargateJob(handle, job, { clients: aws(), logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) }),
    scale: (handle, workers, options) => {
      checkScale(handle, workers);
      return scaleFargateCluster(handle, workers, { clients: aws(), logger: options.logger });
    },
    down: (target, options) =>
      downFargateCluster(
        { clusterId: target.clusterId, resources: target.handle?.fargate ?? target.partial?.fargate },
        { clients: aws(), logger: options.logger, stateDir: target.stateDir },
      ),
    reap: (options) =>
      reapFargateClusters({
        clients: aws(),
        logger: options.logger,
        dryRun: options.dryRun,
        repository: options.repository,
        ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
      }),
    logs: (clusterId, options) => fargateClusterLogs(aws(), clusterId, options),
  };
}

/** A scaled cluster stays inside the cost limits it was started with (records from older versions have no opt-out). */
function checkScale(handle: ClusterHandle, workers: number): void {
  checkCostLimits({ ...handle.spec, workers, allowUnboundedCost: handle.spec.allowUnboundedCost ?? false });
}
