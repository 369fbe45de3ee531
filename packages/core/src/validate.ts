/**
 * @packageDocumentation
 * `@dask-fargate-action/core/validate`: the pure checks a front end runs on its inputs before anything exists (the
 * cluster and Fargate specs, cluster ids, durations, job-env, secrets, job overrides, output directories) and the
 * errors they throw. It loads no AWS SDK client and no dockerode (test/light-entries.test.ts keeps it so), so the
 * action can check every input before its first line costs more than a few milliseconds. The same names come from
 * core's index (the same modules, so one class per error even when both are imported).
 */

export { type AdaptiveWorkers, parseWorkerCount, peakWorkers, workersText } from "./adaptive/worker-range.js";
export { parseBuildArgs } from "./build-args.js";
export { assertClusterId, clusterDirectory } from "./cluster-id.js";
export {
  type ClusterSpec,
  type ClusterSpecInput,
  DEFAULTS,
  MAX_WORKERS,
  newClusterId,
  resolveClusterSpec,
} from "./cluster-spec.js";
export {
  AwsResponseError,
  CancelledError,
  ClusterConfigError,
  CoreError,
  InputError,
  MemberStoppedError,
  PreflightError,
  RolesSetupError,
  WaitTimeoutError,
} from "./errors.js";
export {
  type FargateSpec,
  type FargateSpecInput,
  parseSecretAssignments,
  resolveFargateSpec,
} from "./fargate/fargate-spec.js";
export { checkJobOverrides, OVERRIDES_MAX_CHARACTERS } from "./fargate/job-override.js";
export { checkRepository } from "./fargate/repository-policy.js";
export { checkFargateJobOutputs, checkOutputDir } from "./job-outputs.js";
export { validateJobEnv } from "./runner-job.js";
export { type JobUser, resolveJobUser } from "./runner-user.js";
export { parseDurationSeconds } from "./units.js";
