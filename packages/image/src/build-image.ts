import type Docker from "dockerode";
import { archiveBuildContext, archiveContextEntries } from "./build-context-archive.js";
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
}

/** The result of a successful build. */
export interface BuiltImage {
  /** The image id (`sha256:…`) the engine reported. */
  readonly imageId: string;
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
  const tar = own ? await archiveContextEntries(own.entries) : await archiveBuildContext((context as BuildContext).files);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await options.docker.buildImage(
      tar as unknown as NodeJS.ReadableStream,
      {
        t: options.tags[0],
        platform: context.platform,
        buildargs: { ...(options.buildArgs ?? {}) },
        // A generated Dockerfile holds its labels, so that the rendered text alone describes the image; a user's
        // Dockerfile is not changed, and gets them through the API.
        ...(own ? { dockerfile: own.dockerfilePath, labels: { ...own.labels } } : {}),
        rm: true,
        forcerm: true,
        pull: false,
      } as Docker.ImageBuildOptions,
    );
  } catch (error) {
    throw new BuildError(`the Docker Engine refused the build (${(error as Error).message})`, undefined, [], { cause: error });
  }
  let step: string | undefined;
  let imageId: string | undefined;
  const tail: string[] = [];
  const failure = await readEngineStream(stream, (message) => {
    if (message.aux?.ID) imageId = message.aux.ID;
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
  if (failure) throw new BuildError(engineErrorText(failure), step, [...tail]);
  if (!imageId) throw new BuildError("the engine ended the build without reporting an image id", step, [...tail]);
  const image = options.docker.getImage(imageId);
  for (const tag of options.tags.slice(1)) {
    const { repo, tag: t } = splitTag(tag);
    await image.tag({ repo, tag: t });
  }
  return { imageId: imageId.startsWith("sha256:") ? imageId : `sha256:${imageId}` };
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
