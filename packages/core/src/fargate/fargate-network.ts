import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { ClusterConfigError, CoreError } from "../errors.js";
import type { Clock } from "../internal/wait.js";
import type { Logger } from "../logger.js";
import { awsErrorName } from "./aws-clients.js";
import { bindPlan, type FargatePlan } from "./fargate-plan.js";
import type { FargateSpec } from "./fargate-spec.js";
import { retryWhile } from "./retry.js";

/** Subnets and their VPC: the ones given (checked to exist), or the default VPC's default subnets. */
export async function resolveSubnets(
  ec2: EC2Client,
  fargate: FargateSpec,
): Promise<{ subnets: string[]; vpcId: string; defaultVpc: boolean }> {
  if (fargate.subnets && fargate.subnets.length > 0) {
    const found = await ec2
      .send(new DescribeSubnetsCommand({ SubnetIds: [...fargate.subnets] }))
      .catch((error: Error) => {
        throw new ClusterConfigError("subnets", `${error.message} (region ${fargate.region}); check the subnet ids`);
      });
    const vpcs = new Set((found.Subnets ?? []).map((s) => s.VpcId));
    if ((found.Subnets ?? []).length !== fargate.subnets.length)
      throw new ClusterConfigError("subnets", `not all of ${fargate.subnets.join(", ")} exist in ${fargate.region}`);
    if (vpcs.size !== 1) throw new ClusterConfigError("subnets", "the subnets must all be in one VPC");
    return { subnets: [...fargate.subnets], vpcId: [...vpcs][0] ?? "", defaultVpc: false };
  }
  const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId)
    throw new ClusterConfigError(
      "subnets",
      `${fargate.region} has no default VPC; give subnets (and security groups) of your VPC`,
    );
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpcId] },
        { Name: "default-for-az", Values: ["true"] },
      ],
    }),
  );
  const ids = (subnets.Subnets ?? [])
    .map((s) => s.SubnetId)
    .filter((s): s is string => Boolean(s))
    .sort();
  if (ids.length === 0)
    throw new ClusterConfigError("subnets", `the default VPC ${vpcId} has no default subnets; give subnets explicitly`);
  return { subnets: ids, vpcId, defaultVpc: true };
}

/**
 * Creates the cluster's security group and authorizes the plan's ingress (the group itself on all TCP, the
 * client CIDRs on the scheduler port and the dashboard's when asked). 0.0.0.0/0 only when asked, with a
 * warning; TLS is then always on (the spec refuses TLS off with outside ingress).
 */
export async function createSecurityGroup(
  ec2: EC2Client,
  plan: NonNullable<FargatePlan["securityGroup"]>,
  logger: Logger,
  onCreated: (id: string) => void,
): Promise<string> {
  const group = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: plan.name,
      Description: plan.description,
      VpcId: plan.vpcId,
      TagSpecifications: [{ ResourceType: "security-group", Tags: plan.tags }],
    }),
  );
  const id = group.GroupId;
  if (!id) throw new CoreError("CreateSecurityGroup returned no group id");
  onCreated(id);
  if (plan.clientCidrs.includes("0.0.0.0/0"))
    logger.warn(
      plan.clientPorts.to > plan.clientPorts.from
        ? "the scheduler and dashboard ports are open to the whole internet (allow-public-ingress): mutual TLS admits only holders of this cluster's client certificate to the scheduler, but the dashboard is plain HTTP that anyone can read"
        : "the scheduler port is open to the whole internet (allow-public-ingress): mutual TLS admits only holders of this cluster's client certificate",
    );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: id,
      IpPermissions: bindPlan(plan.ingress, { securityGroupId: id }),
    }),
  );
  return id;
}

/** Deletes a security group, retrying DependencyViolation while the tasks' ENIs detach (can take minutes). */
export async function deleteSecurityGroup(
  ec2: EC2Client,
  groupId: string,
  options: {
    logger: Logger;
    clock?: Clock;
    timeoutSeconds?: number;
    random?: () => number;
    pace?: { firstMs: number; maxMs: number };
  },
): Promise<boolean> {
  const remove = () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  return retryWhile("DeleteSecurityGroup", remove, (error) => awsErrorName(error) === "DependencyViolation", {
    limitSeconds: options.timeoutSeconds ?? 600,
    logger: options.logger,
    // The caller's pace while stopping tasks release their interfaces (seconds to tens of seconds), else 2 s to 30 s.
    backoff: options.pace ?? { maxMs: 30_000 },
    random: options.random,
    describe: () => `security group ${groupId} is still in use by network interfaces`,
    ...(options.clock ? { clock: options.clock } : {}),
  }).then(
    () => true,
    (error: unknown) => {
      const name = awsErrorName(error);
      if (name === "InvalidGroup.NotFound" || name === "InvalidGroupId.NotFound") return false;
      throw error;
    },
  );
}

/** The public IPv4 of an ENI (DescribeTasks does not show it). */
export async function publicIp(ec2: EC2Client, eniId: string): Promise<string | undefined> {
  const answer = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }));
  return answer.NetworkInterfaces?.[0]?.Association?.PublicIp;
}
