import {
  DeleteLogGroupCommand,
  ListTagsForResourceCommand,
  paginateDescribeLogGroups,
} from "@aws-sdk/client-cloudwatch-logs";
import { paginateDescribeSecurityGroups } from "@aws-sdk/client-ec2";
import {
  DeleteClusterCommand,
  DescribeClustersCommand,
  type ECSClient,
  paginateListClusters,
  paginateListTasks,
} from "@aws-sdk/client-ecs";
import { DeleteSecretCommand, paginateListSecrets } from "@aws-sdk/client-secrets-manager";
import type { FargateResources, TeardownReport } from "../cluster.js";
import { assertClusterId, removeClusterTlsDir } from "../cluster-id.js";
import { ClusterConfigError } from "../errors.js";
import { LABEL, MANAGED_BY } from "../internal/labels.js";
import type { Clock } from "../internal/wait.js";
import { type Logger, silentLogger } from "../logger.js";
import { type AwsClients, awsErrorName } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { removeTaskDefinitions } from "./fargate-definitions-down.js";
import { fargateNames } from "./fargate-names.js";
import { deleteSecurityGroup } from "./fargate-network.js";
import { isOurs, type OwnershipScope, REPOSITORY_TAG, tagMap } from "./fargate-ownership.js";
import { describeTasks, stopTasks, waitStopped } from "./fargate-tasks.js";
import { retryWhile } from "./retry.js";

/** What to tear down: a cluster id, with the saved resources when there are any. */
export interface FargateTeardownTarget {
  readonly clusterId: string;
  readonly resources?: FargateResources | undefined;
}

