import { ImageConfigError } from "./errors.js";

/** Container platforms Fargate runs: x86 (`linux/amd64`) and Graviton (`linux/arm64`). */
export type ImagePlatform = "linux/amd64" | "linux/arm64";

/** The conda subdir for each platform (conda calls 64-bit ARM `linux-aarch64`). */
export const CONDA_SUBDIR: Readonly<Record<ImagePlatform, string>> = {
  "linux/amd64": "linux-64",
  "linux/arm64": "linux-aarch64",
};

/** Checks a platform string given by a user. */
export function parsePlatform(value: string, option = "platform"): ImagePlatform {
  if (value === "linux/amd64" || value === "linux/arm64") return value;
  throw new ImageConfigError(
    option,
    `"${value}" is not supported; use linux/amd64 (Fargate X86_64) or linux/arm64 (Fargate ARM64)`,
  );
}
