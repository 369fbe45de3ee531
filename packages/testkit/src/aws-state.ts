import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import {
  DescribeClustersCommand,
  ListClustersCommand,
  ListTasksCommand,
  paginateListTaskDefinitions,
} from "@aws-sdk/client-ecs";
import { paginateListAttachedRolePolicies, paginateListRolePolicies, paginateListRoles } from "@aws-sdk/client-iam";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import type { AwsClients } from "@dask-fargate-action/core";

/**
 * Everything of a cluster id that could remain in the (emulated) account: active ECS clusters,
 * running tasks started for it in any cluster, task definitions (active or inactive), security groups, log groups,
 * secrets, and IAM: a role named with the id, and any inline or attached policy named with it on the tool's roles
 * (`dask-fargate-action-*`) or such a role. Teardown must leave this empty.
 */
export async function awsLeftovers(clients: AwsClients, clusterId: string): Promise<string[]> {
  const left: string[] = [];
  const clusters = (await clients.ecs.send(new ListClustersCommand({}))).clusterArns ?? [];
  if (clusters.length > 0) {
    const described = await clients.ecs.send(new DescribeClustersCommand({ clusters }));
    for (const c of described.clusters ?? [])
      if (c.clusterName === clusterId && c.status === "ACTIVE") left.push(`ECS cluster ${c.clusterName}`);
  }
  for (const cluster of clusters) {
    // A cluster deleted a moment ago may still be listed; ECS then answers ClusterNotFoundException.
    const tasks = await clients.ecs
      .send(new ListTasksCommand({ cluster, startedBy: clusterId, desiredStatus: "RUNNING" }))
      .catch((error: unknown) => {
        if ((error as { name?: string }).name === "ClusterNotFoundException") return { taskArns: [] };
        throw error;
      });
    left.push(...(tasks.taskArns ?? []).map((t) => `running task ${t}`));
  }
  left.push(...(await taskDefinitionsLeft(clients, clusterId)));
  const groups = await clients.ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [{ Name: "tag:io.dask-fargate-action.cluster-id", Values: [clusterId] }],
    }),
  );
  left.push(...(groups.SecurityGroups ?? []).map((g) => `security group ${g.GroupId}`));
  const logs = await clients.logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: `/dask-fargate-action/${clusterId}` }),
  );
  left.push(
    ...(logs.logGroups ?? [])
      .filter((g) => g.logGroupName === `/dask-fargate-action/${clusterId}`)
      .map((g) => `log group ${g.logGroupName}`),
  );
  const secrets = await clients.secrets.send(new ListSecretsCommand({}));
  left.push(
    ...(secrets.SecretList ?? [])
      .filter((s) => s.Name?.startsWith(`dask-fargate-action/${clusterId}/`))
      .map((s) => `secret ${s.Name}`),
  );
  left.push(...(await iamLeftovers(clients, clusterId)));
  return left;
}

/** IAM that names the cluster id: roles, and inline or attached policies on the tool's roles or on those roles. */
export async function iamLeftovers(clients: AwsClients, clusterId: string): Promise<string[]> {
  const left: string[] = [];
  const roles: string[] = [];
  for await (const page of paginateListRoles({ client: clients.iam }, {})) {
    for (const role of page.Roles ?? []) {
      const name = role.RoleName ?? "";
      if (name.includes(clusterId)) left.push(`IAM role ${name}`);
      if (name.includes(clusterId) || name.startsWith("dask-fargate-action")) roles.push(name);
    }
  }
  for (const role of roles) {
    // Another test file may delete its role between the listing and here.
    try {
      left.push(...(await rolePoliciesNaming(clients, role, clusterId)));
    } catch (error) {
      if (!["NoSuchEntity", "NoSuchEntityException"].includes((error as { name?: string }).name ?? "")) throw error;
    }
  }
  return left;
}

async function rolePoliciesNaming(clients: AwsClients, role: string, clusterId: string): Promise<string[]> {
  const left: string[] = [];
  for await (const page of paginateListRolePolicies({ client: clients.iam }, { RoleName: role })) {
    left.push(
      ...(page.PolicyNames ?? []).filter((n) => n.includes(clusterId)).map((n) => `IAM inline policy ${n} on ${role}`),
    );
  }
  for await (const page of paginateListAttachedRolePolicies({ client: clients.iam }, { RoleName: role })) {
    left.push(
      ...(page.AttachedPolicies ?? [])
        .filter((p) => (p.PolicyName ?? "").includes(clusterId) || (p.PolicyArn ?? "").includes(clusterId))
        .map((p) => `IAM policy ${p.PolicyArn} attached to ${role}`),
    );
  }
  return left;
}

/**
 * The cluster's task definition revisions that are still listed, ACTIVE or INACTIVE (a deregistered revision
 * stays in the account until it is deleted). One family at a time: AWS matches `familyPrefix` as a prefix,
 * moto only as the whole family name.
 */
export async function taskDefinitionsLeft(clients: AwsClients, clusterId: string): Promise<string[]> {
  const left: string[] = [];
  for (const role of ["scheduler", "worker", "job"]) {
    for (const status of ["ACTIVE", "INACTIVE"] as const) {
      for await (const page of paginateListTaskDefinitions(
        { client: clients.ecs },
        { familyPrefix: `${clusterId}-${role}`, status },
      )) {
        left.push(
          ...(page.taskDefinitionArns ?? [])
            .filter((a) => a.includes(`/${clusterId}-${role}:`))
            .map((a) => `${status} task definition ${a}`),
        );
      }
    }
  }
  return left;
}
