/**
 * @packageDocumentation
 * One run of the tool, shared by the CLI and the GitHub Action so they cannot drift: the image (built,
 * reused or given; pushed whenever the backend pulls from a registry) → the cluster → the job → its output
 * files → the teardown, with phase times, the cost estimate and one result object.
 */

export { checkImageRequest, type ImageOutcome, type ImageRequest, resolveImage } from "./image-phase.js";
export {
  INTERRUPTED_EXIT_CODE,
  JOB_TIMEOUT_EXIT_CODE,
  jobDeadline,
  OUTPUTS_FAILED_EXIT_CODE,
  parseJobTimeout,
} from "./job-deadline.js";
export { formatBytes, type OutputFile, outputDirFor } from "./output-files.js";
export { PICTURES_FILE, type RunPictures, renderPictures } from "./pictures/pictures.js";
export type { TrainingMetrics } from "./pictures/training-metrics.js";
export type { WorkersOverTime } from "./pictures/workers-over-time.js";
export { registryCredentialsFor } from "./registry-login.js";
export {
  IMAGE_AFTER_BUILD,
  type ResolvedOutputs,
  type ResolvedRun,
  resolveCluster,
  resolveRun,
  withImage,
} from "./resolve-run.js";
export { hourlyCostOf, runCostOf } from "./run-cost.js";
export { namePhase, type RunMessageFacts, type RunPhase, runMessage } from "./run-message.js";
export {
  type JobRequest,
  type RunEnding,
  type RunHooks,
  type RunRequest,
  type RunResult,
  type RunTeardown,
  runPipeline,
  runResolved,
} from "./run-pipeline.js";
export { type RunReport, runReport } from "./run-report.js";
export { formatSavedCluster, parseSavedCluster, type SavedCluster } from "./saved-cluster.js";
export type { StoppedMember } from "./stopped-members.js";
