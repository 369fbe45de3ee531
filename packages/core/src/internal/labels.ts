/** Label (Docker) and tag (AWS) keys that mark what this tool created. Cleanup only touches resources that carry them. */
export const LABEL = {
  managedBy: "io.dask-fargate-action.managed-by",
  clusterId: "io.dask-fargate-action.cluster-id",
  role: "io.dask-fargate-action.role",
  expiresAt: "io.dask-fargate-action.expires-at",
  createdAt: "io.dask-fargate-action.created-at",
} as const;

/** The value of the managed-by label. */
export const MANAGED_BY = "dask-fargate-action";

/** The roles of cluster members. */
export type MemberRole = "scheduler" | "worker" | "job";

/** Labels for a resource of a cluster. */
export function clusterLabels(
  clusterId: string,
  createdAt: string,
  expiresAt: string,
  extra: Readonly<Record<string, string>>,
  role?: MemberRole,
): Record<string, string> {
  return {
    ...extra,
    [LABEL.managedBy]: MANAGED_BY,
    [LABEL.clusterId]: clusterId,
    [LABEL.createdAt]: createdAt,
    [LABEL.expiresAt]: expiresAt,
    ...(role ? { [LABEL.role]: role } : {}),
  };
}
