import Docker from "dockerode";
import type { BackendName, ClusterHandle, JobResult, JobSpec, MemberLog, MemberWatch, PartialCluster, Readiness, TeardownReport } from "./cluster.js";
import type { ClusterSpec } from "./cluster-spec.js";
import { downDockerCluster, scaleDockerCluster, upDockerCluster } from "./docker/docker-cluster.js";
import { runDockerJob, watchDockerMembers } from "./docker/docker-job.js";
import { dockerClusterLogs } from "./docker/docker-logs.js";
import { type DockerPlan, planDockerCluster } from "./docker/docker-plan.js";
import { reapDockerClusters } from "./docker/docker-reaper.js";
import { ClusterConfigError } from "./errors.js";
import { type AwsClients, createAwsClients } from "./fargate/aws-clients.js";
import { downFargateCluster } from "./fargate/fargate-down.js";
import { runFargateJob } from "./fargate/fargate-job.js";
import { fargateClusterLogs } from "./fargate/fargate-logs.js";
import { type FargatePlan, PLAN_REFS, planFargateCluster } from "./fargate/fargate-plan.js";
import { reapFargateClusters } from "./fargate/fargate-reaper.js";
import { scaleFargateCluster } from "./fargate/fargate-scale.js";
import { type FargateSpecInput, resolveFargateSpec } from "./fargate/fargate-spec.js";
import { upFargateCluster } from "./fargate/fargate-up.js";
import { type PreflightReport, preflightFargate } from "./fargate/preflight/fargate-preflight.js";
import { checkCostLimits } from "./internal/cost-limits.js";
import type { Logger } from "./logger.js";

/** Options every backend operation takes. */
export interface BackendOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/** What a start creates, by backend: the Docker objects, or the AWS requests (`plannedRequests` lists them in order). */
export type ClusterPlan = DockerPlan | FargatePlan;

/**
 * The seam between the front ends (CLI, action, pipeline) and an engine. The contract, the same on every
 * backend and run against both by test/backend-contract.itest.ts: `validate` refuses a bad spec before
 * anything exists; `plan` is what `up` creates; `up` returns a handle of its own backend once the cluster is
 * ready (`readiness`, same names everywhere) and removes what it made when it fails; `runJob` runs a job in the
 * cluster and returns its exit code (jobs on the runner go through `runClusterJob`); `scale` and `down` take
 * the abort signal; `down` is idempotent and leaves nothing.
 */
