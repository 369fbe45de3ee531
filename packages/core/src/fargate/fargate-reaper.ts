import { paginateDescribeSecurityGroups } from "@aws-sdk/client-ec2";
import { isClusterId } from "../cluster-id.js";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import { type Logger, silentLogger } from "../logger.js";
import type { AwsClients } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { allEcsClusters, downFargateCluster, taggedEcsClusters } from "./fargate-down.js";
import { type ExpiryVerdict, type ExpiryWitness, expiryVerdict, ownWitnesses } from "./fargate-expiry.js";
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
 * and tears down those that are over: expires-at passed (or created longer ago than `olderThanSeconds`)
 * on every resource of the cluster that carries a time, read from its ECS cluster, security groups, TLS
 * secret, log group and running tasks (see {@link expiryVerdict}). A cluster whose resources disagree is
 * left whole, with a warning naming them. Nothing without both tags is ever touched; with `repository`,
 * nothing without that repository's tag either.
 */
export async function reapFargateClusters(options: FargateReapOptions): Promise<{ reaped: string[]; kept: string[] }> {
  const logger = options.logger ?? silentLogger;
  const now = (options.now ?? Date.now)();
  const olderThanMs = options.olderThanSeconds !== undefined ? options.olderThanSeconds * 1000 : undefined;
  const found = new Map<string, ExpiryWitness[]>();
  // Tags are data anyone who can tag a resource can set: an id must be well-formed and inside the scope,
  // and the teardown below again touches only resources whose own tags name that cluster.
  const note = (what: string, tags: Record<string, string>) => {
    const id = tags[LABEL.clusterId];
    if (!id) return;
    if (!isClusterId(id)) {
      logger.warn(`ignoring a resource tagged with ${JSON.stringify(id.slice(0, 80))}, which is not a cluster id`);
      return;
    }
    if (options.repository !== undefined && tags[REPOSITORY_TAG] !== options.repository) return;
    found.set(id, [...(found.get(id) ?? []), { what, tags }]);
  };
  for (const [arn, tags] of await taggedEcsClusters(options.clients)) note(`ECS cluster ${arn.split("/").pop()}`, tags);
  const groups = paginateDescribeSecurityGroups(
    { client: options.clients.ec2 },
    { Filters: [{ Name: `tag:${LABEL.managedBy}`, Values: [MANAGED_BY] }] },
  );
  for (const group of await allItems(groups, (page) => page.SecurityGroups))
    note(`security group ${group.GroupId}`, tagMap(group.Tags));
  const reaped: string[] = [];
  const kept: string[] = [];
  let regionClusters: string[] | undefined;
  for (const [id, listed] of [...found.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const keep = (verdict: ExpiryVerdict) => {
      kept.push(id);
      if (!verdict.reap && verdict.disagreement)
        logger.warn(
          `leaving cluster ${id} whole: its resources disagree on its expiry (${verdict.disagreement.alive.join(", ")} against ${verdict.disagreement.expired.join(", ")}); the start tags all of a cluster's resources alike, so check who tagged the latter`,
        );
    };
    const listedVerdict = expiryVerdict(listed, now, olderThanMs);
    if (!listedVerdict.reap) {
      keep(listedVerdict);
      continue;
    }
    // Over by what was listed: the cluster's other resources must say so too (a forged group must not end a live cluster).
    regionClusters ??= await allEcsClusters(options.clients);
    const scope = { clusterId: id, repository: options.repository };
    const verdict = expiryVerdict(
      [...listed, ...(await ownWitnesses(options.clients, scope, regionClusters))],
      now,
      olderThanMs,
    );
    if (!verdict.reap) {
      keep(verdict);
      continue;
    }
    reaped.push(id);
    logger.info(`${options.dryRun ? "would reap" : "reaping"} cluster ${id} (${verdict.reason})`);
    if (!options.dryRun)
      await downFargateCluster({ clusterId: id }, { clients: options.clients, logger, repository: options.repository });
  }
  return { reaped, kept };
}
