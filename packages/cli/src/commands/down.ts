import { createBackend } from "@dask-fargate-action/core";
import { backendOf, backendSettingsOf } from "../options.js";
import { recordOrId, removeRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./context.js";

/** `down`: remove a cluster recorded by `up`, or (with --cluster-id and --backend) any cluster of ours found by its labels/tags. */
export const down: Command = async ({ flags, logger, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const { clusterId, record } = await recordOrId(dir, flags["cluster-id"], "down");
  const backend = record ? createBackend(record.backend, record.settings) : createBackend(backendOf(flags), backendSettingsOf(flags));
  const report = await backend.down({ clusterId, handle: record?.handle, partial: record?.partial, stateDir: `${dir}/clusters/${clusterId}` }, { logger });
  await removeRecord(dir, clusterId);
  print(flags.json ? JSON.stringify(report, null, 2) : `removed cluster ${clusterId} (${report.removed.length} resources)`);
  return 0;
};
