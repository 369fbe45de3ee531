import { paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { paginateListSecrets } from "@aws-sdk/client-secrets-manager";
import { LABEL } from "../internal/labels.js";
import type { AwsClients } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { listTasksStartedBy, logGroupTags } from "./fargate-down.js";
import { fargateNames } from "./fargate-names.js";
import { isOurs, type OwnershipScope, tagMap } from "./fargate-ownership.js";
import { describeTasks } from "./fargate-tasks.js";

/** One resource of a cluster and the times its tags give. */
export interface ExpiryWitness {
  /** What it is, for the log: `ECS cluster dfa-1`, `security group sg-0a`, `task 0f3c…`. */
  readonly what: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the reaper concluded about one cluster. */
export type ExpiryVerdict =
  | { readonly reap: true; readonly reason: string }
  | {
      readonly reap: false;
      readonly disagreement?: { readonly alive: readonly string[]; readonly expired: readonly string[] };
    };

/**
 * Decides from every resource of a cluster whether it is over: every resource that carries a time must say so
 * (expires-at passed, or created-at older than `olderThanMs`), and at least one must. Tags are data anyone who
 * may tag a resource can set, but the start gives all of a cluster's resources the same times: a resource whose
 * past time the cluster's own resources (its ECS cluster, secret, log group, running tasks) contradict is not
 * the start's, and the cluster is left whole. Pure.
 */
export function expiryVerdict(witnesses: readonly ExpiryWitness[], now: number, olderThanMs?: number): ExpiryVerdict {
  const alive: string[] = [];
  const over: { what: string; reason: string }[] = [];
  for (const witness of witnesses) {
    const expiresAt = Date.parse(witness.tags[LABEL.expiresAt] ?? "");
    const createdAt = Date.parse(witness.tags[LABEL.createdAt] ?? "");
    if (Number.isNaN(expiresAt) && Number.isNaN(createdAt)) continue;
    if (!Number.isNaN(expiresAt) && expiresAt <= now)
      over.push({ what: witness.what, reason: `expired at ${witness.tags[LABEL.expiresAt]}` });
    else if (olderThanMs !== undefined && !Number.isNaN(createdAt) && createdAt <= now - olderThanMs)
      over.push({ what: witness.what, reason: "older than the limit" });
    else alive.push(`${witness.what} (expires at ${witness.tags[LABEL.expiresAt] ?? "an unreadable time"})`);
  }
  if (over.length === 0) return { reap: false };
  if (alive.length > 0)
    return { reap: false, disagreement: { alive, expired: over.map((o) => `${o.what} (${o.reason})`) } };
  return { reap: true, reason: over[0]?.reason ?? "expired" };
}

/**
 * The cluster's own resources the reaper reads its times from, besides the ECS clusters and security groups it
 * already listed: the TLS secret and log group the start names after the id, and the tasks started for the id
 * in any of `ecsClusters` (RUNNING, tagged as ours). Read-only.
 */
export async function ownWitnesses(
  clients: AwsClients,
  scope: OwnershipScope,
  ecsClusters: readonly string[],
): Promise<ExpiryWitness[]> {
  const id = scope.clusterId;
  const witnesses: ExpiryWitness[] = [];
  const secretName = fargateNames.tlsSecret(id);
  const secrets = await allItems(
    paginateListSecrets({ client: clients.secrets }, { Filters: [{ Key: "name", Values: [secretName] }] }),
    (p) => p.SecretList,
  );
  for (const secret of secrets) {
    const tags = tagMap(secret.Tags);
    if (secret.Name === secretName && isOurs(tags, scope)) witnesses.push({ what: `secret ${secretName}`, tags });
  }
  const logGroup = fargateNames.logGroup(id);
  const groups = await allItems(
    paginateDescribeLogGroups({ client: clients.logs }, { logGroupNamePrefix: logGroup }),
    (p) => p.logGroups,
  );
  for (const group of groups.filter((g) => g.logGroupName === logGroup)) {
    const tags = await logGroupTags(clients, group.arn ?? "");
    if (isOurs(tags, scope)) witnesses.push({ what: `log group ${logGroup}`, tags });
  }
  for (const cluster of ecsClusters) {
    const arns = await listTasksStartedBy(clients, cluster, id);
    if (arns.length === 0) continue;
    for (const task of await describeTasks(clients.ecs, cluster, arns, true)) {
      const tags = tagMap(task.tags);
      if (isOurs(tags, scope)) witnesses.push({ what: `task ${task.taskArn?.split("/").pop()}`, tags });
    }
  }
  return witnesses;
}