export interface ClusterBackend {
  readonly name: BackendName;
  /** Checks backend-specific settings against the spec; throws ClusterConfigError before anything is created. */
  validate(spec: ClusterSpec): void;
  /** What a start would create, for a dry run (placeholders where only a start knows the value). */
  plan(spec: ClusterSpec): ClusterPlan;
  /**
   * The read-only checks `up` runs before creating anything (Fargate: image and architecture, subnets and their
   * routes or endpoints, vCPU quotas); undefined for a backend without any. Refusals are findings here, not errors.
   */
  preflight(spec: ClusterSpec, options: BackendOptions): Promise<PreflightReport | undefined>;
  /**
   * `onPreflight` gets the Fargate preflight's findings (notes included) before anything is created, e.g. for a job
   * summary; `readiness` defaults to {@link DEFAULT_READINESS} of the backend.
   */
  up(
    spec: ClusterSpec,
    options: BackendOptions & {
      tlsDir: string;
      readiness?: Readiness | undefined;
      onPartial?: (partial: PartialCluster) => void;
      onPreflight?: (report: PreflightReport) => void;
    },
  ): Promise<ClusterHandle>;
  /** Runs a job in the cluster (`runsOn: cluster`); `runClusterJob` runs both kinds. */
  runJob(handle: ClusterHandle, job: JobSpec, options: BackendOptions): Promise<JobResult>;
  /** Watches the members while something else runs (a job on the runner); Fargate reports none (its job task watches itself). */
  watchMembers(handle: ClusterHandle, options: BackendOptions): Promise<MemberWatch>;
  scale(handle: ClusterHandle, workers: number, options: BackendOptions): Promise<ClusterHandle>;
  down(
    target: { clusterId: string; handle?: ClusterHandle | undefined; partial?: PartialCluster | undefined; tlsDir?: string | undefined },
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
  /** For docker: the engine client to use instead of one from DOCKER_HOST or the local socket (tests inject observers). */
  readonly docker?: Docker;
}

/** The backend called `name`: the local Docker Engine or ECS Fargate. */
export function createBackend(name: BackendName, settings: BackendSettings = {}): ClusterBackend {
  return name === "docker" ? dockerBackend(settings) : fargateBackend(settings);
}

function dockerBackend(settings: BackendSettings): ClusterBackend {
  let engine = settings.docker;
  // One client for every verb, made on first use (DOCKER_HOST or the local socket) unless one was injected.
  const docker = async (): Promise<Docker> => {
    engine ??= new Docker();
    return engine;
  };
  const signalOf = (options: BackendOptions) => (options.signal ? { signal: options.signal } : {});
  return {
    name: "docker",
    validate: () => {},
    preflight: async () => undefined,
    plan: (spec) => planDockerCluster(spec, { createdAt: "<start time>", expiresAt: "<start time + max-lifetime>" }),
    up: async (spec, options) =>
      upDockerCluster(spec, {
        docker: await docker(),
        logger: options.logger,
        tlsDir: options.tlsDir,
        ...signalOf(options),
        ...(options.readiness ? { readiness: options.readiness } : {}),
        onResource: () => options.onPartial?.({ backend: "docker" }),
      }),
    runJob: async (handle, job, options) => runDockerJob(handle, job, { ...options, docker: await docker() }),
    watchMembers: async (handle, options) => watchDockerMembers(handle.clusterId, { docker: await docker(), logger: options.logger }),
    scale: async (handle, workers, options) => {
      checkScale(handle, workers);
      if (handle.backend !== "docker") throw new ClusterConfigError("backend", `cluster ${handle.clusterId} runs on ${handle.backend}, not docker`);
      return scaleDockerCluster(handle, workers, { docker: await docker(), logger: options.logger, ...signalOf(options) });
    },
    down: async (target, options) =>
      downDockerCluster(target.clusterId, { docker: await docker(), logger: options.logger, ...(target.tlsDir ? { tlsDir: target.tlsDir } : {}) }),
    logs: async (clusterId, options) => dockerClusterLogs(clusterId, { ...options, docker: await docker() }),
    reap: async (options) =>
      reapDockerClusters({
        docker: await docker(),
        logger: options.logger,
        dryRun: options.dryRun,
        repository: options.repository,
        ...(options.olderThanSeconds !== undefined ? { olderThanSeconds: options.olderThanSeconds } : {}),
      }),
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
    // async: a bad spec rejects the promise like every other failure, never throws from the call itself.
    preflight: async (spec, options) => preflightFargate(spec, resolveFargateSpec(input, spec), { clients: aws(), logger: options.logger }),
    up: async (spec, options) =>
      upFargateCluster(spec, resolveFargateSpec(input, spec), {
        clients: aws(),
        logger: options.logger,
        tlsDir: options.tlsDir,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.readiness ? { readiness: options.readiness } : {}),
        onResources: (fargate) => options.onPartial?.({ backend: "fargate", fargate }),
        ...(options.onPreflight ? { onPreflight: options.onPreflight } : {}),
      }),
    runJob: (handle, job, options) =>
      runFargateJob(handle, job, { clients: aws(), logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) }),
    // A job on the runner meets a stopped worker as a Dask error; the tasks' stop reasons are in `logs` and teardown.
    watchMembers: async () => ({ stopped: [], stop: () => {} }),
    scale: (handle, workers, options) => {
      checkScale(handle, workers);
      return scaleFargateCluster(handle, workers, { clients: aws(), logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) });
    },
    down: (target, options) =>
      downFargateCluster(
        {
          clusterId: target.clusterId,
          resources: target.handle?.fargate ?? (target.partial?.backend === "fargate" ? target.partial.fargate : undefined),
        },
        { clients: aws(), logger: options.logger, tlsDir: target.tlsDir },
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
