import type Docker from "dockerode";
import { engineErrorText, readEngineStream } from "./docker-stream.js";
import { RegistryError } from "./errors.js";
import type { ImageReference } from "./image-reference.js";
import { repositoryName } from "./image-reference.js";
import { type Logger, silentLogger } from "./logger.js";
import type { RegistryLogin } from "./registry-credentials.js";

/** Options of {@link pushImage}. */
export interface PushImageOptions {
  readonly docker: Docker;
  readonly target: ImageReference;
  readonly tag: string;
  readonly login?: RegistryLogin | undefined;
  readonly logger?: Logger;
}

/**
 * Pushes `target:tag` through the Docker Engine. Credentials travel in the X-Registry-Auth header
 * only. An error anywhere in the push stream fails the push; the pushed manifest digest is returned.
 */
export async function pushImage(options: PushImageOptions): Promise<string> {
  const logger = options.logger ?? silentLogger;
  const name = repositoryName(options.target);
  const authconfig = options.login
    ? { username: options.login.username, password: options.login.password, serveraddress: options.target.registry }
    : undefined;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await options.docker
      .getImage(`${name}:${options.tag}`)
      .push({ tag: options.tag, ...(authconfig ? { authconfig } : {}) });
  } catch (error) {
    throw new RegistryError(
      options.target.registry,
      `the Docker Engine refused to push ${name}:${options.tag} (${redact((error as Error).message, options.login)})`,
      undefined,
      { cause: error },
    );
  }
  let digest: string | undefined;
  const reported = new Set<string>();
  const failure = await readEngineStream(stream, (message) => {
    if (typeof message.aux === "object" && message.aux.Digest) digest = message.aux.Digest;
    const status = message.status ?? "";
    // Layer progress repeats many times a second; report each layer state once.
    const key = `${message.id ?? ""} ${status}`;
    if (status && !message.progress && !reported.has(key)) {
      reported.add(key);
      logger.debug(message.id ? `${message.id}: ${status}` : status);
    }
  });
  if (failure) {
    const text = redact(engineErrorText(failure), options.login);
    const hint = /auth|denied|unauthorized|401|403/i.test(text)
      ? "; check the registry username and password or token"
      : "";
    throw new RegistryError(options.target.registry, `push of ${name}:${options.tag} failed: ${text}${hint}`);
  }
  if (!digest) throw new RegistryError(options.target.registry, `push of ${name}:${options.tag} reported no digest`);
  logger.info(`pushed ${name}:${options.tag}@${digest}`);
  return digest;
}

/** Removes a password from text that came back from the engine or a registry. */
export function redact(text: string, login: RegistryLogin | undefined): string {
  if (!login || login.password === "") return text;
  return text.split(login.password).join("***");
}
