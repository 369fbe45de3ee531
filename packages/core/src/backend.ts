import type Docker from "dockerode";
import type { RetiredWorker } from "./adaptive/adapt-lines.js";
import type {
  BackendName,
  ClusterHandle,
  JobResult,
  JobSpec,
  MemberLog,
  MemberWatch,
  PartialCluster,
  Readiness,
  TeardownReport,
} from "./cluster.js";
import type { ClusterSpec } from "./cluster-spec.js";
import { type DockerPlan, planDockerCluster } from "./docker/docker-plan.js";
import { ClusterConfigError, CoreError } from "./errors.js";
import type { AwsClients } from "./fargate/aws-clients.js";
import { type FargatePlan, PLAN_REFS, planFargateCluster } from "./fargate/fargate-plan.js";
import { type FargateSpec, type FargateSpecInput, resolveFargateSpec } from "./fargate/fargate-spec.js";
import type { PreflightReport } from "./fargate/preflight/fargate-preflight.js";
import { checkCostLimits } from "./internal/cost-limits.js";
import type { Logger } from "./logger.js";
import type { StartTimeline } from "./start-timeline.js";

/** Options every backend operation takes. */
export interface BackendOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/**
 * A backend's own settings resolved against a cluster spec, once, at the entry of a run (`resolve`): the verbs that
 * take it (`plan`, `preflight`, `up`) use it as given. Docker has none; Fargate's are its checked settings with
 * their defaults applied and the task sizes in ECS units.
 */
export type BackendSpec =
  | { readonly backend: "docker" }
  | { readonly backend: "fargate"; readonly fargate: FargateSpec };

/** Options of `up`. */
export interface UpOptions extends BackendOptions {
  readonly tlsDir: string;
  readonly readiness?: Readiness | undefined;
  /** The backend's settings as `resolve` returned them for this spec; without it `up` resolves them once itself. */
  readonly backendSpec?: BackendSpec | undefined;
  readonly onPartial?: (partial: PartialCluster) => void;
  readonly onPreflight?: (report: PreflightReport) => void;
  /** The start as the engine recorded it, once it is over (ready or failed), for the job summary's timeline. */
  readonly onStartTimeline?: (timeline: StartTimeline) => void;
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
  /**
   * Checks the backend's settings against the spec and applies their defaults, before anything is created (throws
   * ClusterConfigError). A run resolves once and hands the result to `plan`, `preflight` and `up`.
   */
  resolve(spec: ClusterSpec): BackendSpec;
  /** `resolve` for its checks alone. */
  validate(spec: ClusterSpec): void;
  /** What a start would create, for a dry run (placeholders where only a start knows the value). */
  plan(spec: ClusterSpec, backendSpec?: BackendSpec): ClusterPlan;
  /**
   * The read-only checks `up` runs before creating anything (Fargate: image and architecture, subnets and their
   * routes or endpoints, vCPU quotas); undefined for a backend without any. Refusals are findings here, not errors.
   */
  preflight(
    spec: ClusterSpec,
    options: BackendOptions & { readonly backendSpec?: BackendSpec | undefined },
  ): Promise<PreflightReport | undefined>;
  /**
   * `onPreflight` gets the Fargate preflight's findings (notes included) before anything is created, e.g. for a job
   * summary; `readiness` defaults to {@link DEFAULT_READINESS} of the backend.
   */
  up(spec: ClusterSpec, options: UpOptions): Promise<ClusterHandle>;
  /** Runs a job in the cluster (`runsOn: cluster`); `runClusterJob` runs both kinds. */
  runJob(handle: ClusterHandle, job: JobSpec, options: BackendOptions): Promise<JobResult>;
  /** Watches the members while something else runs (a job on the runner); Fargate reports none (its job task watches itself). */
  watchMembers(handle: ClusterHandle, options: BackendOptions): Promise<MemberWatch>;
  scale(handle: ClusterHandle, workers: number, options: BackendOptions): Promise<ClusterHandle>;
  /** Removes the members of workers the scheduler retired (adaptive scale-down); returns the handle with the rest. */
  removeWorkers(
    handle: ClusterHandle,
    retired: readonly RetiredWorker[],
    options: BackendOptions,
  ): Promise<ClusterHandle>;
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

/**
 * The verbs of a backend that reach its engine, in a module of their own that {@link createBackend} loads on first
 * use. They take the backend's settings as resolved at the entry (`preflight` and `up` are handed them): nothing
 * below the entry resolves again.
 */
export interface EngineVerbs
  extends Pick<ClusterBackend, "runJob" | "watchMembers" | "scale" | "removeWorkers" | "down" | "reap" | "logs"> {
  preflight(spec: ClusterSpec, backendSpec: BackendSpec, options: BackendOptions): Promise<PreflightReport | undefined>;
  up(spec: ClusterSpec, backendSpec: BackendSpec, options: UpOptions): Promise<ClusterHandle>;
}

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
        resolve: () => ({ backend: "docker" }),
        plan: (spec) =>
          planDockerCluster(spec, { createdAt: "<start time>", expiresAt: "<start time + max-lifetime>" }),
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
  const resolve = (spec: ClusterSpec): BackendSpec => ({
    backend: "fargate",
    fargate: resolveFargateSpec(input, spec),
  });
  return lazyBackend(
    {
      name: "fargate",
      resolve,
      plan: (spec, backendSpec) =>
        planFargateCluster(spec, fargateSpecOf(backendSpec ?? resolve(spec)), placeholders(spec)),
    },
    async () => (await import("./fargate/fargate-backend.js")).fargateEngineVerbs(input, settings.clients),
  );
}

/**
 * A backend whose engine verbs wait for `load` (once; a failed load is tried again on the next call). Every verb
 * is async, so a bad spec or a refused scale rejects its promise like every other failure, never throws from the call.
 */
function lazyBackend(
  light: Pick<ClusterBackend, "name" | "resolve" | "plan"> & Partial<Pick<ClusterBackend, "preflight">>,
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
  // The backend's settings as the caller resolved them, or resolved here once: a verb used outside a run (`plan`).
  const given = (spec: ClusterSpec, backendSpec: BackendSpec | undefined): BackendSpec => {
    if (backendSpec && backendSpec.backend !== light.name)
      throw new CoreError(`a ${backendSpec.backend} backend spec was handed to the ${light.name} backend`);
    return backendSpec ?? light.resolve(spec);
  };
  return {
    name: light.name,
    resolve: light.resolve,
    validate: (spec) => {
      light.resolve(spec);
    },
    plan: (spec, backendSpec) => light.plan(spec, given(spec, backendSpec)),
    preflight:
      light.preflight ??
      (async (spec, options) => {
        const backendSpec = given(spec, options.backendSpec);
        return (await engine()).preflight(spec, backendSpec, options);
      }),
    up: async (spec, options) => {
      const backendSpec = given(spec, options.backendSpec);
      return (await engine()).up(spec, backendSpec, options);
    },
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

/** The Fargate settings of a backend spec (a programming error when it is another backend's). */
export function fargateSpecOf(backendSpec: BackendSpec): FargateSpec {
  if (backendSpec.backend !== "fargate")
    throw new CoreError(`a ${backendSpec.backend} backend spec was handed to the fargate backend`);
  return backendSpec.fargate;
}

/** A scaled cluster stays inside the cost limits it was started with (records from older versions have no opt-out). */
function checkScale(handle: ClusterHandle, workers: number): void {
  checkCostLimits({ ...handle.spec, workers, allowUnboundedCost: handle.spec.allowUnboundedCost ?? false });
}
