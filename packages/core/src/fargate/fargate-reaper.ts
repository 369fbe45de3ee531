import { paginateDescribeSecurityGroups } from "@aws-sdk/client-ec2";
import { isClusterId } from "../cluster-id.js";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import { type Logger, silentLogger } from "../logger.js";
import type { AwsClients } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { downFargateCluster, taggedEcsClusters } from "./fargate-down.js";
import { REPOSITORY_TAG, tagMap } from "./fargate-ownership.js";

/** Options of {@link reapFargateClusters}. */
export interface FargateReapOptions {
  readonly clients: AwsClients;
  readonly logger?: Logger;
  /** Also reap clusters created longer ago than this many seconds. */
  readonly olderThanSeconds?: number;
  readonly dryRun?: boolean;
  /** Only clusters tagged `github.repository` with this value (the action's default: the running repository). */
  readonly repository?: string | undefined;
  readonly now?: () => number;
}

/**
 * Finds this tool's clusters in the region — ECS clusters and security groups tagged with our
 * managed-by tag and a cluster id (the latter covers clusters run inside an existing ECS cluster) —
 * and tears down those whose expires-at passed (or older than `olderThanSeconds`). Nothing without
 * both tags is ever touched; with `repository`, nothing without that repository's tag either.
 */
export async function reapFargateClusters(options: FargateReapOptions): Promise<{ reaped: string[]; kept: string[] }> {
  const logger = options.logger ?? silentLogger;
  const now = (options.now ?? Date.now)();
  const found = new Map<string, Record<string, string>>();
  // Tags are data anyone who can tag a resource can set: an id must be well-formed and inside the scope,
  // and the teardown below again touches only resources whose own tags name that cluster.
  const note = (tags: Record<string, string>) => {
    const id = tags[LABEL.clusterId];
    if (!id || found.has(id)) return;
    if (!isClusterId(id)) {
      logger.warn(`ignoring a resource tagged with ${JSON.stringify(id.slice(0, 80))}, which is not a cluster id`);
      return;
    }
    if (options.repository !== undefined && tags[REPOSITORY_TAG] !== options.repository) return;
    found.set(id, tags);
  };
  for (const tags of (await taggedEcsClusters(options.clients)).values()) note(tags);
  const groups = paginateDescribeSecurityGroups({ client: options.clients.ec2 }, { Filters: [{ Name: `tag:${LABEL.managedBy}`, Values: [MANAGED_BY] }] });
  for (const group of await allItems(groups, (page) => page.SecurityGroups)) note(tagMap(group.Tags));
  const reaped: string[] = [];
  const kept: string[] = [];
  for (const [id, tags] of [...found.entries()].sort()) {
    const expiresAt = Date.parse(tags[LABEL.expiresAt] ?? "");
    const createdAt = Date.parse(tags[LABEL.createdAt] ?? "");
    const expired = !Number.isNaN(expiresAt) && expiresAt <= now;
    const old = options.olderThanSeconds !== undefined && !Number.isNaN(createdAt) && createdAt <= now - options.olderThanSeconds * 1000;
    if (!expired && !old) {
      kept.push(id);
      continue;
    }
    reaped.push(id);
    logger.info(`${options.dryRun ? "would reap" : "reaping"} cluster ${id} (${expired ? `expired at ${tags[LABEL.expiresAt]}` : "older than the limit"})`);
    if (!options.dryRun) await downFargateCluster({ clusterId: id }, { clients: options.clients, logger, repository: options.repository });
  }
  return { reaped, kept };
}
