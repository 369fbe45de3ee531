import {
  type ClusterBackend,
  type ClusterHandle,
  createBackend,
  type PartialCluster,
} from "@dask-fargate-action/core/backend";
import type { ClusterSpec } from "@dask-fargate-action/core/validate";
import { IMAGE_AFTER_BUILD, resolveCluster, type SavedCluster } from "@dask-fargate-action/pipeline";
import type { Flags } from "../flags.js";
import { backendOf, backendSettingsOf, clusterInputOf } from "../options.js";
import { clusterTlsDirOf, saveRecord, stateDirOf } from "../state-file.js";

/** A cluster command's validated setup. */
export type ClusterSetup = ReturnType<typeof clusterSetup>;

/**
 * Everything a cluster command without a run (`plan`) needs, resolved as a run resolves its cluster (resolveCluster),
 * before any side effect:
 * the backend with its settings, the spec (with a placeholder image until an image phase ran) and the backend's
 * resolved settings, which `plan` and `preflight` take as given.
 */
export function clusterSetup(flags: Flags, image = flags.image) {
  const backendName = backendOf(flags);
  const settings = backendSettingsOf(flags);
  const dir = stateDirOf(flags["state-dir"]);
  const { image: _placeholder, ...cluster } = clusterInputOf(flags, IMAGE_AFTER_BUILD);
  const resolved = resolveCluster(
    { backend: backendName, settings, cluster, image: { image: image ?? IMAGE_AFTER_BUILD } },
    false,
  );
  const backend: ClusterBackend = createBackend(backendName, settings);
  return {
    backend,
    backendName,
    settings,
    spec: resolved.cluster,
    backendSpec: resolved.backendSpec,
    dir,
    tlsDir: clusterTlsDirOf(dir, resolved.cluster.clusterId),
    hourlyCost: resolved.hourlyCost,
  };
}

/** Saves what a start has created (or the finished handle) for status, scale, down and a later teardown. */
export function recorder(dir: string, spec: ClusterSpec, setup: Pick<ClusterSetup, "backendName" | "settings">) {
  // Writes are chained: each record replaces the one before in order, and the last one written is the latest
  // state (a partial record written after the handle would make a later down miss what the handle names).
  let chain: Promise<void> = Promise.resolve();
  const write = (handle: ClusterHandle | undefined, partial: PartialCluster | undefined) => {
    const record: SavedCluster = {
      version: 1,
      clusterId: spec.clusterId,
      backend: setup.backendName,
      handle,
      partial,
      settings: setup.settings,
    };
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
