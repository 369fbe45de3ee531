import { tmpdir } from "node:os";
import { join } from "node:path";
import { clusterDirectory } from "@dask-fargate-action/core/validate";

/**
 * Where a cluster's client TLS files live on the runner: `$RUNNER_TEMP/dask-fargate/<cluster-id>`. main and the
 * post step both derive it from the (checked) id; the post step never takes a path from saved state, which a
 * step's state could name anywhere.
 */
export function clusterTlsDir(
  clusterId: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return clusterDirectory(join(env["RUNNER_TEMP"] ?? tmpdir(), "dask-fargate"), clusterId);
}
