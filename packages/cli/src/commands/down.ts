import { backendFor } from "../backend.js";
import { loadRecord, removeRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./context.js";

/** `down`: remove a cluster recorded by `up` (or, with --cluster-id, any cluster of ours by its labels/tags). */
export const down: Command = async ({ flags, logger, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const record = await loadRecord(dir, flags["cluster-id"]).catch((error: unknown) => {
    if (flags["cluster-id"]) return undefined;
    throw error;
  });
  const clusterId = record?.clusterId ?? (flags["cluster-id"] as string);
  const backend = backendFor(record?.backend ?? (flags.backend === "fargate" ? "fargate" : "docker"));
  const report = await backend.down(clusterId, { logger, stateDir: `${dir}/clusters/${clusterId}` });
  await removeRecord(dir, clusterId);
  print(flags.json ? JSON.stringify(report, null, 2) : `removed cluster ${clusterId} (${report.removed.length} resources)`);
  return 0;
};
