import Docker from "dockerode";
import { buildImage, checkBuildArgValues } from "./build-image.js";
import { ImageConfigError } from "./errors.js";
import { formatImageReference, type ImageReference, parseImageReference, repositoryName } from "./image-reference.js";
import { loadEnvironment } from "./load-environment.js";
import { type Logger, silentLogger } from "./logger.js";
import { type ImagePlatform, parsePlatform } from "./platform.js";
import { pushImage } from "./push-image.js";
import { type Fetch, findRemoteManifest } from "./registry-client.js";
import { type RegistryCredentials, resolveRegistryLogin } from "./registry-credentials.js";
import { type Installer, LABELS, renderBuildContext } from "./render-dockerfile.js";

/** The repository used when no `image` is given: the image stays on the local engine. */
export const LOCAL_REPOSITORY = "dask-fargate-env";

/** Options of {@link ensureImage}. */
export interface EnsureImageOptions {
  /** conda environment.yml, requirements.txt or explicit lockfile. */
  readonly environmentFile: string;
  /** Repository to tag (and push), e.g. `ghcr.io/org/dask`; the tag is always the content tag. Default: local only. */
  readonly image?: string;
  /** Push to the image's registry; default true when `image` is given. */
  readonly push?: boolean;
  readonly baseImage?: string;
  readonly installer?: Installer;
  readonly platform?: ImagePlatform | string;
  /**
   * Build-arg values (e.g. PIP_INDEX_URL); names enter the content hash, values never do and are never logged.
   * The engine records the values in the image history: values with credentials in a URL are refused.
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
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
}

/**
 * The image job: environment file → validated spec → Dockerfile and content tag → skip when the tag
 * already exists (in the registry when pushing, else on the local engine) → build → push.
 */
export async function ensureImage(options: EnsureImageOptions): Promise<EnsureImageResult> {
  const logger = options.logger ?? silentLogger;
  checkBuildArgValues(options.buildArgs);
  const platform = parsePlatform(options.platform ?? "linux/amd64");
  const target: ImageReference = options.image ? parseImageReference(options.image, "image") : parseImageReference(LOCAL_REPOSITORY, "image");
  const push = options.push ?? options.image !== undefined;
  if (push && !options.image) throw new ImageConfigError("image", "pushing needs a repository; set image, e.g. ghcr.io/org/dask");
  const spec = await loadEnvironment(options.environmentFile, platform);
  const context = renderBuildContext(spec, {
    platform,
    buildArgNames: Object.keys(options.buildArgs ?? {}),
    ...(options.baseImage ? { baseImage: options.baseImage } : {}),
    ...(options.installer ? { installer: options.installer } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
  });
  for (const notice of context.notices) logger.warn(notice);
  const name = repositoryName(target);
  const image = `${name}:${context.tag}`;
  const common = { image, tag: context.tag, contentHash: context.contentHash, dockerfile: context.dockerfile, notices: context.notices };
  logger.info(`environment ${spec.sourceFile} → ${image} (content hash ${context.contentHash.slice(0, 12)}…)`);

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
        logger.info(`unchanged: ${formatImageReference({ ...target, tag: context.tag })} exists with digest ${digest} (checked in ${Date.now() - started} ms)`);
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
  logger.info(`building ${image} from ${context.baseImage} for ${platform}`);
  await buildImage({ docker, context, tags: [image], logger, ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}) });
  if (!push) return { ...common, status: "built", digest: undefined, pushed: false };
  logger.info(`pushing ${image}`);
  // pushImage redacts the password from every message it passes on.
  const digest = await pushImage({ docker, target, tag: context.tag, login, logger });
  return { ...common, status: "built", digest, pushed: true };
}
