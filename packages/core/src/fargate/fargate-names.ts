/** Names of the AWS resources of a cluster, derived from its id so teardown can find them from the id alone. */
export const fargateNames = {
  ecsCluster: (clusterId: string) => clusterId,
  logGroup: (clusterId: string) => `/dask-fargate-action/${clusterId}`,
  securityGroup: (clusterId: string) => `dask-fargate-action-${clusterId}`,
  tlsSecret: (clusterId: string) => `dask-fargate-action/${clusterId}/tls`,
  family: (clusterId: string, role: "scheduler" | "worker" | "job") => `${clusterId}-${role}`,
  /** Roles created once per account and reused by every cluster. */
  executionRole: "dask-fargate-action-execution",
  taskRole: "dask-fargate-action-task",
  /** The one container of every task definition. */
  container: "dask",
};
