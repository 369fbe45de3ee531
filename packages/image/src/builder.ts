import type Docker from "dockerode";

/** The engine's image builders: BuildKit (`POST /build?version=2`) or the legacy one (`version=1`). */
export type Builder = "buildkit" | "legacy";

/** BuildKit came to the Engine API with Docker 18.09 (API 1.39), on Linux engines only. */
const BUILDKIT_MIN_API = [1, 39] as const;

/**
 * Which builder the engine offers: BuildKit on a Linux engine with API 1.39 or later, otherwise the legacy builder
 * with a notice saying what that costs (no RUN --mount, COPY --chmod or parallel stages).
 */
export async function detectBuilder(docker: Docker): Promise<{ builder: Builder; notice?: string }> {
  const version = (await docker.version()) as { ApiVersion?: string; Os?: string; Version?: string };
  const [major = 0, minor = 0] = (version.ApiVersion ?? "0.0").split(".").map(Number);
  const recent = major > BUILDKIT_MIN_API[0] || (major === BUILDKIT_MIN_API[0] && minor >= BUILDKIT_MIN_API[1]);
  if (recent && (version.Os ?? "linux") === "linux") return { builder: "buildkit" };
  return {
    builder: "legacy",
    notice:
      `the Docker Engine (${version.Version ?? "unknown version"}, API ${version.ApiVersion ?? "?"}, ${version.Os ?? "?"}) has no BuildKit; building with the legacy builder, ` +
      "which does not know RUN --mount, COPY --chmod or parallel stages; use Docker 18.09 or later on Linux for BuildKit",
  };
}
