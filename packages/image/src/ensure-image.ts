import Docker from "dockerode";
import { buildImage, checkBuildArgValues } from "./build-image.js";
import type { Builder } from "./builder.js";
import { type DockerfileBuildContext, loadDockerfileProject } from "./dockerfile-project.js";
import { ImageConfigError } from "./errors.js";
import { changesText, diffRecords, formatKeyVersions, type ImageRecord, readImageRecord } from "./image-record.js";
import { formatImageReference, type ImageReference, parseImageReference, repositoryName } from "./image-reference.js";
import { type ImageSize, remoteImageSize, sizeText, sizeWarning } from "./image-size.js";
import { loadEnvironment } from "./load-environment.js";
import { type Logger, silentLogger } from "./logger.js";
import { type ImagePlatform, parsePlatform } from "./platform.js";
import { pushImage } from "./push-image.js";
import { pushRecordCompanion, RECORD_COMPANION_SUFFIX } from "./record-companion.js";
import { type Fetch, findRemoteManifest } from "./registry-client.js";
import { type RegistryCredentials, resolveRegistryLogin } from "./registry-credentials.js";
import { findPreviousRemoteImage, readRemoteRecordOrCompanion } from "./registry-record.js";
import { type BuildContext, type Installer, LABELS, renderBuildContext } from "./render-dockerfile.js";

/** The repository used when no `image` is given: the image stays on the local engine. */
export const LOCAL_REPOSITORY = "dask-fargate-env";

/** Options of {@link ensureImage}. */
export interface EnsureImageOptions {
  /** conda environment.yml, requirements.txt or explicit lockfile. Exactly one of this and `dockerfile`. */
  readonly environmentFile?: string;
  /** Your own Dockerfile, built as written with its context. Exactly one of this and `environmentFile`. */
  readonly dockerfile?: string;
  /** The Dockerfile's build context directory; default the Dockerfile's directory. */
  readonly context?: string;
  /** The checkout the Dockerfile and its context must stay inside; default the current directory. */
  readonly workspace?: string;
  /** Repository to tag (and push), e.g. `ghcr.io/org/dask`; the tag is always the content tag. Default: local only. */
  readonly image?: string;
  /** Push to the image's registry; default true when `image` is given. */
  readonly push?: boolean;
  /** Environment files only: a Dockerfile names its base in FROM. */
  readonly baseImage?: string;
  /** Environment files only. */
  readonly installer?: Installer;
  readonly platform?: ImagePlatform | string;
  /** Dockerfiles only: the stage to build (`docker build --target`); default the last stage. */
  readonly target?: string;
  /** Default: BuildKit when the engine has it, else the legacy builder (with a notice). */
  readonly builder?: Builder;
  /**
   * Images whose layers stand in for unchanged steps. Default when pushing: the previous image of the same source
   * in the repository (its inline cache, which every pushed image carries, tells BuildKit which steps it covers),
   * so a fresh runner rebuilds only the steps that changed. `[]` builds without.
   */
  readonly cacheFrom?: readonly string[];
  /**
   * Build-arg values (e.g. PIP_INDEX_URL), never logged. For an environment file names enter the content hash and
   * values do not (the generated Dockerfile's RUN lines are fixed); for a Dockerfile, which may use them anywhere,
   * names and values do. The engine records the values in the image history: values with credentials in a URL are refused.
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Read the record of installed packages back from the image (python, dask, distributed, … versions) when the
   * image is on the local engine: after a build, or when found unchanged there.
   */
  readonly record?: boolean;
  /** Build (and push) even when the content tag already exists. */
  readonly force?: boolean;
  readonly credentials?: RegistryCredentials;
  /** Talk plain http to the registry (default only for localhost and 127.0.0.1). */
  readonly insecureRegistry?: boolean;
  readonly docker?: Docker;
  readonly logger?: Logger;
  readonly fetch?: Fetch;
}