/** Options of {@link downFargateCluster}. */
export interface FargateDownOptions {
  readonly clients: AwsClients;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Keep the log group (default: the saved spec's keep-logs, else delete). */
  readonly keepLogs?: boolean;
  /** Act only on resources tagged with this `github.repository` as well (the reaper's scope). */
  readonly repository?: string | undefined;
  /** The cluster's local state directory (client TLS keys); removed as well. */
  readonly tlsDir?: string | undefined;
}

/**
 * Removes everything of a cluster, idempotently: stops its tasks (and waits until STOPPED), deregisters
 * and deletes its task definitions, deletes its security group (retrying while ENIs detach), log group, TLS secret
 * and, if this tool created it, the ECS cluster. The managed IAM roles stay for the next cluster.
 * Without saved resources everything is found from the cluster id alone (names and tags). Whatever finds
 * a resource (a saved id, a name, a `startedBy` value), its own tags are read before it is touched: only
 * resources tagged with this tool's managed-by tag and the cluster id (and the repository, when scoped)
 * are ever stopped, deregistered or deleted.
 */
export async function downFargateCluster(
  target: FargateTeardownTarget,
  options: FargateDownOptions,
): Promise<TeardownReport> {
  const { ecs, ec2, logs, secrets } = options.clients;
  const logger = options.logger ?? silentLogger;
  const id = assertClusterId(target.clusterId);
  const removed: string[] = [];
  const saved = target.resources;

  const scope: OwnershipScope = { clusterId: id, repository: options.repository };
  /** Resources of this cluster id that another repository's run (or one outside any repository) created. */
  const foreign = new Set<string>();
  const skip = (what: string, tags: Readonly<Record<string, string>>) => {
    if (scope.repository !== undefined && isOurs(tags, { clusterId: id }))
      foreign.add(tags[REPOSITORY_TAG] ?? "no repository");
    logger.info(
      `leaving ${what} alone: it is not tagged as cluster ${id} of dask-fargate-action${scope.repository ? ` from ${scope.repository}` : ""}`,
    );
  };

  // ECS clusters this tool created for the id, and every cluster that may run tasks started for it.
  // The region's clusters are listed once, and only when the saved resources do not name ours.
  const regionClusters = saved?.createdEcsCluster ? [] : await allEcsClusters(options.clients);
  const ours = saved?.createdEcsCluster
    ? [saved.ecsCluster]
    : await ourEcsClusters(options.clients, scope, regionClusters);
  const candidates = saved ? [saved.ecsCluster] : regionClusters;
  const stopped: { cluster: string; tasks: string[] }[] = [];
  for (const cluster of new Set([...ours, ...candidates])) {
    const listed = await listTasksStartedBy(options.clients, cluster, id);
    if (listed.length === 0) continue;
    // startedBy is free text anyone can set: stop only the tasks whose own tags say they are ours.
    const described = await describeTasks(ecs, cluster, listed, true);
    const tasks: string[] = [];
    for (const task of described) {
      const tags = tagMap(task.tags);
      if (isOurs(tags, scope)) tasks.push(task.taskArn ?? "");
      else skip(`task ${task.taskArn?.split("/").pop()} in ${cluster.split("/").pop()}`, tags);
    }
    if (tasks.length === 0) continue;
    logger.info(`stopping ${tasks.length} task(s) of cluster ${id}`);
    await stopTasks(ecs, cluster, tasks, "dask-fargate-action teardown", options.clock);
    stopped.push({ cluster, tasks });
    removed.push(...tasks.map((t) => `task ${t.split("/").pop()}`));
  }
  // Nothing waits for the tasks here: what does not depend on them goes first while they stop, and what
  // does (the security group their network interfaces use, the ECS cluster) is retried until they are gone.

  removed.push(...(await removeTaskDefinitions(ecs, scope, { logger, skip, recorded: saved?.taskDefinitionArns })));

  const keepLogs = options.keepLogs ?? saved?.spec.keepLogs ?? false;
  const logGroup = fargateNames.logGroup(id);
  if (!keepLogs) {
    const found = await allItems(
      paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: logGroup }),
      (page) => page.logGroups,
    );
    const group = found.find((g) => g.logGroupName === logGroup);
    const groupTags = group ? await logGroupTags(options.clients, group.arn ?? "") : {};
    if (group && !isOurs(groupTags, scope)) skip(`log group ${logGroup}`, groupTags);
    else if (group) {
      await logs.send(new DeleteLogGroupCommand({ logGroupName: logGroup })).catch((error: unknown) => {
        if (awsErrorName(error) !== "ResourceNotFoundException") throw error;
      });
      removed.push(`log group ${logGroup}`);
    }
  }

  const secretName = fargateNames.tlsSecret(id);
  const listed = await allItems(
    paginateListSecrets({ client: secrets }, { Filters: [{ Key: "name", Values: [secretName] }] }),
    (page) => page.SecretList,
  );
  for (const secret of listed) {
    if (secret.Name !== secretName) continue;
    if (!isOurs(tagMap(secret.Tags), scope)) {
      skip(`secret ${secretName}`, tagMap(secret.Tags));
      continue;
    }
    // No recovery window: the secret is a per-cluster key that must not outlive the cluster.
    await secrets.send(
      new DeleteSecretCommand({ SecretId: secret.ARN ?? secretName, ForceDeleteWithoutRecovery: true }),
    );
    removed.push(`secret ${secretName}`);
  }

  // The saved id and a search by tags: a record written before the group was created must not leak it.
  const filters = [
    { Name: `tag:${LABEL.clusterId}`, Values: [id] },
    { Name: `tag:${LABEL.managedBy}`, Values: [MANAGED_BY] },
    ...(scope.repository ? [{ Name: `tag:${REPOSITORY_TAG}`, Values: [scope.repository] }] : []),
  ];
  const tagged = (
    await allItems(paginateDescribeSecurityGroups({ client: ec2 }, { Filters: filters }), (page) => page.SecurityGroups)
  )
    .map((g) => g.GroupId ?? "")
    .filter(Boolean);
  const groups = [...new Set([...(saved?.createdSecurityGroupId ? [saved.createdSecurityGroupId] : []), ...tagged])];
  for (const group of groups) {
    if (
      await deleteSecurityGroup(ec2, group, {
        logger,
        ...(options.clock ? { clock: options.clock } : {}),
        pace: { firstMs: STOP_POLL_MS, maxMs: STOP_POLL_MAX_MS },
      })
    )
      removed.push(`security group ${group}`);
  }

  for (const cluster of ours) {
    if (await deleteEcsCluster(ecs, cluster, { logger, ...(options.clock ? { clock: options.clock } : {}) }))
      removed.push(`ECS cluster ${cluster.split("/").pop()}`);
  }
  // Neither the group nor the cluster is ours to delete (a team's own): nothing else waited for the tasks.
  if (groups.length === 0 && ours.length === 0) {
    for (const { cluster, tasks } of stopped) {
      await waitStopped(ecs, cluster, tasks, {
        ...(options.clock ? { clock: options.clock } : {}),
        delayMs: STOP_POLL_MS,
      });
    }
  }
  if (removed.length === 0 && foreign.size > 0)
    throw new ClusterConfigError(
      "cluster-id",
      `cluster ${id} was not started from ${scope.repository} (its resources are tagged github.repository ${[...foreign].sort().join(", ")}), and a teardown scoped to ${scope.repository} removes only that repository's clusters: nothing was removed. Tear it down from the workflow of the repository that started it, or with the CLI (dask-fargate down --backend fargate --cluster-id ${id}) as an identity that may`,
    );
  if (options.tlsDir) await removeClusterTlsDir(options.tlsDir, id);
  if (removed.length > 0) logger.info(`removed ${removed.length} resources of cluster ${id}`);
  return { clusterId: id, removed: removed.sort() };
}

