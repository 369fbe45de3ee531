import { rm } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { ClusterConfigError } from "./errors.js";

/**
 * A cluster id: 2-32 lower-case letters, digits and "-", starting with a letter and ending with a letter
 * or digit. It names files (the CLI's records), Docker objects, ECS `startedBy` (36 characters at most) and
 * AWS resource names, so it must never contain a path separator, a dot or anything a shell would read.
 */
export const CLUSTER_ID_PATTERN = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** True when `value` is a well-formed cluster id. */
export function isClusterId(value: unknown): boolean {
  return typeof value === "string" && CLUSTER_ID_PATTERN.test(value);
}

/**
 * Checks a cluster id wherever it comes from (a flag, an action input, a saved record, a tag or a label)
 * before it names a file or a resource; `source` says where it came from, for the message.
 */
export function assertClusterId(value: unknown, source = "cluster-id"): string {
  if (typeof value === "string" && isClusterId(value)) return value;
  const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 80)) : String(value);
  throw new ClusterConfigError(
    "cluster-id",
    `${shown}${source === "cluster-id" ? "" : ` (from ${source})`} is not a cluster id: use 2-32 lower-case letters, digits and '-', starting with a letter (e.g. dfa-0123abcd)`,
  );
}

/**
 * The directory `<parent>/<clusterId>` after checking the id and that the resolved path is a direct child of
 * `parent`, so no id (`..`, `/`, a symlink name) can point a recursive removal anywhere else.
 */
export function clusterDirectory(parent: string, clusterId: string): string {
  const id = assertClusterId(clusterId);
  const root = resolve(parent);
  const dir = resolve(root, id);
  if (dirname(dir) !== root || basename(dir) !== id) {
    throw new ClusterConfigError("cluster-id", `"${id}" does not name a directory inside ${root}`);
  }
  return dir;
}

/**
 * Removes a cluster's local state directory (its client TLS files). Refuses a path whose last component is
 * not the cluster's own id: a backend is handed this path by its caller, and a wrong one must never become
 * a recursive delete of a user's directory.
 */
export async function removeClusterTlsDir(tlsDir: string, clusterId: string): Promise<void> {
  const id = assertClusterId(clusterId);
  const dir = resolve(tlsDir);
  if (basename(dir) !== id) {
    throw new ClusterConfigError(
      "state-dir",
      `refusing to remove ${dir}: a cluster's state directory must be named after its id (${id})`,
    );
  }
  await rm(dir, { recursive: true, force: true });
}