/** What {@link ensureImage} did and where the image is. */
export interface EnsureImageResult {
  /** `unchanged` when the content tag already existed and nothing was built or pushed. */
  readonly status: "built" | "unchanged";
  /** `repository:content-tag`. */
  readonly image: string;
  readonly tag: string;
  readonly contentHash: string;
  /** Registry manifest digest (`sha256:…`) when pushed or found in the registry. */
  readonly digest: string | undefined;
  readonly pushed: boolean;
  readonly dockerfile: string;
  readonly notices: readonly string[];
  /** What the image holds, when `record` was asked for and could be read. */
  readonly record?: ImageRecord;
  /**
   * After a build with `record`: what changed since the newest other image of the same source in the repository
   * (the registry when pushing, else the local engine), e.g. `dask 2024.12.0 → 2024.12.1`.
   */
  readonly changes?: { readonly since: string; readonly lines: readonly string[] };
  /** When the image is in its registry: its compressed size and the pull time it costs at a Fargate task's start. */
  readonly size?: ImageSize;
}

/**
 * The image job: environment file → validated spec → Dockerfile and content tag (or a user's Dockerfile and
 * context → content tag) → skip when the tag already exists (in the registry when pushing, else on the local
 * engine) → build → push.
 */
export async function ensureImage(options: EnsureImageOptions): Promise<EnsureImageResult> {
  const result = await withSize(options, await ensureImageOnly(options));
  if (!options.record) return result;
  const docker = options.docker ?? new Docker();
  const logger = options.logger ?? silentLogger;
  const local = await docker
    .getImage(result.image)
    .inspect()
    .catch(() => undefined);
  let record: ImageRecord | undefined;
  try {
    if (local) {
      record = await readImageRecord(docker, result.image, LABELS.record);
    } else if (result.digest && options.image) {
      // Found unchanged in the registry and not pulled: read the record from the registry's top layers.
      const target = parseImageReference(options.image, "image");
      const login = await resolveRegistryLogin(target.registry, options.credentials);
      // An image built from your own Dockerfile keeps no record in its layers: its record companion holds it.
      const found = await readRemoteRecordOrCompanion(
        target,
        result.tag,
        result.digest,
        parsePlatform(options.platform ?? "linux/amd64"),
        LABELS.record,
        {
          login,
          ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        },
      );
      record = found?.record;
      if (found?.from === "companion")
        logger.info(
          `package record of ${result.image} read from ${result.image}${RECORD_COMPANION_SUFFIX} without pulling`,
        );
    }
  } catch (error) {
    // The image itself is fine; only what it holds could not be shown.
    logger.warn(`the package record of ${result.image} could not be read: ${(error as Error).message}`);
    return result;
  }
  if (!record) {
    logger.info(`${result.image} has no package record that could be read`);
    return result;
  }
  logger.info(`${result.image}: ${formatKeyVersions(record)}`);
  if (result.pushed && result.digest && options.image && local && !local.Config?.Labels?.[LABELS.record]) {
    // Read by running Python in the image: push it next to the image, so a runner without the image finds it.
    try {
      const target = parseImageReference(options.image, "image");
      await pushRecordCompanion({
        docker,
        target,
        tag: result.tag,
        digest: result.digest,
        record,
        platform: parsePlatform(options.platform ?? "linux/amd64"),
        login: await resolveRegistryLogin(target.registry, options.credentials),
        ...(options.builder ? { builder: options.builder } : {}),
        logger,
      });
    } catch (error) {
      logger.warn(`the package record of ${result.image} could not be pushed next to it: ${(error as Error).message}`);
    }
  }
  const source = local?.Config?.Labels?.[LABELS.sourceFile];
  if (result.status !== "built" || !source) return { ...result, record };
  try {
    const changes = await changesSincePrevious(options, docker, result, source, record);
    if (changes) logger.info(changesText(changes));
    return changes ? { ...result, record, changes } : { ...result, record };
  } catch (error) {
    logger.warn(`what changed since the previous image of ${source} could not be read: ${(error as Error).message}`);
    return { ...result, record };
  }
}

