import * as core from "@actions/core";
import { actionLogger, STATE_KEY, setFailed } from "./action-io.js";
import { clusterTlsDir } from "./tls-dir.js";

/**
 * The post step (post-if: always()): tears down the cluster of this step from the saved state, also
 * after a failure or a cancellation. Idempotent: what main already removed is simply not found. The backends
 * are loaded with `import()` only when there is a saved state: a step that saved none (build, down, reap, bad
 * input) says so at once (see main.ts).
 */
export async function post(): Promise<void> {
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    if (!core.getState(STATE_KEY)) {
      core.info("post: nothing to tear down");
      return;
    }
    const [{ createBackend }, { clusterState }] = await Promise.all([
      import("@dask-fargate-action/core/backend"),
      import("./state.js"),
    ]);
    const saved = clusterState(core).load();
    if (!saved || saved.tornDown) {
      core.info("post: nothing to tear down");
      return;
    }
    core.info(`post: removing cluster ${saved.clusterId} (${saved.backend})`);
    const backend = createBackend(saved.backend, saved.settings);
    // The TLS directory is derived from the id, as main made it: a saved path is never removed.
    const report = await backend.down(
      {
        clusterId: saved.clusterId,
        handle: saved.handle,
        partial: saved.partial,
        tlsDir: clusterTlsDir(saved.clusterId),
      },
      { logger: actionLogger },
    );
    core.info(`post: removed ${report.removed.length} resources of cluster ${saved.clusterId}`);
  } catch (error) {
    setFailed(
      `post: the teardown failed (${error instanceof Error ? error.message : String(error)}); resources may remain: run the action with command: reap, or dask-fargate down --cluster-id`,
    );
  } finally {
    clearInterval(keepAlive);
  }
}
