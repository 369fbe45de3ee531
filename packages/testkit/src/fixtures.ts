import { fileURLToPath } from "node:url";

/**
 * A project whose own Dockerfile uses BuildKit's features (a cache mount, a bind mount, a secret mount, a heredoc):
 * the image tests build it, and the CLI and core run clusters on what it builds.
 */
export const BUILDKIT_DOCKERFILE_PROJECT = fileURLToPath(new URL("../fixtures/buildkit-dockerfile", import.meta.url));
