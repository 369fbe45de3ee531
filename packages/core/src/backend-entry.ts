/**
 * @packageDocumentation
 * `@dask-fargate-action/core/backend`: the seam and what a run around it needs (running a job on either side,
 * phase times, cost estimates, counting a cluster's workers) without loading any engine. `createBackend` loads
 * dockerode or the AWS SDK clients with `import()` on the first verb that reaches its engine, so the CLI's and the
 * pipeline's Docker path never loads the AWS SDK (test/light-entries.test.ts checks both). Validators and errors
 * are in `@dask-fargate-action/core/validate`; the backends' verbs by name only in core's index.
 */

export type { RetiredWorker } from "./adaptive/adapt-lines.js";
export { type AdaptiveReport, formatTimeline, type WorkerPoint } from "./adaptive/adaptive-controller.js";
export {
  type BackendOptions,
  type BackendSettings,
  type BackendSpec,
  type ClusterBackend,
  type ClusterPlan,
  createBackend,
  type UpOptions,
} from "./backend.js";
export type {
  BackendName,
  ClusterHandle,
  DockerClusterHandle,
  FargateClusterHandle,
  FargateResources,
  JobResult,
  JobRunsOn,
  JobSpec,
  PartialCluster,
  Readiness,
  TeardownReport,
  TlsFiles,
  WorkerReplacement,
} from "./cluster.js";
export { runClusterJob } from "./cluster-job.js";
export { type CostEstimate, estimateFargateCost, FARGATE_PRICES, hourlyFargateCost } from "./fargate/fargate-cost.js";
export type { PreflightReport } from "./fargate/preflight/fargate-preflight.js";
export type { PreflightFinding } from "./fargate/preflight/preflight-finding.js";
export { type Logger, silentLogger } from "./logger.js";
export { PhaseTimer } from "./phase-timer.js";
export { countWorkers } from "./scheduler-http.js";
export {
  type MemberStart,
  parseRegistrations,
  type StartTimeline,
  type WorkerRegistration,
  withRegistrations,
} from "./start-timeline.js";