/** Adds the registry size of a pushed or found image, logged with its pull estimate (a warning above the threshold). */
async function withSize(options: EnsureImageOptions, result: EnsureImageResult): Promise<EnsureImageResult> {
  if (!result.digest || !options.image) return result;
  const logger = options.logger ?? silentLogger;
  try {
    const target = parseImageReference(options.image, "image");
    const size = await remoteImageSize(target, result.digest, parsePlatform(options.platform ?? "linux/amd64"), {
      login: await resolveRegistryLogin(target.registry, options.credentials),
      ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (!size) return result;
    logger.info(`${result.image}: ${sizeText(size)}`);
    const warning = sizeWarning(size);
    if (warning) logger.warn(warning);
    return { ...result, size };
  } catch (error) {
    logger.warn(`the size of ${result.image} could not be read from its registry: ${(error as Error).message}`);
    return result;
  }
}

/** The newest other image of the same source (registry when pushed, else local engine) compared with this one's record. */
async function changesSincePrevious(
  options: EnsureImageOptions,
  docker: Docker,
  result: EnsureImageResult,
  source: string,
  record: ImageRecord,
): Promise<{ since: string; lines: string[] } | undefined> {
  const name = result.image.slice(0, result.image.length - result.tag.length - 1);
  let previous: string | undefined;
  let before: ImageRecord | undefined;
  if (result.pushed && options.image) {
    const target = parseImageReference(options.image, "image");
    const requestOptions = {
      login: await resolveRegistryLogin(target.registry, options.credentials),
      ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    const platform = parsePlatform(options.platform ?? "linux/amd64");
    const tag = await findPreviousRemoteImage(target, result.tag, LABELS.sourceFile, source, platform, requestOptions);
    if (!tag) return undefined;
    previous = `${name}:${tag}`;
    before = (await readRemoteRecordOrCompanion(target, tag, undefined, platform, LABELS.record, requestOptions))
      ?.record;
  } else {
    const prefix = result.tag.slice(0, result.tag.indexOf("-") + 1);
    const images = await docker.listImages({
      filters: { label: [`${LABELS.sourceFile}=${source}`], reference: [name] },
    });
    const candidates = images
      .flatMap((image) => (image.RepoTags ?? []).map((tag) => ({ tag, created: image.Created })))
      .filter(({ tag }) => tag.startsWith(`${name}:${prefix}`) && tag !== result.image)
      .sort((a, b) => b.created - a.created);
    previous = candidates[0]?.tag;
    if (!previous) return undefined;
    before = await readImageRecord(docker, previous, LABELS.record);
  }
  return before ? { since: previous, lines: diffRecords(before, record) } : undefined;
}

async function ensureImageOnly(options: EnsureImageOptions): Promise<EnsureImageResult> {
  const logger = options.logger ?? silentLogger;
  checkSource(options);
  checkBuildArgValues(options.buildArgs);
  const platform = parsePlatform(options.platform ?? "linux/amd64");
  const target: ImageReference = options.image
    ? parseImageReference(options.image, "image")
    : parseImageReference(LOCAL_REPOSITORY, "image");
  const push = options.push ?? options.image !== undefined;
  if (push && !options.image)
    throw new ImageConfigError("image", "pushing needs a repository; set image, e.g. ghcr.io/org/dask");
  const context = await prepareContext(options, platform);
  for (const notice of context.notices) logger.warn(notice);
  const name = repositoryName(target);
  const image = `${name}:${context.tag}`;
  const common = {
    image,
    tag: context.tag,
    contentHash: context.contentHash,
    dockerfile: context.dockerfile,
    notices: context.notices,
  };
  if ("kind" in context) {
    const files = context.entries.filter((e) => e.type === "file").length;
    logger.info(
      `Dockerfile ${context.sourceFile} with context ${context.contextDir} (${files} files) → ${image} (content hash ${context.contentHash.slice(0, 12)}…)`,
    );
  } else {
    logger.info(
      `environment ${options.environmentFile} → ${image} (content hash ${context.contentHash.slice(0, 12)}…)`,
    );
  }

  const login = push ? await resolveRegistryLogin(target.registry, options.credentials) : undefined;
  const docker = options.docker ?? new Docker();
  if (!options.force) {
    if (push) {
      const started = Date.now();
      const digest = await findRemoteManifest(target, context.tag, {
        login,
        ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      if (digest) {
        logger.info(
          `unchanged: ${formatImageReference({ ...target, tag: context.tag })} exists with digest ${digest} (checked in ${Date.now() - started} ms)`,
        );
        return { ...common, status: "unchanged", digest, pushed: false };
      }
    } else {
      const local = await docker
        .getImage(image)
        .inspect()
        .catch(() => undefined);
      if (local?.Config?.Labels?.[LABELS.contentHash] === context.contentHash) {
        logger.info(`unchanged: ${image} exists on the local engine`);
        return { ...common, status: "unchanged", digest: undefined, pushed: false };
      }
    }
  }
  const base = "kind" in context ? context.baseImages.join(", ") || "scratch" : context.baseImage;
  logger.info(
    `building ${image} from ${base} for ${platform}${"kind" in context && context.target ? ` (stage ${context.target})` : ""}`,
  );
  const cacheFrom =
    options.cacheFrom ?? (push ? await previousImageForCache(options, target, context, platform, logger) : []);
  await buildImage({
    docker,
    context,
    tags: [image],
    logger,
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    ...(options.builder ? { builder: options.builder } : {}),
    ...("kind" in context && context.target ? { target: context.target } : {}),
    cacheFrom,
    // Every pushed image carries its inline cache, so that it can serve as the cache of the next build on a fresh runner.
    inlineCache: push,
    login: login ? { ...login, registry: target.registry } : undefined,
  });
  if (!push) return { ...common, status: "built", digest: undefined, pushed: false };
  logger.info(`pushing ${image}`);
  // pushImage redacts the password from every message it passes on.
  const digest = await pushImage({ docker, target, tag: context.tag, login, logger });
  return { ...common, status: "built", digest, pushed: true };
}

/**
 * The newest other image of the same source in the repository, as `repository:tag` for cache-from; none when the
 * registry cannot tell (a failed lookup costs only the cache, never the build).
 */
async function previousImageForCache(
  options: EnsureImageOptions,
  target: ImageReference,
  context: BuildContext | DockerfileBuildContext,
  platform: ImagePlatform,
  logger: Logger,
): Promise<string[]> {
  const source = context.labels[LABELS.sourceFile];
  if (!source) return [];
  try {
    const tag = await findPreviousRemoteImage(target, context.tag, LABELS.sourceFile, source, platform, {
      login: await resolveRegistryLogin(target.registry, options.credentials),
      ...(options.insecureRegistry !== undefined ? { insecure: options.insecureRegistry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (!tag) return [];
    const previous = `${repositoryName(target)}:${tag}`;
    logger.info(`cache from ${previous} (the previous image of ${source})`);
    return [previous];
  } catch (error) {
    logger.warn(
      `no cache from the registry: the previous image of ${source} could not be looked up (${(error as Error).message})`,
    );
    return [];
  }
}

/**
 * Exactly one source: an environment file or a Dockerfile; the options of the other are refused, not ignored. Both
 * sources at once are the front ends' rule to refuse (with its fix, where the user named them): here it is a
 * programming error.
 */
function checkSource(options: EnsureImageOptions): void {
  if (options.environmentFile !== undefined && options.dockerfile !== undefined)
    throw new Error(
      "ensureImage was given both an environment file and a Dockerfile: the caller refuses that before it builds",
    );
  if (options.context !== undefined && options.dockerfile === undefined) {
    throw new ImageConfigError(
      "context",
      "context is the build context of a Dockerfile; give dockerfile as well, or remove context",
    );
  }
  if (options.environmentFile === undefined && options.dockerfile === undefined) {
    throw new ImageConfigError(
      "environment-file",
      "give environment-file (environment.yml, requirements.txt or a lockfile) or dockerfile (your own Dockerfile)",
    );
  }
  if (options.dockerfile !== undefined) {
    for (const [option, value] of [
      ["base-image", options.baseImage],
      ["installer", options.installer],
    ] as const) {
      if (value !== undefined)
        throw new ImageConfigError(
          option,
          `${option} applies to environment files; with dockerfile, the Dockerfile's FROM and RUN lines decide it`,
        );
    }
  } else if (options.target !== undefined) {
    throw new ImageConfigError(
      "target",
      "target names a stage of your own Dockerfile; the image generated from an environment file has one stage: remove target",
    );
  }
}

async function prepareContext(
  options: EnsureImageOptions,
  platform: ImagePlatform,
): Promise<BuildContext | DockerfileBuildContext> {
  if (options.dockerfile !== undefined) {
    return loadDockerfileProject({
      dockerfile: options.dockerfile,
      platform,
      ...(options.context !== undefined ? { context: options.context } : {}),
      ...(options.workspace !== undefined ? { workspace: options.workspace } : {}),
      ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.target !== undefined ? { target: options.target } : {}),
    });
  }
  const spec = await loadEnvironment(options.environmentFile ?? "", platform);
  return renderBuildContext(spec, {
    platform,
    buildArgNames: Object.keys(options.buildArgs ?? {}),
    ...(options.baseImage ? { baseImage: options.baseImage } : {}),
    ...(options.installer ? { installer: options.installer } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
  });
}
