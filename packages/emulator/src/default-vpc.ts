import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";

/**
 * Gives moto's default VPC what AWS's has: an attached internet gateway and a 0.0.0.0/0 route to it in the main
 * route table ("Default VPCs", https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). moto 5.2.1
 * makes the VPC with only its local route, so a public task there could not pull anything. Idempotent.
 */
export async function giveDefaultVpcInternet(ec2: Pick<EC2Client, "send">): Promise<void> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs?.[0]?.VpcId;
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
  await ec2.send(new CreateRouteCommand({ RouteTableId: main.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: gateway }));
}
