import {
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";

/**
 * Gives moto's default VPC what AWS's has: an attached internet gateway and a 0.0.0.0/0 route to it in the main
 * route table ("Default VPCs", https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). moto 5.2.1
 * makes the VPC with only its local route, so a public task there could not pull anything. Idempotent.
 */
export async function giveDefaultVpcInternet(ec2: Pick<EC2Client, "send">): Promise<void> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] })))
    .Vpcs?.[0]?.VpcId;
  if (!vpc) return;
  const tables = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpc] },
        { Name: "association.main", Values: ["true"] },
      ],
    }),
  );
  const main = tables.RouteTables?.[0];
  if (!main?.RouteTableId || main.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0")) return;
  const gateway = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ?? "";
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gateway, VpcId: vpc }));
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: main.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: gateway }),
  );
}

/**
 * Gives the default VPC's `default` security group AWS's inbound rule: all traffic from network interfaces in the
 * same group ("Default security groups for your VPCs",
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html). moto 5.2.1 makes it with no
 * inbound rule, so tasks in it could not reach each other once groups are enforced. Idempotent.
 */
export async function giveDefaultGroupSelfRule(ec2: Pick<EC2Client, "send">): Promise<void> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] })))
    .Vpcs?.[0]?.VpcId;
  if (!vpc) return;
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpc] },
        { Name: "group-name", Values: ["default"] },
      ],
    }),
  );
  const group = groups.SecurityGroups?.[0];
  if (
    !group?.GroupId ||
    (group.IpPermissions ?? []).some((p) => p.UserIdGroupPairs?.some((g) => g.GroupId === group.GroupId))
  )
    return;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId,
      IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: group.GroupId }] }],
    }),
  );
}
