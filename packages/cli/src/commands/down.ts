import { ClusterConfigError, createBackend } from "@dask-fargate-action/core";
import { backendOf, backendSettingsOf } from "../options.js";
import { loadRecord, removeRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./context.js";

/** `down`: remove a cluster recorded by `up`, or (with --cluster-id and --backend) any cluster of ours found by its labels/tags. */
export const down: Command = async ({ flags, logger, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const record = await loadRecord(dir, flags["cluster-id"]).catch((error: unknown) => {
    if (flags["cluster-id"]) return undefined;
    throw error;
  });
  const clusterId = record?.clusterId ?? flags["cluster-id"];
  if (!clusterId) throw new ClusterConfigError("cluster-id", "down needs --cluster-id");
  const backend = record ? createBackend(record.backend, record.settings) : createBackend(backendOf(flags), backendSettingsOf(flags));
  const report = await backend.down({ clusterId, handle: record?.handle, partial: record?.partial, stateDir: `${dir}/clusters/${clusterId}` }, { logger });
  await removeRecord(dir, clusterId);
  print(flags.json ? JSON.stringify(report, null, 2) : `removed cluster ${clusterId} (${report.removed.length} resources)`);
  return 0;
};
