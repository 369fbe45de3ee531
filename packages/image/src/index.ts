/**
 * @packageDocumentation
 * Environment file → normalised spec → content hash → Dockerfile and build context → build and push
 * through the Docker Engine API. See the package README for the rules and the tag scheme.
 *
 * This index is the public API: what the pipeline, the CLI, the action, the benchmarks and the README use. The
 * package's own tests import the other modules directly.
 */
export { type BuildImageOptions, type BuiltImage, buildImage } from "./build-image.js";
export { type Builder, detectBuilder } from "./builder.js";
export {
  type DockerfileBuildContext,
  type DockerfileProjectOptions,
  loadDockerfileProject,
} from "./dockerfile-project.js";
export { type EnsureImageOptions, type EnsureImageResult, ensureImage } from "./ensure-image.js";
export type { EnvironmentSpec } from "./environment-spec.js";
export {
  BuildError,
  EnvironmentFileError,
  ImageConfigError,
  ImageError,
  RegistryError,
  type SourcePosition,
} from "./errors.js";
export { changesText, formatKeyVersions, type ImageRecord, RECORD_PROGRAM, readImageRecord } from "./image-record.js";
export { type ImageReference, parseImageReference } from "./image-reference.js";
export { sizeText } from "./image-size.js";
export { loadEnvironment } from "./load-environment.js";
export type { Logger } from "./logger.js";
export { type PushImageOptions, pushImage } from "./push-image.js";
export { isEcrRegistry, type RegistryCredentials } from "./registry-credentials.js";
export { readRemoteRecordOrCompanion } from "./registry-record.js";
export {
  type BuildContext,
  DEFAULT_BASE_IMAGE,
  LABELS,
  type RenderOptions,
  renderBuildContext,
} from "./render-dockerfile.js";
export { runnerJobWarning } from "./runner-python.js";
