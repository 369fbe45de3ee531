/**
 * @packageDocumentation
 * Ephemeral Dask clusters: a validated spec, the Dask commands every backend runs, and the backends
 * that create and fully remove clusters (the local Docker Engine and ECS Fargate) behind one seam, `ClusterBackend`.
 *
 * This is the public surface: what the pipeline, the CLI, the action, the benchmarks and users need (the seam,
 * the spec, typed errors, the AWS client factory, costs, IAM setup, a few validators). Everything else is
 * internal to core and imported by its own tests from `src/` directly. This index loads every backend's modules
 * (the AWS SDK clients, dockerode). Light subpaths load neither: `@dask-fargate-action/core/defaults` (the
 * defaults), `@dask-fargate-action/core/validate` (validators, spec resolvers, errors) and
 * `@dask-fargate-action/core/backend` (`createBackend`, which loads an engine on its first call, and what a run
 * around it needs); test/light-entries.test.ts keeps them light.
 */

export { type BackendOptions, type BackendSettings, type ClusterBackend, type ClusterPlan, createBackend } from "./backend.js";
export {
  type BackendName,
  type ClusterHandle,
  DEFAULT_READINESS,
  type DockerClusterHandle,
  type FargateClusterHandle,
  type FargateResources,
  type JobResult,
  type JobRunsOn,
  type JobSpec,
  type PartialCluster,
  type Readiness,
  type TeardownReport,
  type TlsFiles,
} from "./cluster.js";
export { assertClusterId, clusterDirectory } from "./cluster-id.js";
export { runClusterJob } from "./cluster-job.js";
export { type ClusterSpec, type ClusterSpecInput, DEFAULTS, MAX_WORKERS, newClusterId, resolveClusterSpec } from "./cluster-spec.js";
export { INPUT_DEFAULTS } from "./defaults.js";
// The Docker backend's verbs by name: the README's example and the Docker benchmark drive them without the seam.
export { downDockerCluster, upDockerCluster } from "./docker/docker-cluster.js";
export { runDockerJob } from "./docker/docker-job.js";
export type { DockerPlan } from "./docker/docker-plan.js";
export {
  AwsResponseError,
  CancelledError,
  ClusterConfigError,
  CoreError,
  MemberStoppedError,
  PreflightError,
  RolesSetupError,
  WaitTimeoutError,
} from "./errors.js";
export { type AwsClientOptions, type AwsClients, createAwsClients, USER_AGENT } from "./fargate/aws-clients.js";
export { type CostEstimate, estimateFargateCost, FARGATE_PRICES, hourlyFargateCost } from "./fargate/fargate-cost.js";
// The Fargate verbs by name, for the README's example and the emulator benchmark.
export { downFargateCluster } from "./fargate/fargate-down.js";
export { runFargateJob } from "./fargate/fargate-job.js";
export { fargateNames } from "./fargate/fargate-names.js";
export type { FargatePlan } from "./fargate/fargate-plan.js";
export { rolesCloudFormationTemplate, type SetupRolesOptions, type SetupRolesResult, setupRoles } from "./fargate/fargate-roles.js";
export { type FargateSpec, type FargateSpecInput, parseSecretAssignments, resolveFargateSpec } from "./fargate/fargate-spec.js";
export { upFargateCluster } from "./fargate/fargate-up.js";
export { checkJobOverrides, OVERRIDES_MAX_CHARACTERS } from "./fargate/job-override.js";
export type { PreflightReport } from "./fargate/preflight/fargate-preflight.js";
export type { PreflightFinding } from "./fargate/preflight/preflight-finding.js";
export { checkFargateJobOutputs, checkOutputDir } from "./job-outputs.js";
export { type Logger, silentLogger } from "./logger.js";
export { PhaseTimer } from "./phase-timer.js";
export { validateJobEnv } from "./runner-job.js";
export { countWorkers } from "./scheduler-http.js";
export { parseDurationSeconds } from "./units.js";
