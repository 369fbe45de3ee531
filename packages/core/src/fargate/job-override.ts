import type { ClusterSpec } from "../cluster-spec.js";
import { ClusterConfigError } from "../errors.js";
import { jobEnvironment } from "../internal/dask-commands.js";
import { fargateNames } from "./fargate-names.js";

/**
 * RunTask's container overrides are capped at 8192 characters, JSON formatting included (ECS API reference,
 * RunTask `overrides`; the project's facts). A job in a Fargate cluster gets its command through those overrides.
 */
export const OVERRIDES_MAX_CHARACTERS = 8192;

/** A scheduler address as long as any (`tls://` and a full IPv4 address), so the measure is an upper bound. */
const LONGEST_ADDRESS = "tls://255.255.255.255:8786";

/**
 * Refuses a job command whose RunTask overrides would exceed ECS's limit, before anything is created: otherwise
 * RunTask refuses the job only after the whole cluster was started and billed.
 */
export function checkJobOverrides(
  spec: ClusterSpec,
  command: string,
  environment: Readonly<Record<string, string>> = {},
): void {
  const env = Object.entries(jobEnvironment(spec, LONGEST_ADDRESS, command, environment)).map(([name, value]) => ({
    name,
    value,
  }));
  const size = JSON.stringify({ containerOverrides: [{ name: fargateNames.container, environment: env }] }).length;
  if (size > OVERRIDES_MAX_CHARACTERS) {
    throw new ClusterConfigError(
      "job-command",
      `the job's RunTask overrides would be ${size} characters, over ECS's limit of ${OVERRIDES_MAX_CHARACTERS} (the command is ${command.length} characters); put the long part in a script in the image and run that, or pass data through output-uri / secrets`,
    );
  }
}
