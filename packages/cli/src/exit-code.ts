import { ClusterConfigError, InputError } from "@dask-fargate-action/core/validate";
import { EnvironmentFileError, ImageConfigError } from "@dask-fargate-action/image";

/**
 * The exit code of a failed command: 2 for bad input (a flag, a setting, two that contradict each other, or the environment file: nothing was
 * created), 1 for everything else. Errors are matched by their classes' `isInstance` (per-class brands that
 * survive duplicate module copies), never by their `name` strings.
 */
export function exitCodeOf(error: unknown): 1 | 2 {
  const badInput =
    InputError.isInstance(error) ||
    ClusterConfigError.isInstance(error) ||
    EnvironmentFileError.isInstance(error) ||
    ImageConfigError.isInstance(error);
  return badInput ? 2 : 1;
}
