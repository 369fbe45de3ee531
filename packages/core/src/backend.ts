import type Docker from "dockerode";
import type { RetiredWorker } from "./adaptive/adapt-lines.js";
import type { BackendName, ClusterHandle, JobResult, JobSpec, MemberLog, MemberWatch, PartialCluster, Readiness, TeardownReport } from "./cluster.js";
import type { ClusterSpec } from "./cluster-spec.js";
import { type DockerPlan, planDockerCluster } from "./docker/docker-plan.js";
import { ClusterConfigError } from "./errors.js";
import type { AwsClients } from "./fargate/aws-clients.js";
import { type FargatePlan, PLAN_REFS, planFargateCluster } from "./fargate/fargate-plan.js";
import { type FargateSpecInput, resolveFargateSpec } from "./fargate/fargate-spec.js";
import type { PreflightReport } from "./fargate/preflight/fargate-preflight.js";
import { checkCostLimits } from "./internal/cost-limits.js";
import type { Logger } from "./logger.js";
import type { StartTimeline } from "./start-timeline.js";

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
      /** The start as the engine recorded it, once it is over (ready or failed), for the job summary's timeline. */
      onStartTimeline?: (timeline: StartTimeline) => void;
    },
  ): Promise<ClusterHandle>;
  /** Runs a job in the cluster (`runsOn: cluster`); `runClusterJob` runs both kinds. */
  runJob(handle: ClusterHandle, job: JobSpec, options: BackendOptions): Promise<JobResult>;
  /** Watches the members while something else runs (a job on the runner); Fargate reports none (its job task watches itself). */
  watchMembers(handle: ClusterHandle, options: BackendOptions): Promise<MemberWatch>;
  scale(handle: ClusterHandle, workers: number, options: BackendOptions): Promise<ClusterHandle>;
  /** Removes the members of workers the scheduler retired (adaptive scale-down); returns the handle with the rest. */
  removeWorkers(handle: ClusterHandle, retired: readonly RetiredWorker[], options: BackendOptions): Promise<ClusterHandle>;
  /**
   * With `repository`, only what is tagged (labelled) `github.repository` with it is touched, and a cluster id whose
   * resources all belong to another repository is a ClusterConfigError that removes nothing (the action's `down`).
   */
  down(
    target: {
      clusterId: string;
      handle?: ClusterHandle | undefined;
      partial?: PartialCluster | undefined;
      tlsDir?: string | undefined;
      repository?: string | undefined;
    },
    options: BackendOptions,
  ): Promise<TeardownReport>;
  /** Removes expired clusters of this tool; `repository` limits it to clusters tagged with that `github.repository`. */
  reap(
    options: BackendOptions & { olderThanSeconds?: number; dryRun: boolean; repository?: string | undefined },
  ): Promise<{ reaped: string[]; kept: string[] }>;
  /** The last lines of every member's output (`schedulerOnly`: the scheduler's alone, e.g. for its registration lines). */
  logs(clusterId: string, options: { tail: number; schedulerOnly?: boolean }): Promise<MemberLog[]>;
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

/** The verbs of a backend that reach its engine, in a module of their own that {@link createBackend} loads on first use. */
export type EngineVerbs = Pick<ClusterBackend, "preflight" | "up" | "runJob" | "watchMembers" | "scale" | "removeWorkers" | "down" | "reap" | "logs">;

/**
 * The backend called `name`: the local Docker Engine or ECS Fargate. `validate` and `plan` are pure; the first verb
 * that reaches the engine loads it with `import()` (dockerode for docker, the AWS SDK clients for fargate), so a
 * Docker run never loads the AWS SDK, a Fargate run never loads dockerode, and a dry run loads neither.
 */
export function createBackend(name: BackendName, settings: BackendSettings = {}): ClusterBackend {
  if (name === "docker") {
    return lazyBackend(
      {
        name: "docker",
        validate: () => {},
        plan: (spec) => planDockerCluster(spec, { createdAt: "<start time>", expiresAt: "<start time + max-lifetime>" }),
        // Nothing to check before a Docker start: `plan` gets its undefined without loading dockerode.
        preflight: async () => undefined,
      },
      async () => (await import("./docker/docker-backend.js")).dockerEngineVerbs(settings),
    );
  }
  const input = settings.fargate;
  if (!input) throw new ClusterConfigError("region", "the fargate backend needs a region (--region, or AWS_REGION)");
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
  return lazyBackend(
    {
      name: "fargate",
      validate: (spec) => {
        resolveFargateSpec(input, spec);
      },
      plan: (spec) => planFargateCluster(spec, resolveFargateSpec(input, spec), placeholders(spec)),
    },
    async () => (await import("./fargate/fargate-backend.js")).fargateEngineVerbs(input, settings.clients),
  );
}

/**
 * A backend whose engine verbs wait for `load` (once; a failed load is tried again on the next call). Every verb
 * is async, so a bad spec or a refused scale rejects its promise like every other failure, never throws from the call.
 */
function lazyBackend(
  light: Pick<ClusterBackend, "name" | "validate" | "plan"> & Partial<Pick<ClusterBackend, "preflight">>,
  load: () => Promise<EngineVerbs>,
): ClusterBackend {
  let loading: Promise<EngineVerbs> | undefined;
  const engine = (): Promise<EngineVerbs> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    name: light.name,
    validate: light.validate,
    plan: light.plan,
    preflight: light.preflight ?? (async (spec, options) => (await engine()).preflight(spec, options)),
    up: async (spec, options) => (await engine()).up(spec, options),
    runJob: async (handle, job, options) => (await engine()).runJob(handle, job, options),
    watchMembers: async (handle, options) => (await engine()).watchMembers(handle, options),
    scale: async (handle, workers, options) => {
      checkScale(handle, workers);
      return (await engine()).scale(handle, workers, options);
    },
    removeWorkers: async (handle, retired, options) => (await engine()).removeWorkers(handle, retired, options),
    down: async (target, options) => (await engine()).down(target, options),
    reap: async (options) => (await engine()).reap(options),
    logs: async (clusterId, options) => (await engine()).logs(clusterId, options),
  };
}

/** A scaled cluster stays inside the cost limits it was started with (records from older versions have no opt-out). */
function checkScale(handle: ClusterHandle, workers: number): void {
  checkCostLimits({ ...handle.spec, workers, allowUnboundedCost: handle.spec.allowUnboundedCost ?? false });
}
