import { rm } from "node:fs/promises";
import { DeleteLogGroupCommand, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import {
  DeleteClusterCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from "@aws-sdk/client-ecs";
import { DeleteSecretCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import type { FargateResources, TeardownReport } from "../cluster.js";
import { LABEL, MANAGED_BY } from "../labels.js";
import { type Logger, silentLogger } from "../logger.js";
import type { Clock } from "../wait.js";
import { type AwsClients, awsErrorName } from "./aws-clients.js";
import { fargateNames } from "./fargate-names.js";
import { deleteSecurityGroup } from "./fargate-network.js";
import { stopTasks, waitStopped } from "./fargate-tasks.js";

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
  /** The cluster's local state directory (client TLS keys); removed as well. */
  readonly stateDir?: string | undefined;
}

/**
 * Removes everything of a cluster, idempotently: stops its tasks (and waits until STOPPED), deregisters
 * its task definitions, deletes its security group (retrying while ENIs detach), log group, TLS secret
 * and, if this tool created it, the ECS cluster. The managed IAM roles stay for the next cluster.
 * Without saved resources everything is found from the cluster id alone (names and tags); only
 * resources tagged with this tool's managed-by tag and the cluster id are ever deleted.
 */
export async function downFargateCluster(target: FargateTeardownTarget, options: FargateDownOptions): Promise<TeardownReport> {
  const { ecs, ec2, logs, secrets } = options.clients;
  const logger = options.logger ?? silentLogger;
  const id = target.clusterId;
  const removed: string[] = [];
  const saved = target.resources;

  // ECS clusters this tool created for the id, and every cluster that may run tasks started for it.
  // The region's clusters are listed once, and only when the saved resources do not name ours.
  const regionClusters = saved?.createdEcsCluster ? [] : await allEcsClusters(options.clients);
  const ours = saved?.createdEcsCluster ? [saved.ecsCluster] : await ourEcsClusters(options.clients, id, regionClusters);
  const candidates = saved ? [saved.ecsCluster] : regionClusters;
  for (const cluster of new Set([...ours, ...candidates])) {
    const tasks = await listTasksStartedBy(options.clients, cluster, id);
    if (tasks.length === 0) continue;
    logger.info(`stopping ${tasks.length} task(s) of cluster ${id}`);
    await stopTasks(ecs, cluster, tasks, "dask-fargate-action teardown");
    await waitStopped(ecs, cluster, tasks, { ...(options.clock ? { clock: options.clock } : {}) });
    removed.push(...tasks.map((t) => `task ${t.split("/").pop()}`));
  }

  for (const role of ["scheduler", "worker", "job"] as const) {
    const family = fargateNames.family(id, role);
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: "ACTIVE" }));
    for (const arn of listed.taskDefinitionArns ?? []) {
      if (!arn.includes(`:task-definition/${family}:`)) continue;
      await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
      removed.push(`task definition ${arn.split("/").pop()}`);
    }
  }

  const groups = saved
    ? saved.createdSecurityGroupId
      ? [saved.createdSecurityGroupId]
      : []
    : (
        (
          await ec2.send(
            new DescribeSecurityGroupsCommand({
              Filters: [
                { Name: `tag:${LABEL.clusterId}`, Values: [id] },
                { Name: `tag:${LABEL.managedBy}`, Values: [MANAGED_BY] },
              ],
            }),
          )
        ).SecurityGroups ?? []
      )
        .map((g) => g.GroupId ?? "")
        .filter(Boolean);
  for (const group of groups) {
    if (await deleteSecurityGroup(ec2, group, { logger, ...(options.clock ? { clock: options.clock } : {}) })) removed.push(`security group ${group}`);
  }

  const keepLogs = options.keepLogs ?? saved?.spec.keepLogs ?? false;
  const logGroup = fargateNames.logGroup(id);
  if (!keepLogs) {
    const found = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroup }));
    if ((found.logGroups ?? []).some((g) => g.logGroupName === logGroup)) {
      await logs.send(new DeleteLogGroupCommand({ logGroupName: logGroup })).catch((error: unknown) => {
        if (awsErrorName(error) !== "ResourceNotFoundException") throw error;
      });
      removed.push(`log group ${logGroup}`);
    }
  }

  const secretName = fargateNames.tlsSecret(id);
  const listed = await secrets.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [secretName] }] }));
  for (const secret of listed.SecretList ?? []) {
    if (secret.Name !== secretName) continue;
    // No recovery window: the secret is a per-cluster key that must not outlive the cluster.
    await secrets.send(new DeleteSecretCommand({ SecretId: secret.ARN ?? secretName, ForceDeleteWithoutRecovery: true }));
    removed.push(`secret ${secretName}`);
  }

  for (const cluster of ours) {
    await ecs.send(new DeleteClusterCommand({ cluster })).catch((error: unknown) => {
      if (awsErrorName(error) !== "ClusterNotFoundException") throw error;
    });
    removed.push(`ECS cluster ${cluster.split("/").pop()}`);
  }
  if (options.stateDir) await rm(options.stateDir, { recursive: true, force: true });
  if (removed.length > 0) logger.info(`removed ${removed.length} resources of cluster ${id}`);
  return { clusterId: id, removed: removed.sort() };
}

/** ARNs of every ECS cluster in the region. */
export async function allEcsClusters(clients: AwsClients): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.ecs.send(new ListClustersCommand({ ...(nextToken ? { nextToken } : {}) }));
    arns.push(...(page.clusterArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** ECS clusters (ARN → tags) that carry this tool's managed-by tag, among `arns` (default: all in the region). */
export async function taggedEcsClusters(clients: AwsClients, arns?: string[]): Promise<Map<string, Record<string, string>>> {
  arns ??= await allEcsClusters(clients);
  const result = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += 100) {
    const described = await clients.ecs.send(new DescribeClustersCommand({ clusters: arns.slice(i, i + 100), include: ["TAGS"] }));
    for (const cluster of described.clusters ?? []) {
      const tags = Object.fromEntries((cluster.tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
      if (tags[LABEL.managedBy] === MANAGED_BY && cluster.clusterArn && cluster.status !== "INACTIVE") result.set(cluster.clusterArn, tags);
    }
  }
  return result;
}

async function ourEcsClusters(clients: AwsClients, clusterId: string, arns: string[]): Promise<string[]> {
  const tagged = await taggedEcsClusters(clients, arns);
  return [...tagged.entries()].filter(([, tags]) => tags[LABEL.clusterId] === clusterId).map(([arn]) => arn);
}

async function listTasksStartedBy(clients: AwsClients, cluster: string, clusterId: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.ecs
      .send(new ListTasksCommand({ cluster, startedBy: clusterId, desiredStatus: "RUNNING", ...(nextToken ? { nextToken } : {}) }))
      .catch((error: unknown) => {
        if (awsErrorName(error) === "ClusterNotFoundException") return { taskArns: [], nextToken: undefined };
        throw error;
      });
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}
