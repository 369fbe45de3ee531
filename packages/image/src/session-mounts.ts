import { ImageConfigError } from "./errors.js";

/**
 * Refuses `RUN --mount=type=secret` and `RUN --mount=type=ssh` before a build: BuildKit serves them through a
 * session the client opens next to the build (the Docker CLI's `--secret`/`--ssh`), and a build through the
 * Engine API's `POST /build` has none, so the builder would fail late with "invalid mountinput".
 */
export function checkSessionMounts(dockerfile: string, file: string): void {
  const lines = dockerfile.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (/^\s*#/.test(line)) continue;
    for (const match of line.matchAll(/--mount=(\S+)/g)) {
      const type = /(?:^|,)type=([a-z]+)/.exec(match[1] ?? "")?.[1];
      if (type !== "secret" && type !== "ssh") continue;
      const fix =
        type === "secret"
          ? "put what the step needs into the build context before the build (e.g. download private wheels into a directory the Dockerfile COPYs or bind-mounts), or use an index that needs no credentials"
          : "clone or vendor what the step fetches over SSH into the build context before the build, and COPY or bind-mount it";
      throw new ImageConfigError(
        "dockerfile",
        `${file}:${index + 1}: RUN --mount=type=${type} needs a BuildKit session, which builds through the Docker Engine API do not open; ${fix}`,
      );
    }
  }
}
