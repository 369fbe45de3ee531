/**
 * @packageDocumentation
 * Environment file → normalised spec → content hash → Dockerfile and build context → build and push
 * through the Docker Engine API. See the package README for the rules and the tag scheme.
 */
export { archiveBuildContext, archiveContextEntries } from "./build-context-archive.js";
export { type BuildImageOptions, type BuiltImage, buildImage } from "./build-image.js";
export { type Builder, detectBuilder } from "./builder.js";
export { type BuildkitFailure, BuildkitProgress } from "./buildkit-progress.js";
export { type BuildkitTrace, decodeBuildkitTrace, encodeBuildkitTrace, type TraceLog, type TraceVertex, type TraceWarning } from "./buildkit-trace.js";
export { parseCondaMatchSpec, type SpecProblem } from "./conda-match-spec.js";
export { computeContentHash, contentTag, type HashInputs, TAG_HASH_LENGTH } from "./content-hash.js";
export { type ContextEntry, type IgnoreRules, ignoreRulesFromText, NEVER_SENT, readIgnoreRules, walkContext } from "./dockerfile-context.js";
export {
  DOCKERFILE_TAG_PREFIX,
  type DockerfileBuildContext,
  type DockerfileProjectOptions,
  inspectFromLines,
  loadDockerfileProject,
  OUTSIDE_DOCKERFILE_NAME,
} from "./dockerfile-project.js";
export { type EnsureImageOptions, type EnsureImageResult, ensureImage, LOCAL_REPOSITORY } from "./ensure-image.js";
export type {
  CondaDependency,
  EnvironmentKind,
  EnvironmentSpec,
  ExplicitPackage,
  LocalFile,
  PipRequirement,
  PipRequirementKind,
} from "./environment-spec.js";
export { BuildError, EnvironmentFileError, ImageConfigError, ImageError, RegistryError, type SourcePosition } from "./errors.js";
export {
  changesText,
  diffRecords,
  formatKeyVersions,
  type ImageRecord,
  KEY_PACKAGES,
  parseImageRecord,
  RECORD_PATHS,
  RECORD_PROGRAM,
  readImageRecord,
} from "./image-record.js";
export { formatImageReference, type ImageReference, parseImageReference, repositoryName } from "./image-reference.js";
export {
  estimatePullSeconds,
  FARGATE_PULL_MODEL,
  type ImageSize,
  PULL_WARNING_BYTES,
  remoteImageSize,
  sizeText,
  sizeWarning,
} from "./image-size.js";
export { loadEnvironment, parseEnvironment, parseEnvironmentText } from "./load-environment.js";
export { consoleLogger, type Logger, silentLogger } from "./logger.js";
export { normalisePipName, parsePipRequirement } from "./pip-requirement.js";
export { CONDA_SUBDIR, type ImagePlatform, parsePlatform } from "./platform.js";
export { type PushImageOptions, pushImage } from "./push-image.js";
export { pushRecordCompanion, RECORD_COMPANION_SUFFIX, type RecordCompanionOptions, recordCompanionTag } from "./record-companion.js";
export { type Fetch, findRemoteManifest, type RegistryRequestOptions, registryBaseUrl } from "./registry-client.js";
export { isEcrRegistry, type RegistryCredentials, type RegistryLogin, resolveRegistryLogin } from "./registry-credentials.js";
export { readRemoteRecordOrCompanion } from "./registry-record.js";
export { type BuildContext, DEFAULT_BASE_IMAGE, type Installer, LABELS, type RenderOptions, renderBuildContext } from "./render-dockerfile.js";
export { clientMismatch, localPythonRecord, runnerJobWarning } from "./runner-python.js";
export { checkSessionMounts } from "./session-mounts.js";
export { GENERATOR_NAME, GENERATOR_VERSION } from "./version.js";
