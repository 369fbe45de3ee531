import { createBackend } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { ClusterConfigError, resolveClusterSpec } from "@dask-fargate-action/core/validate";
import { loadRecord, saveRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./command.js";

/** `scale --workers N`: grow or shrink a recorded cluster. */
export const scale: Command = async ({ flags, logger, signal, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const record = await loadRecord(dir, flags["cluster-id"]);
  if (!record.handle)
    throw new ClusterConfigError(
      "cluster-id",
      `cluster ${record.clusterId} did not finish starting; remove it with dask-fargate down`,
    );
  if (flags.workers === undefined) throw new ClusterConfigError("workers", "scale needs --workers N");
  const resolved = resolveClusterSpec({ ...record.handle.spec, workers: flags.workers });
  // A range is a run's setting (a job's sidecar follows it); scale sets one size now.
  if (resolved.adaptive)
    throw new ClusterConfigError(
      "workers",
      `scale sets one size: write --workers ${resolved.adaptive.max} (a MIN-MAX range is for up and run, where the job's adaptive target moves the size)`,
    );
  const workers = resolved.workers;
  const handle = await createBackend(record.backend, record.settings).scale(record.handle, workers, { logger, signal });
  await saveRecord(dir, { ...record, handle });
  print(
    flags.json
      ? jsonForTerminal({ clusterId: handle.clusterId, workers })
      : `cluster ${handle.clusterId} now has ${workers} workers`,
  );
  return 0;
};
