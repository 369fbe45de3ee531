/**
 * @packageDocumentation
 * Ephemeral Dask clusters: a validated spec, the Dask commands every backend runs, and the backends
 * that create and fully remove clusters (the local Docker Engine and ECS Fargate) behind one seam, `ClusterBackend`.
 */

export { type BackendOptions, type BackendSettings, type ClusterBackend, type ClusterPlan, createBackend } from "./backend.js";
export {
  type BackendName,
  type ClusterHandle,
  type ClusterHandleBase,
  type ClusterProgress,
  DEFAULT_READINESS,
  type DockerClusterHandle,
  type FargateClusterHandle,
  type FargateResources,
  type JobResult,
  type JobRunsOn,
  type JobSpec,
  type MemberWatch,
  type OperationOptions,
  type PartialCluster,
  READINESS_VALUES,
  type Readiness,
  type TeardownReport,
  type TlsFiles,
} from "./cluster.js";
export { assertClusterId, CLUSTER_ID_PATTERN, clusterDirectory, isClusterId, removeClusterStateDir } from "./cluster-id.js";
export { runClusterJob } from "./cluster-job.js";
export { type ClusterSpec, type ClusterSpecInput, type DaskCli, DEFAULTS, MAX_WORKERS, newClusterId, resolveClusterSpec } from "./cluster-spec.js";
export { COST_LIMITS, type CostShape, checkCostLimits } from "./cost-limits.js";
export {
  CONTAINER_TLS_PATHS,
  DASHBOARD_PORT,
  jobCommand,
  jobEnvironment,
  SCHEDULER_PORT,
  schedulerCommand,
  tlsEnvironment,
  WAIT_FOR_WORKERS_PY,
  withLifetime,
  workerCommand,
} from "./dask-commands.js";
export {
  type DockerDownOptions,
  type DockerUpOptions,
  type DockerWaitOptions,
  downDockerCluster,
  scaleDockerCluster,
  upDockerCluster,
  waitForDockerCluster,
} from "./docker/docker-cluster.js";
export { type DockerJobOptions, runDockerJob } from "./docker/docker-job.js";
export { dockerClusterLogs } from "./docker/docker-logs.js";
export { type DockerFacts, type DockerPlan, dockerWorkerPlan, planDockerCluster } from "./docker/docker-plan.js";
export { type DockerReapOptions, reapDockerClusters } from "./docker/docker-reaper.js";
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
export { type AwsClientOptions, type AwsClients, awsErrorName, createAwsClients, isNonAwsAnswer, USER_AGENT } from "./fargate/aws-clients.js";
export { type CostEstimate, type CostOptions, estimateFargateCost, FARGATE_PRICES, hourlyFargateCost } from "./fargate/fargate-cost.js";
export { downFargateCluster, type FargateDownOptions, type FargateTeardownTarget } from "./fargate/fargate-down.js";
export { type FargateJobOptions, runFargateJob } from "./fargate/fargate-job.js";
export { fargateClusterLogs } from "./fargate/fargate-logs.js";
export { fargateNames } from "./fargate/fargate-names.js";
export { OUTPUT_POLICY_PREFIX, outputPolicyName, outputWritePolicy } from "./fargate/fargate-output-access.js";
export { checkFargateJobOutputs, downloadJobOutputs } from "./fargate/fargate-outputs.js";
export {
  bindPlan,
  type FargateFacts,
  type FargatePlan,
  PLAN_REFS,
  type PlannedRequest,
  type PlanRefValues,
  planFargateCluster,
  plannedRequests,
  RUN_TASK_MAX_COUNT,
  runTaskInput,
  TLS_PREAMBLE,
  workerRunInputs,
} from "./fargate/fargate-plan.js";
export { type FargateReapOptions, reapFargateClusters } from "./fargate/fargate-reaper.js";
export {
  type AwsAccount,
  callerAccount,
  EXECUTION_ROLE_POLICY_ARN,
  EXECUTION_ROLE_SECRETS_POLICY,
  EXECUTION_ROLE_SECRETS_POLICY_NAME,
  ecsTasksTrustPolicy,
  hasConfusedDeputyGuard,
  rolesCloudFormationTemplate,
  type SetupRolesOptions,
  type SetupRolesResult,
  setupRoles,
} from "./fargate/fargate-roles.js";
export { scaleFargateCluster } from "./fargate/fargate-scale.js";
export { FARGATE_SIZES, fargateTaskSize } from "./fargate/fargate-sizes.js";
export { type FargateSpec, type FargateSpecInput, LOG_RETENTION_DAYS, parseSecretAssignments, resolveFargateSpec } from "./fargate/fargate-spec.js";
export { type FargateUpOptions, upFargateCluster } from "./fargate/fargate-up.js";
export { checkJobOverrides, OVERRIDES_MAX_CHARACTERS } from "./fargate/job-override.js";
export { UPLOAD_OUTPUTS_PY } from "./fargate/output-uploader.js";
export { assertPreflight, type PreflightOptions, type PreflightReport, preflightFargate } from "./fargate/preflight/fargate-preflight.js";
export type { PreflightFinding } from "./fargate/preflight/preflight-finding.js";
export { ARCHITECTURE_PLATFORM } from "./fargate/preflight/preflight-image.js";
export { requiredEndpoints } from "./fargate/preflight/preflight-network.js";
export { FARGATE_QUOTAS, type VcpuDemand, vcpuDemand } from "./fargate/preflight/preflight-quota.js";
export { type ManifestAnswer, readImagePlatforms } from "./fargate/preflight/registry-manifest.js";
export {
  CONTAINER_OUTPUT_DIR,
  checkOutputDir,
  type JobOutputs,
  listOutputFiles,
  localPathForKey,
  OUTPUT_DIR_ENV,
  type OutputFile,
  outputKeyPrefix,
  parseOutputUri,
  prepareOutputDir,
  type S3Location,
} from "./job-outputs.js";
export { clusterLabels, LABEL, MANAGED_BY, type MemberRole } from "./labels.js";
export { type Logger, silentLogger } from "./logger.js";
export { PhaseTimer } from "./phase-timer.js";
export { runJobOnRunner, runnerJobEnvironment, validateJobEnv } from "./runner-job.js";
export { countWorkers } from "./scheduler-http.js";
export { type ClusterTls, createClusterTls, readTlsFiles, type TlsIdentity, writeTlsFiles } from "./tls.js";
export { parseDurationSeconds, parseMemoryMiB, parseVcpu } from "./units.js";
export { type Clock, type PollOptions, pollUntil, systemClock } from "./wait.js";
