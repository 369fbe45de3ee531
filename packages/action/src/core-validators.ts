// The validators inputs.ts needs, taken from core's modules themselves rather than its index. Core exports its
// index and ./defaults only, and its index loads the AWS SDK clients, dockerode and the rest of the backends: in
// the bundle all of that is evaluated before the first line main could print (webpack keeps every module behind
// an import whose module graph has side effects), about 0.4 s of a 0.5 s cold start. These files import only
// node: modules and each other (test/light-start.test.ts keeps it so). They resolve to the same files as core's
// index, so the bundle holds one copy of each class. Once core exports them on a light subpath, import that here.
export { assertClusterId } from "../../core/dist/cluster-id.js";
export { ClusterConfigError } from "../../core/dist/errors.js";
export { parseSecretAssignments } from "../../core/dist/fargate/fargate-spec.js";
export { validateJobEnv } from "../../core/dist/runner-job.js";
export { parseDurationSeconds } from "../../core/dist/units.js";
