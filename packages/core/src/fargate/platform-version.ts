import { ClusterConfigError } from "../errors.js";

/**
 * A Fargate platform version as RunTask takes it: `LATEST` or `major.minor.patch` (Linux versions are 1.3.0,
 * 1.4.0, …; "AWS Fargate platform versions" in the ECS developer guide). Anything else is refused here, before
 * AWS refuses it at RunTask after the cluster was created.
 */
export function checkPlatformVersion(version: string): string {
  if (version === "LATEST" || /^\d+\.\d+\.\d+$/.test(version)) return version;
  throw new ClusterConfigError(
    "platform-version",
    `"${version}" is not a Fargate platform version; use LATEST (the default) or a version such as 1.4.0`,
  );
}

/**
 * Orders two `major.minor.patch` versions by their numbers, so 1.10.0 comes after 1.4.0 (as strings it would
 * come before). Negative when `a` is older, 0 when equal, positive when newer.
 */
export function comparePlatformVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** True when `version` is LATEST or at least `minimum` (e.g. 8 and 16 vCPU tasks need 1.4.0). */
export function platformAtLeast(version: string, minimum: string): boolean {
  return version === "LATEST" || comparePlatformVersions(version, minimum) >= 0;
}
