import { type ClusterBackend, countWorkers, createBackend, silentLogger } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import type { SavedCluster } from "@dask-fargate-action/pipeline";
import { listRecords, loadRecord, stateDirOf } from "../state-file.js";
import type { Command } from "./command.js";

/** Whether the engine still has a recorded cluster: `unknown` with the reason when it could not be asked. */
type Presence = { readonly exists: boolean } | { readonly exists: null; readonly reason: string };

/**
 * `status`: the recorded clusters, each checked against its engine (a record outlives a cluster removed elsewhere
 * or past its max-lifetime), with the workers registered right now. Every field it cannot know says why.
 */
export const status: Command = async ({ flags, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const records = flags["cluster-id"] ? [await loadRecord(dir, flags["cluster-id"])] : await listRecords(dir);
  const presence = await presenceOf(records);
  const rows = await Promise.all(
    records.map(async (r) => {
      const found = presence.get(r.clusterId) ?? { exists: null, reason: "not checked" };
      const notes: string[] = [];
      let registeredWorkers: number | null = null;
      if (found.exists === false) {
        notes.push(
          `the cluster no longer exists (removed elsewhere, or stopped at its max-lifetime); forget the record: dask-fargate down --cluster-id ${r.clusterId}`,
        );
      } else if (found.exists === null) {
        notes.push(`could not check that the cluster exists: ${found.reason}`);
      }
      if (!r.handle) {
        notes.push("the start did not finish (it failed or is under way): no address or workers to show");
      } else if (found.exists !== false) {
        const url = r.handle.dashboardUrl;
        registeredWorkers = url ? ((await countWorkers(url)) ?? null) : null;
        if (!url)
          notes.push(
            r.backend === "fargate"
              ? "registered workers unknown: the dashboard is not reachable from here (start with --client-cidr YOUR-IP/32 --open-dashboard to see them); the tasks run in any case"
              : "registered workers unknown: the cluster has no dashboard address",
          );
        else if (registeredWorkers === null)
          notes.push(`registered workers unknown: the dashboard at ${url} did not answer`);
      }
      return {
        clusterId: r.clusterId,
        backend: r.backend,
        state: found.exists === false ? "gone" : r.handle ? "up" : "starting or failed",
        exists: found.exists,
        workers: r.handle?.spec.workers ?? null,
        registeredWorkers,
        schedulerAddress: r.handle ? (r.handle.clientSchedulerAddress ?? r.handle.schedulerAddress) : null,
        dashboardUrl: r.handle?.dashboardUrl ?? null,
        expiresAt: r.handle?.expiresAt ?? null,
        notes,
      };
    }),
  );
  if (flags.json) {
    print(jsonForTerminal(rows));
  } else if (rows.length === 0) {
    print("no clusters recorded");
  } else {
    for (const row of rows) {
      print(
        `${row.clusterId}  ${row.backend}  ${row.state}  workers ${row.registeredWorkers ?? "?"}/${row.workers ?? "?"}  ${row.schedulerAddress ?? ""}  ${row.dashboardUrl ?? ""}`.trimEnd(),
      );
      for (const note of row.notes) print(`  ${note}`);
    }
  }
  return 0;
};

/**
 * Asks each engine once (per backend and region) which of this tool's clusters exist: a reap without removing
 * (`dryRun`) lists them all, expired or not.
 */
async function presenceOf(records: readonly SavedCluster[]): Promise<Map<string, Presence>> {
  const groups = new Map<string, { backend: ClusterBackend; ids: string[] }>();
  for (const r of records) {
    const key = `${r.backend} ${r.settings.fargate?.region ?? ""}`;
    const group = groups.get(key) ?? { backend: createBackend(r.backend, r.settings), ids: [] };
    group.ids.push(r.clusterId);
    groups.set(key, group);
  }
  const presence = new Map<string, Presence>();
  await Promise.all(
    [...groups.values()].map(async ({ backend, ids }) => {
      try {
        const { reaped, kept } = await backend.reap({ dryRun: true, logger: silentLogger });
        const live = new Set([...reaped, ...kept]);
        for (const id of ids) presence.set(id, { exists: live.has(id) });
      } catch (error) {
        const { explainError } = await import("@dask-fargate-action/core/explain");
        const reason = explainError(error) ?? (error instanceof Error ? error.message : String(error));
        for (const id of ids) presence.set(id, { exists: null, reason });
      }
    }),
  );
  return presence;
}
