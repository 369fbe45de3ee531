import type Docker from "dockerode";
import { buildImage } from "./build-image.js";
import type { Builder } from "./builder.js";
import type { ImageRecord } from "./image-record.js";
import type { ImageReference } from "./image-reference.js";
import { repositoryName } from "./image-reference.js";
import { type Logger, silentLogger } from "./logger.js";
import type { ImagePlatform } from "./platform.js";
import { pushImage } from "./push-image.js";
import type { RegistryLogin } from "./registry-credentials.js";
import { LABELS } from "./render-dockerfile.js";

/**
 * The tag of an image's record companion: the content tag and `.record`. The record of an image built from your own
 * Dockerfile can only be read by running Python in it; pushed next to the image as a one-file image of its own, it is
 * read from the registry like a generated image's record (registry-record.ts), without pulling the image.
 */
export function recordCompanionTag(tag: string): string {
  return `${tag}${RECORD_COMPANION_SUFFIX}`;
}

/** What {@link recordCompanionTag} appends; such tags are not images of a source, and lookups of previous images skip them. */
export const RECORD_COMPANION_SUFFIX = ".record";

/** Where the companion keeps the record file. */
const COMPANION_PATH = "/packages.json";

/** Options of {@link pushRecordCompanion}. */
export interface RecordCompanionOptions {
  readonly docker: Docker;
  readonly target: ImageReference;
  /** The image's content tag. */
  readonly tag: string;
  /** The image's manifest digest, written into the companion's label so the pair can be checked. */
  readonly digest: string;
  readonly record: ImageRecord;
  readonly platform: ImagePlatform;
  readonly login?: RegistryLogin | undefined;
  readonly builder?: Builder;
  readonly logger?: Logger;
}

/**
 * Builds `FROM scratch` + the record file (a few kB, one layer, labelled like a generated image's record) and pushes
 * it as {@link recordCompanionTag}; the local tag is removed after the push. Returns the companion's digest.
 */
export async function pushRecordCompanion(options: RecordCompanionOptions): Promise<string> {
  const logger = options.logger ?? silentLogger;
  const companionTag = recordCompanionTag(options.tag);
  const local = `${repositoryName(options.target)}:${companionTag}`;
  const dockerfile = [
    "FROM scratch",
    `COPY packages.json ${COMPANION_PATH}`,
    `LABEL ${LABELS.record}="${COMPANION_PATH}" ${LABELS.recordOf}="${options.digest}"`,
    "",
  ].join("\n");
  const files = new Map([
    ["Dockerfile", Buffer.from(dockerfile)],
    ["packages.json", Buffer.from(`${JSON.stringify(options.record, null, 1)}\n`)],
  ]);
  // A context as the renderer makes it; only `files` and `platform` are read by buildImage for a generated context.
  const context = { files, platform: options.platform } as unknown as Parameters<typeof buildImage>[0]["context"];
  try {
    await buildImage({
      docker: options.docker,
      context,
      tags: [local],
      logger: silentLogger,
      ...(options.builder ? { builder: options.builder } : {}),
    });
    const digest = await pushImage({
      docker: options.docker,
      target: options.target,
      tag: companionTag,
      login: options.login,
      logger: silentLogger,
    });
    logger.info(`package record pushed as ${local} (read later without pulling the image)`);
    return digest;
  } finally {
    await options.docker
      .getImage(local)
      .remove()
      .catch(() => undefined);
  }
}
