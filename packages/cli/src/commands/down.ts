import { createBackend } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { backendOf, backendSettingsOf } from "../options.js";
import { clusterTlsDirOf, recordOrId, removeRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./command.js";

/** `down`: remove a cluster recorded by `up`, or (with --cluster-id and --backend) any cluster of ours found by its labels/tags. */
export const down: Command = async ({ flags, logger, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const { clusterId, record } = await recordOrId(dir, flags["cluster-id"], "down");
  const settings = record ? record.settings : backendSettingsOf(flags);
  const backend = createBackend(record ? record.backend : backendOf(flags), settings);
  const report = await backend.down(
    { clusterId, handle: record?.handle, partial: record?.partial, tlsDir: clusterTlsDirOf(dir, clusterId) },
    { logger },
  );
  await removeRecord(dir, clusterId);
  if (flags.json) print(jsonForTerminal(report));
  else if (report.removed.length > 0) print(`removed cluster ${clusterId} (${report.removed.length} resources)`);
  // Down is idempotent, so nothing found is not an error; but a wrong backend or region must not look like success.
  else
    print(
      `nothing of cluster ${clusterId} was found on the ${backend.name} backend${
        backend.name === "fargate"
          ? ` in ${settings.fargate?.region}`
          : record
            ? ""
            : " (a Fargate cluster needs --backend fargate and its --region)"
      }`,
    );
  return 0;
};
