/**
 * @packageDocumentation
 * Ephemeral Dask clusters: a validated spec, the Dask commands every backend runs, and the backends
 * that create and fully remove clusters (the local Docker Engine and ECS Fargate) behind one seam, `ClusterBackend`.
 *
 * This is the public surface: what the pipeline, the CLI, the action, the benchmarks and users need (the seam,
 * the spec, typed errors, the AWS client factory, costs, IAM setup, a few validators). Everything else is
 * internal to core and imported by its own tests from `src/` directly. This index loads every backend's modules
 * (the AWS SDK clients, dockerode). Light subpaths load neither: `@dask-fargate-action/core/defaults` (the
 * defaults), `@dask-fargate-action/core/validate` (validators, spec resolvers, errors),
 * `@dask-fargate-action/core/backend` (`createBackend`, which loads an engine on its first call, and what a run
 * around it needs) and `@dask-fargate-action/core/text` (remote text made safe to print); test/light-entries.test.ts
 * keeps them light.
 */

// The light entries' names (one list each), then what only the full index has.
export * from "./backend-entry.js";
export { DEFAULT_READINESS } from "./cluster.js";
export { INPUT_DEFAULTS } from "./defaults.js";
// The Docker backend's verbs by name: the README's example and the Docker benchmark drive them without the seam.
export { downDockerCluster, upDockerCluster } from "./docker/docker-cluster.js";
export { runDockerJob } from "./docker/docker-job.js";
export type { DockerPlan } from "./docker/docker-plan.js";
export { type AwsClientOptions, type AwsClients, createAwsClients, USER_AGENT } from "./fargate/aws-clients.js";
// The Fargate verbs by name, for the README's example and the emulator benchmark.
export { downFargateCluster } from "./fargate/fargate-down.js";
export { runFargateJob } from "./fargate/fargate-job.js";
export { fargateNames } from "./fargate/fargate-names.js";
export type { FargatePlan } from "./fargate/fargate-plan.js";
export {
  rolesCloudFormationTemplate,
  type SetupRolesOptions,
  type SetupRolesResult,
  setupRoles,
} from "./fargate/fargate-roles.js";
export { upFargateCluster } from "./fargate/fargate-up.js";
export { perRepositoryPolicy } from "./fargate/repository-policy.js";
export * from "./untrusted-text.js";
export * from "./validate.js";
