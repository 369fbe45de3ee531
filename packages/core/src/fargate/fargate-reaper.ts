import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { LABEL, MANAGED_BY } from "../labels.js";
import { type Logger, silentLogger } from "../logger.js";
import type { AwsClients } from "./aws-clients.js";
import { downFargateCluster, taggedEcsClusters } from "./fargate-down.js";

/** Options of {@link reapFargateClusters}. */
export interface FargateReapOptions {
  readonly clients: AwsClients;
  readonly logger?: Logger;
  /** Also reap clusters created longer ago than this many seconds. */
  readonly olderThanSeconds?: number;
  readonly dryRun?: boolean;
  readonly now?: () => number;
}

/**
 * Finds this tool's clusters in the region — ECS clusters and security groups tagged with our
 * managed-by tag and a cluster id (the latter covers clusters run inside an existing ECS cluster) —
 * and tears down those whose expires-at passed (or older than `olderThanSeconds`). Nothing without
 * both tags is ever touched.
 */
export async function reapFargateClusters(options: FargateReapOptions): Promise<{ reaped: string[]; kept: string[] }> {
  const logger = options.logger ?? silentLogger;
  const now = (options.now ?? Date.now)();
  const found = new Map<string, Record<string, string>>();
  for (const tags of (await taggedEcsClusters(options.clients)).values()) {
    const id = tags[LABEL.clusterId];
    if (id) found.set(id, tags);
  }
  const groups = await options.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${LABEL.managedBy}`, Values: [MANAGED_BY] }] }));
  for (const group of groups.SecurityGroups ?? []) {
    const tags = Object.fromEntries((group.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
    const id = tags[LABEL.clusterId];
    if (id && !found.has(id)) found.set(id, tags);
  }
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
    if (!options.dryRun) await downFargateCluster({ clusterId: id }, { clients: options.clients, logger });
  }
  return { reaped, kept };
}
