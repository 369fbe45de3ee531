import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { assertClusterId, ClusterConfigError, clusterDirectory } from "@dask-fargate-action/core/validate";
import { formatSavedCluster, parseSavedCluster, type SavedCluster } from "@dask-fargate-action/pipeline";

/** The state directory, where cluster records live: `--state-dir`, `DASK_FARGATE_STATE_DIR`, or ~/.dask-fargate. */
export function stateDirOf(flag: string | undefined): string {
  return flag ?? process.env["DASK_FARGATE_STATE_DIR"] ?? join(homedir(), ".dask-fargate");
}

/**
 * A cluster's TLS directory (its client TLS files), `<dir>/clusters/<id>`, after checking the id: it is
 * removed recursively by down, so no id may resolve anywhere else.
 */
export function clusterTlsDirOf(dir: string, clusterId: string): string {
  return clusterDirectory(join(dir, "clusters"), clusterId);
}

const recordPath = (dir: string, clusterId: string) => `${clusterTlsDirOf(dir, clusterId)}.json`;

/**
 * Reads a record file (`up` writes one per cluster so that status, scale, logs and down find it from another
 * process), checks it against the saved-cluster schema and that it names the cluster its file name says.
 */
async function readRecord(file: string, expectedId: string): Promise<SavedCluster> {
  const record = parseSavedCluster(await readFile(file, "utf8"), `the record ${file}`);
  if (record.clusterId !== expectedId) {
    throw new ClusterConfigError(
      "cluster-id",
      `the record ${file} names cluster "${record.clusterId}", not "${expectedId}"; remove the file`,
    );
  }
  return record;
}

/** Writes a cluster record (mode 0600: it names TLS file paths). */
export async function saveRecord(dir: string, record: SavedCluster): Promise<void> {
  await mkdir(join(dir, "clusters"), { recursive: true, mode: 0o700 });
  await writeFile(recordPath(dir, record.clusterId), formatSavedCluster(record), { mode: 0o600 });
}

/** Reads the record of `clusterId`, or of the only recorded cluster when no id is given. */
export async function loadRecord(dir: string, clusterId: string | undefined): Promise<SavedCluster> {
  const id = clusterId === undefined ? await onlyClusterId(dir) : assertClusterId(clusterId);
  const file = recordPath(dir, id);
  try {
    return await readRecord(file, id);
  } catch (error) {
    if (ClusterConfigError.isInstance(error)) throw error;
    throw new ClusterConfigError(
      "cluster-id",
      `no cluster "${id}" is recorded in ${join(dir, "clusters")}; run dask-fargate up first, or list them with dask-fargate status`,
    );
  }
}

/** All recorded clusters. */
export async function listRecords(dir: string): Promise<SavedCluster[]> {
  const files = await readdir(join(dir, "clusters")).catch(() => [] as string[]);
  const records = await Promise.all(
    files
      .filter((f) => f.endsWith(".json"))
      .map((f) => readRecord(join(dir, "clusters", f), f.slice(0, -".json".length))),
  );
  return records.sort((a, b) => (a.clusterId < b.clusterId ? -1 : 1));
}

/** Forgets a cluster after its teardown. */
export async function removeRecord(dir: string, clusterId: string): Promise<void> {
  await rm(recordPath(dir, clusterId), { force: true });
}

async function onlyClusterId(dir: string): Promise<string> {
  const records = await listRecords(dir);
  if (records.length === 1 && records[0]) return records[0].clusterId;
  if (records.length === 0)
    throw new ClusterConfigError("cluster-id", "no cluster is recorded; start one with dask-fargate up");
  throw new ClusterConfigError(
    "cluster-id",
    `${records.length} clusters are recorded (${records.map((r) => r.clusterId).join(", ")}); choose one with --cluster-id`,
  );
}

/**
 * The record of the cluster a command names (or the only one recorded); without a record, a given
 * `--cluster-id` still names a cluster to find by its labels or tags.
 */
export async function recordOrId(
  dir: string,
  clusterId: string | undefined,
  command: string,
): Promise<{ clusterId: string; record: SavedCluster | undefined }> {
  // An invalid id is an error, not "no record": it must never reach a teardown or a path.
  if (clusterId !== undefined) assertClusterId(clusterId);
  const record = await loadRecord(dir, clusterId).catch((error: unknown) => {
    if (clusterId) return undefined;
    throw error;
  });
  const id = record?.clusterId ?? clusterId;
  if (!id) throw new ClusterConfigError("cluster-id", `${command} needs --cluster-id`);
  return { clusterId: id, record };
}
