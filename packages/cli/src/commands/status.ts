import { countWorkers } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { listRecords, loadRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./command.js";

/** `status`: the recorded clusters, or one cluster with its registered worker count. */
export const status: Command = async ({ flags, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const records = flags["cluster-id"] ? [await loadRecord(dir, flags["cluster-id"])] : await listRecords(dir);
  const rows = await Promise.all(
    records.map(async (r) => ({
      clusterId: r.clusterId,
      backend: r.backend,
      state: r.handle ? "up" : "starting or failed",
      workers: r.handle?.spec.workers ?? null,
      registeredWorkers: r.handle?.dashboardUrl ? ((await countWorkers(r.handle.dashboardUrl)) ?? null) : null,
      schedulerAddress: r.handle ? (r.handle.clientSchedulerAddress ?? r.handle.schedulerAddress) : null,
      dashboardUrl: r.handle?.dashboardUrl ?? null,
      expiresAt: r.handle?.expiresAt ?? null,
    })),
  );
  if (flags.json) {
    print(jsonForTerminal(rows));
  } else if (rows.length === 0) {
    print("no clusters recorded");
  } else {
    for (const row of rows) {
      print(
        `${row.clusterId}  ${row.backend}  ${row.state}  workers ${row.registeredWorkers ?? "?"}/${row.workers ?? "?"}  ${row.schedulerAddress ?? ""}  ${row.dashboardUrl ?? ""}`,
      );
    }
  }
  return 0;
};
