import type Docker from "dockerode";
import { archiveBuildContext, archiveContextEntries } from "./build-context-archive.js";
import { type Builder, detectBuilder } from "./builder.js";
import { BuildkitProgress } from "./buildkit-progress.js";
import { decodeBuildkitTrace } from "./buildkit-trace.js";
import { engineErrorText, readEngineStream } from "./docker-stream.js";
import type { DockerfileBuildContext } from "./dockerfile-project.js";
import { BuildError, ImageConfigError } from "./errors.js";
import { type Logger, silentLogger } from "./logger.js";
import type { BuildContext } from "./render-dockerfile.js";
import { hasUrlCredentials, redactUrlCredentials } from "./url-credentials.js";

/** Options of {@link buildImage}. */
export interface BuildImageOptions {
  readonly docker: Docker;
  /** A generated context (renderBuildContext) or a user's Dockerfile project (loadDockerfileProject). */
  readonly context: BuildContext | DockerfileBuildContext;
  /** Local names to give the image, e.g. `ghcr.io/org/dask:env-0123…`. */
  readonly tags: readonly string[];
  /**
   * Build-arg values; their names must have been passed to the renderer. Never logged, but the
   * engine's builder records them in the image history, so values with URL credentials are refused.
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** How many output lines a BuildError keeps. */
  readonly tailLines?: number;
  /** Default: BuildKit when the engine has it ({@link detectBuilder}), else the legacy builder with a notice. */
  readonly builder?: Builder;
  /** The stage of a multi-stage Dockerfile to build (`docker build --target`); default the last. */
  readonly target?: string;
  /**
   * Images whose layers may stand in for steps (`docker build --cache-from`), e.g. the previous image of the same
   * repository. BuildKit reads their inline cache from the registry; a name that does not exist is skipped.
   */
  readonly cacheFrom?: readonly string[];
  /** BuildKit only: write the inline cache metadata into the image config, so it can serve as `cacheFrom` later. */
  readonly inlineCache?: boolean;
  /** Registry login for BuildKit's pulls (bases and `cacheFrom`), sent over the build's session only. */
  readonly login?: { readonly username: string; readonly password: string; readonly registry: string } | undefined;
}

/** The result of a successful build. */
export interface BuiltImage {
  /** The image id (`sha256:…`) the engine reported. */
  readonly imageId: string;
  readonly builder: Builder;
}

