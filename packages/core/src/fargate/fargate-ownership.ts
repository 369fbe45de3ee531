import { LABEL, MANAGED_BY } from "../internal/labels.js";

/** Tags as a plain map, from either AWS spelling (`{key, value}` in ECS, `{Key, Value}` elsewhere). */
export function tagMap(
  tags:
    | readonly (
        | { key?: string | undefined; value?: string | undefined }
        | { Key?: string | undefined; Value?: string | undefined }
      )[]
    | undefined,
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) {
    const key = "key" in tag ? tag.key : "Key" in tag ? tag.Key : undefined;
    const value = "value" in tag ? tag.value : "Value" in tag ? tag.Value : undefined;
    if (key) map[key] = value ?? "";
  }
  return map;
}

/** Which resources a teardown or reaper may touch: ours, of one cluster, and (optionally) of one repository. */
export interface OwnershipScope {
  readonly clusterId: string;
  /** Only resources tagged `github.repository` with this value (the reaper's repository scope). */
  readonly repository?: string | undefined;
}

/** The tag that records the repository a cluster was started from (set by the action). */
export const REPOSITORY_TAG = "github.repository";

/**
 * True when tags mark a resource as this tool's, of this cluster (and repository, when scoped). A name or a
 * `startedBy` value alone is never enough: anyone can choose those, and teardown must not act on another
 * team's task or task definition that happens to share them.
 */
export function isOurs(tags: Readonly<Record<string, string>>, scope: OwnershipScope): boolean {
  if (tags[LABEL.managedBy] !== MANAGED_BY || tags[LABEL.clusterId] !== scope.clusterId) return false;
  return scope.repository === undefined || tags[REPOSITORY_TAG] === scope.repository;
}
