import { type ClusterBackend, type ClusterHandle, createBackend, type PartialCluster } from "@dask-fargate-action/core/backend";
import { type ClusterSpec, resolveClusterSpec } from "@dask-fargate-action/core/validate";
import { hourlyCostOf, type SavedCluster } from "@dask-fargate-action/pipeline";
import type { Flags } from "../flags.js";
import { backendOf, backendSettingsOf, clusterInputOf } from "../options.js";
import { clusterTlsDirOf, saveRecord, stateDirOf } from "../state-file.js";

/** A cluster command's validated setup. */
export type ClusterSetup = ReturnType<typeof clusterSetup>;

/**
 * Everything a cluster command needs, validated before any side effect: the backend with its settings,
 * a spec (with a placeholder image until the image job ran), and a recorder for the state file.
 */
export function clusterSetup(flags: Flags, image = flags.image ?? "image-set-after-build") {
  const backendName = backendOf(flags);
  const settings = backendSettingsOf(flags);
  const backend: ClusterBackend = createBackend(backendName, settings);
  const spec = resolveClusterSpec(clusterInputOf(flags, image));
  backend.validate(spec);
  const dir = stateDirOf(flags["state-dir"]);
  return {
    backend,
    backendName,
    settings,
    spec,
    dir,
    tlsDir: clusterTlsDirOf(dir, spec.clusterId),
    hourlyCost: hourlyCostOf(backendName, settings, spec, false),
  };
}

/** Saves what a start has created (or the finished handle) for status, scale, down and a later teardown. */
export function recorder(dir: string, spec: ClusterSpec, setup: Pick<ClusterSetup, "backendName" | "settings">) {
  // Writes are chained: each record replaces the one before in order, and the last one written is the latest
  // state (a partial record written after the handle would make a later down miss what the handle names).
  let chain: Promise<void> = Promise.resolve();
  const write = (handle: ClusterHandle | undefined, partial: PartialCluster | undefined) => {
    const record: SavedCluster = { version: 1, clusterId: spec.clusterId, backend: setup.backendName, handle, partial, settings: setup.settings };
    chain = chain.then(() => saveRecord(dir, record));
    return chain;
  };
  return {
    started: () => write(undefined, undefined),
    /** Called synchronously by the backend after each created resource; a failed write surfaces at `ready`. */
    partial: (partial: PartialCluster) => {
      write(undefined, partial).catch(() => {});
    },
    ready: (handle: ClusterHandle) => write(handle, undefined),
  };
}