/**
 * Builds a rendered context through the Docker Engine API with an in-memory tar. Progress goes to
 * the logger line by line. A build whose stream carries an error fails with a {@link BuildError}
 * naming the failing step and the last lines of output.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  checkBuildArgValues(options.buildArgs);
  const logger = options.logger ?? silentLogger;
  const tailSize = options.tailLines ?? 20;
  const context = options.context;
  const own = "kind" in context && context.kind === "dockerfile" ? context : undefined;
  let builder = options.builder;
  if (!builder) {
    const detected = await detectBuilder(options.docker);
    if (detected.notice) logger.warn(detected.notice);
    builder = detected.builder;
  }
  const tar = own
    ? await archiveContextEntries(own.entries)
    : await archiveBuildContext((context as BuildContext).files);
  const buildargs: Record<string, string> = { ...(options.buildArgs ?? {}) };
  if (builder === "buildkit" && options.inlineCache) buildargs["BUILDKIT_INLINE_CACHE"] = "1";
  let stream: NodeJS.ReadableStream;
  try {
    stream = await options.docker.buildImage(
      tar as unknown as NodeJS.ReadableStream,
      {
        t: options.tags[0],
        platform: context.platform,
        buildargs,
        // A generated Dockerfile holds its labels, so that the rendered text alone describes the image; a user's
        // Dockerfile is not changed, and gets them through the API.
        ...(own ? { dockerfile: own.dockerfilePath, labels: { ...own.labels } } : {}),
        ...(options.target ? { target: options.target } : {}),
        ...(options.cacheFrom && options.cacheFrom.length > 0 ? { cachefrom: [...options.cacheFrom] } : {}),
        // BuildKit: dockerode opens a session next to the build that answers the builder's registry logins.
        ...(builder === "buildkit" ? { version: "2" } : {}),
        ...(builder === "buildkit" && options.login
          ? {
              authconfig: {
                username: options.login.username,
                password: options.login.password,
                serveraddress: options.login.registry,
              },
            }
          : {}),
        rm: true,
        forcerm: true,
        pull: false,
      } as unknown as Docker.ImageBuildOptions,
    );
  } catch (error) {
    throw new BuildError(`the Docker Engine refused the build (${(error as Error).message})`, undefined, [], {
      cause: error,
    });
  }
  const { imageId, failure, step, tail } =
    builder === "buildkit"
      ? await readBuildkitStream(stream, logger, tailSize)
      : await readLegacyStream(stream, logger, tailSize);
  if (failure) throw new BuildError(failure, step, [...tail]);
  if (!imageId) throw new BuildError("the engine ended the build without reporting an image id", step, [...tail]);
  const image = options.docker.getImage(imageId);
  for (const tag of options.tags.slice(1)) {
    const { repo, tag: t } = splitTag(tag);
    await image.tag({ repo, tag: t });
  }
  return { imageId: imageId.startsWith("sha256:") ? imageId : `sha256:${imageId}`, builder };
}

interface StreamOutcome {
  readonly imageId: string | undefined;
  readonly failure: string | undefined;
  readonly step: string | undefined;
  readonly tail: readonly string[];
}

/** BuildKit: `moby.buildkit.trace` messages carry the steps and their output; `moby.image.id` the image. */
async function readBuildkitStream(
  stream: NodeJS.ReadableStream,
  logger: Logger,
  tailSize: number,
): Promise<StreamOutcome> {
  const progress = new BuildkitProgress(logger, tailSize);
  let imageId: string | undefined;
  const failure = await readEngineStream(stream, (message) => {
    if (message.id === "moby.buildkit.trace" && typeof message.aux === "string")
      progress.add(decodeBuildkitTrace(message.aux));
    else if (message.id === "moby.image.id" && typeof message.aux === "object") imageId = message.aux.ID;
    else if (message.stream) logger.debug(message.stream.trimEnd());
  });
  const failed = progress.failure;
  if (failure)
    return {
      imageId,
      failure: engineErrorText(failure),
      step: failed?.step ?? progress.step,
      tail: failed?.tail ?? [],
    };
  return { imageId, failure: undefined, step: undefined, tail: [] };
}

/** The legacy builder: `Step n/m : …` lines, the output between them, `Successfully built <id>`. */
async function readLegacyStream(
  stream: NodeJS.ReadableStream,
  logger: Logger,
  tailSize: number,
): Promise<StreamOutcome> {
  let step: string | undefined;
  let imageId: string | undefined;
  const tail: string[] = [];
  const failure = await readEngineStream(stream, (message) => {
    if (typeof message.aux === "object" && message.aux.ID) imageId = message.aux.ID;
    for (const line of (message.stream ?? "").split("\n")) {
      const text = line.replace(/\r/g, "").trimEnd();
      if (text === "") continue;
      if (/^Step \d+\/\d+ : /.test(text)) {
        step = text;
        tail.length = 0;
        logger.info(text);
      } else {
        tail.push(text);
        if (tail.length > tailSize) tail.shift();
        logger.debug(text);
      }
      const built = /^Successfully built ([0-9a-f]+)$/.exec(text);
      if (built?.[1] && !imageId) imageId = built[1];
    }
  });
  return { imageId, failure: failure ? engineErrorText(failure) : undefined, step, tail };
}

/**
 * Refuses build-arg values that hold credentials in a URL (e.g. `PIP_INDEX_URL=https://user:token@…`).
 * The Docker Engine's builder writes every build arg in scope into the history entry of each RUN
 * (`docker history` shows `|1 PIP_INDEX_URL=… /bin/sh -c …`), so such a value would ship with the image.
 */
export function checkBuildArgValues(buildArgs: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(buildArgs ?? {})) {
    if (!hasUrlCredentials(value)) continue;
    throw new ImageConfigError(
      "build-args",
      `the value of ${name} ("${redactUrlCredentials(value)}") has credentials in its URL, and the engine records build-arg values in the image history ` +
        "(docker history shows them), so they would ship with the image; use an index or mirror whose URL needs no credentials",
    );
  }
}

/** Splits `name:tag` at the tag's colon (not a registry port's). */
export function splitTag(reference: string): { repo: string; tag: string } {
  const slash = reference.lastIndexOf("/");
  const colon = reference.lastIndexOf(":");
  if (colon > slash) return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repo: reference, tag: "latest" };
}
