import type { FargateSpec } from "../fargate-spec.js";
import type { PreflightFinding } from "./preflight-finding.js";
import type { ManifestAnswer } from "./registry-manifest.js";

/** The image platform each Fargate CPU architecture runs (RegisterTaskDefinition `runtimePlatform.cpuArchitecture`). */
export const ARCHITECTURE_PLATFORM: Readonly<Record<FargateSpec["architecture"], string>> = {
  X86_64: "linux/amd64",
  ARM64: "linux/arm64",
};

/**
 * The image rule: the image is in its registry and published for the task's platform. A registry that
 * cannot be asked from here (no network to it, no credentials) is a note: Fargate may still reach it.
 */
export function imageFinding(
  image: string,
  architecture: FargateSpec["architecture"],
  answer: ManifestAnswer,
): PreflightFinding {
  const wanted = ARCHITECTURE_PLATFORM[architecture];
  if (answer.kind === "unchecked")
    return {
      check: "image",
      status: "note",
      message: `could not check ${image} from here: ${answer.reason}; the start goes on`,
    };
  if (answer.kind === "missing")
    return {
      check: "image",
      status: "refused",
      message: `${image} does not exist: ${answer.detail}`,
      fix: "build and push the image first (dask-fargate build, or the action's image step), or correct the image reference",
    };
  // linux/arm64 and linux/arm64/v8 are the same platform to Fargate.
  const matches = answer.platforms.some((p) => p === wanted || p.startsWith(`${wanted}/`));
  if (matches) return { check: "image", status: "ok", message: `${image} exists for ${wanted}` };
  const other = architecture === "X86_64" ? "ARM64" : "X86_64";
  const hasOther = answer.platforms.some((p) => p.startsWith(ARCHITECTURE_PLATFORM[other]));
  return {
    check: "image",
    status: "refused",
    message: `${image} is built for ${answer.platforms.join(", ") || "no platform"}, not for ${wanted} (architecture ${architecture})`,
    fix: `build the image with platform ${wanted}${hasOther ? `, or set architecture ${other}` : ""}`,
  };
}