/**
 * The waits for stopping tasks: a Fargate stop takes seconds to tens of seconds (the ENI detaches last), so the
 * retries start at 2 s and grow to 8 s — few calls for a long stop, at most 8 s late for any.
 */
const STOP_POLL_MS = 2000;
const STOP_POLL_MAX_MS = 8000;

/**
 * Deletes an ECS cluster, retrying while its stopped tasks are still active (ClusterContainsTasksException,
 * API_DeleteCluster.html). Returns false when it was already gone.
 */
async function deleteEcsCluster(
  ecs: ECSClient,
  cluster: string,
  options: { logger: Logger; clock?: Clock },
): Promise<boolean> {
  const remove = () => ecs.send(new DeleteClusterCommand({ cluster }));
  return retryWhile("DeleteCluster", remove, (error) => awsErrorName(error) === "ClusterContainsTasksException", {
    limitSeconds: 300,
    logger: options.logger,
    backoff: { firstMs: STOP_POLL_MS, maxMs: STOP_POLL_MAX_MS },
    describe: () => `ECS cluster ${cluster.split("/").pop()} still has stopping tasks`,
    ...(options.clock ? { clock: options.clock } : {}),
  }).then(
    () => true,
    (error: unknown) => {
      if (awsErrorName(error) === "ClusterNotFoundException") return false;
      throw error;
    },
  );
}

/** ARNs of every ECS cluster in the region. */
export async function allEcsClusters(clients: AwsClients): Promise<string[]> {
  return allItems(paginateListClusters({ client: clients.ecs }, {}), (page) => page.clusterArns);
}

/** ECS clusters (ARN → tags) that carry this tool's managed-by tag, among `arns` (default: all in the region). */
export async function taggedEcsClusters(
  clients: AwsClients,
  arns?: string[],
): Promise<Map<string, Record<string, string>>> {
  arns ??= await allEcsClusters(clients);
  const result = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += 100) {
    const described = await clients.ecs.send(
      new DescribeClustersCommand({ clusters: arns.slice(i, i + 100), include: ["TAGS"] }),
    );
    for (const cluster of described.clusters ?? []) {
      const tags = Object.fromEntries((cluster.tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
      if (tags[LABEL.managedBy] === MANAGED_BY && cluster.clusterArn && cluster.status !== "INACTIVE")
        result.set(cluster.clusterArn, tags);
    }
  }
  return result;
}

async function ourEcsClusters(clients: AwsClients, scope: OwnershipScope, arns: string[]): Promise<string[]> {
  const tagged = await taggedEcsClusters(clients, arns);
  return [...tagged.entries()].filter(([, tags]) => isOurs(tags, scope)).map(([arn]) => arn);
}

/** The tags of a log group (its ARN as DescribeLogGroups gives it, ending in `:*`). */
export async function logGroupTags(clients: AwsClients, arn: string): Promise<Record<string, string>> {
  const answer = await clients.logs.send(new ListTagsForResourceCommand({ resourceArn: arn.replace(/:\*$/, "") }));
  return answer.tags ?? {};
}

export async function listTasksStartedBy(clients: AwsClients, cluster: string, clusterId: string): Promise<string[]> {
  const pages = paginateListTasks({ client: clients.ecs }, { cluster, startedBy: clusterId, desiredStatus: "RUNNING" });
  return allItems(pages, (page) => page.taskArns).catch((error: unknown) => {
    if (awsErrorName(error) === "ClusterNotFoundException") return [];
    throw error;
  });
}
