import Docker from "dockerode";
import { isClusterId } from "../cluster-id.js";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import { type Logger, silentLogger } from "../logger.js";
import { downDockerCluster } from "./docker-cluster.js";

/** Options of {@link reapDockerClusters}. */
export interface DockerReapOptions {
  readonly docker?: Docker;
  readonly logger?: Logger;
  /** Also reap clusters created longer ago than this many seconds, expired or not. */
  readonly olderThanSeconds?: number;
  /** List what would be removed, remove nothing. */
  readonly dryRun?: boolean;
  readonly now?: () => number;
  /** Only clusters labelled `github.repository` with this value. */
  readonly repository?: string | undefined;
}

/**
 * Finds this tool's clusters on the engine (by the managed-by label) whose expires-at passed, or older
 * than `olderThanSeconds`, and tears them down. Objects without our labels are never touched.
 */
export async function reapDockerClusters(
  options: DockerReapOptions = {},
): Promise<{ reaped: string[]; kept: string[] }> {
  const docker = options.docker ?? new Docker();
  const logger = options.logger ?? silentLogger;
  const now = (options.now ?? Date.now)();
  const filter = { label: [`${LABEL.managedBy}=${MANAGED_BY}`] };
  const clusters = new Map<string, { expiresAt: number; createdAt: number }>();
  const note = (labels: Record<string, string>) => {
    const id = labels[LABEL.clusterId];
    if (!id) return;
    // Labels are data: an id that is not well-formed never reaches a teardown.
    if (!isClusterId(id)) {
      logger.warn(`ignoring an object labelled with ${JSON.stringify(id.slice(0, 80))}, which is not a cluster id`);
      return;
    }
    if (options.repository !== undefined && labels["github.repository"] !== options.repository) return;
    const expiresAt = Date.parse(labels[LABEL.expiresAt] ?? "");
    const createdAt = Date.parse(labels[LABEL.createdAt] ?? "");
    const previous = clusters.get(id);
    clusters.set(id, {
      expiresAt: Math.min(
        previous?.expiresAt ?? Number.POSITIVE_INFINITY,
        Number.isNaN(expiresAt) ? Number.POSITIVE_INFINITY : expiresAt,
      ),
      createdAt: Math.min(
        previous?.createdAt ?? Number.POSITIVE_INFINITY,
        Number.isNaN(createdAt) ? Number.POSITIVE_INFINITY : createdAt,
      ),
    });
  };
  for (const c of await docker.listContainers({ all: true, filters: filter })) note(c.Labels);
  for (const n of await docker.listNetworks({ filters: filter })) note(n.Labels ?? {});
  const reaped: string[] = [];
  const kept: string[] = [];
  for (const [id, times] of [...clusters.entries()].sort()) {
    const expired = times.expiresAt <= now;
    const old = options.olderThanSeconds !== undefined && times.createdAt <= now - options.olderThanSeconds * 1000;
    if (!expired && !old) {
      kept.push(id);
      continue;
    }
    reaped.push(id);
    logger.info(
      `${options.dryRun ? "would reap" : "reaping"} cluster ${id} (${expired ? "expired" : "older than the limit"})`,
    );
    if (!options.dryRun) await downDockerCluster(id, { docker, logger });
  }
  return { reaped, kept };
}
