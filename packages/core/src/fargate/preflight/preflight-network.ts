import {
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type Route,
} from "@aws-sdk/client-ec2";
import type { PreflightFinding } from "./preflight-finding.js";

/**
 * The network rule. A Fargate task pulls its image, sends its logs and reads its secrets over its own ENI
 * ("Fargate task networking", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html):
 * - with a public IP, the subnet needs a route to an internet gateway;
 * - without one, a route through a NAT gateway (or NAT instance), or interface endpoints for ecr.api, ecr.dkr and
 *   logs (private DNS on) plus the S3 gateway endpoint on the subnet's route table, where ECR keeps the layers
 *   ("Amazon ECR interface VPC endpoints", https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html);
 *   secrets need secretsmanager (or ssm) endpoints too. Endpoints only serve ECR: other registries need the internet.
 * A subnet takes its explicitly associated route table, else the VPC's main one
 * (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html).
 */

/** What the rule needs to know about the subnets, read by {@link readNetwork}. */
export interface NetworkFacts {
  readonly region: string;
  readonly requested: readonly string[];
  readonly subnets: readonly {
    readonly id: string;
    readonly vpcId: string;
    readonly routeTableId: string | undefined;
    readonly routes: readonly Route[];
  }[];
  readonly endpoints: readonly {
    readonly serviceName: string;
    readonly type: string;
    readonly privateDns: boolean;
    readonly routeTableIds: readonly string[];
  }[];
  readonly assignPublicIp: boolean;
  /** The image is in ECR (endpoints can replace the internet for it). */
  readonly ecrImage: boolean;
  /** Endpoint services the tasks' secrets need besides the pull and logs ones (`secretsmanager`, `ssm`). */
  readonly secretServices: readonly string[];
}

const DEAD_ENDPOINT = new Set(["deleted", "deleting", "failed", "rejected", "expired"]);

/** Reads the subnets, their route tables and the VPC's endpoints (Describe calls only). */
export async function readNetwork(
  ec2: Pick<EC2Client, "send">,
  input: Omit<NetworkFacts, "subnets" | "endpoints">,
): Promise<NetworkFacts> {
  // A filter, not SubnetIds: a missing id is then simply absent (SubnetIds would fail on the first one).
  const found = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [...input.requested] }] }),
  );
  const subnets = (found.Subnets ?? []).filter((s) => s.SubnetId && s.VpcId);
  const vpcs = [...new Set(subnets.map((s) => s.VpcId ?? ""))];
  const tables = vpcs.length
    ? ((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: vpcs }] }))).RouteTables ??
      [])
    : [];
  const endpoints = vpcs.length
    ? ((await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: vpcs }] })))
        .VpcEndpoints ?? [])
    : [];
  return {
    ...input,
    subnets: subnets.map((s) => {
      const table =
        tables.find((t) => t.Associations?.some((a) => a.SubnetId === s.SubnetId)) ??
        tables.find((t) => t.VpcId === s.VpcId && t.Associations?.some((a) => a.Main));
      return {
        id: s.SubnetId ?? "",
        vpcId: s.VpcId ?? "",
        routeTableId: table?.RouteTableId,
        routes: table?.Routes ?? [],
      };
    }),
    endpoints: endpoints
      .filter((e) => !DEAD_ENDPOINT.has(String(e.State ?? "").toLowerCase()))
      .map((e) => ({
        serviceName: e.ServiceName ?? "",
        type: String(e.VpcEndpointType ?? ""),
        privateDns: e.PrivateDnsEnabled ?? false,
        routeTableIds: e.RouteTableIds ?? [],
      })),
  };
}

const isDefaultRoute = (r: Route) => r.DestinationCidrBlock === "0.0.0.0/0" && r.State !== "blackhole";
const natRoute = (routes: readonly Route[]) =>
  routes.find((r) => isDefaultRoute(r) && (r.NatGatewayId || r.InstanceId));
const igwRoute = (routes: readonly Route[]) => routes.find((r) => isDefaultRoute(r) && r.GatewayId?.startsWith("igw-"));
/** A default route this check cannot follow (transit gateway, peering, an appliance's ENI, a virtual private gateway). */
const otherRoute = (routes: readonly Route[]) =>
  routes.find((r) => isDefaultRoute(r) && !r.NatGatewayId && !r.InstanceId && !r.GatewayId?.startsWith("igw-"));
const targetOf = (r: Route) =>
  r.TransitGatewayId ??
  r.NetworkInterfaceId ??
  r.VpcPeeringConnectionId ??
  r.CoreNetworkArn ??
  r.GatewayId ??
  r.LocalGatewayId ??
  "another target";

/** The endpoint services a private subnet needs for tasks to start, as `com.amazonaws.REGION.NAME`. */
export function requiredEndpoints(region: string, secretServices: readonly string[]): string[] {
  return ["ecr.api", "ecr.dkr", "s3", "logs", ...secretServices].map((s) => `com.amazonaws.${region}.${s}`);
}

/** Applies the rule to what {@link readNetwork} read. Pure. */
export function networkFindings(facts: NetworkFacts): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const missing = facts.requested.filter((id) => !facts.subnets.some((s) => s.id === id));
  if (missing.length > 0)
    findings.push({
      check: "subnets",
      status: "refused",
      message: `subnet${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in ${facts.region}`,
      fix: "check the subnet ids and the region (aws ec2 describe-subnets)",
    });
  const vpcs = new Set(facts.subnets.map((s) => s.vpcId));
  if (vpcs.size > 1)
    findings.push({
      check: "subnets",
      status: "refused",
      message: `the subnets are in ${vpcs.size} VPCs (${[...vpcs].join(", ")})`,
      fix: "give subnets of one VPC: the cluster's security group and its members live in one VPC",
    });
  for (const subnet of facts.subnets) findings.push(subnetFinding(subnet, facts));
  if (findings.length === 0)
    findings.push({
      check: "subnets",
      status: "ok",
      message: `${facts.requested.join(", ")} exist${facts.requested.length === 1 ? "s" : ""}`,
    });
  return findings;
}

function subnetFinding(subnet: NetworkFacts["subnets"][number], facts: NetworkFacts): PreflightFinding {
  const table = subnet.routeTableId ?? "no route table";
  const nat = natRoute(subnet.routes);
  const igw = igwRoute(subnet.routes);
  if (facts.assignPublicIp) {
    if (igw)
      return {
        check: "network",
        status: "ok",
        message: `${subnet.id}: public IPs, and ${table} routes 0.0.0.0/0 to ${igw.GatewayId}`,
      };
    if (nat)
      return {
        check: "network",
        status: "ok",
        message: `${subnet.id}: ${table} routes 0.0.0.0/0 through ${nat.NatGatewayId ?? nat.InstanceId}`,
      };
  } else if (nat) {
    return {
      check: "network",
      status: "ok",
      message: `${subnet.id}: private, ${table} routes 0.0.0.0/0 through ${nat.NatGatewayId ?? nat.InstanceId}`,
    };
  }
  const other = otherRoute(subnet.routes);
  if (other)
    return {
      check: "network",
      status: "note",
      message: `${subnet.id}: ${table} sends 0.0.0.0/0 to ${targetOf(other)}, which preflight cannot follow; tasks start only if the image registry and CloudWatch Logs are reachable that way`,
    };
  if (facts.assignPublicIp)
    return {
      check: "network",
      status: "refused",
      message: `${subnet.id}: assign-public-ip is true but ${table} has no 0.0.0.0/0 route to an internet gateway, so tasks cannot pull the image (CannotPullContainerError)`,
      fix: `add a 0.0.0.0/0 route to an internet gateway in ${table}, or use public subnets, or set assign-public-ip false with subnets that route through a NAT gateway`,
    };
  const natFix = `add a 0.0.0.0/0 route to a NAT gateway in ${table}`;
  const igwHint = igw ? ` (its route to ${igw.GatewayId} serves only addresses with a public IP)` : "";
  if (!facts.ecrImage)
    return {
      check: "network",
      status: "refused",
      message: `${subnet.id}: private (assign-public-ip false) and ${table} has no NAT route${igwHint}; the image is not in ECR, so VPC endpoints cannot replace the internet`,
      fix: `${natFix}, or set assign-public-ip true in a subnet that routes to an internet gateway`,
    };
  const absent = requiredEndpoints(facts.region, facts.secretServices).filter(
    (service) => !endpointServes(service, subnet.routeTableId, facts),
  );
  if (absent.length === 0)
    return {
      check: "network",
      status: "ok",
      message: `${subnet.id}: private, served by the VPC endpoints for ECR, S3 and CloudWatch Logs`,
    };
  return {
    check: "network",
    status: "refused",
    message: `${subnet.id}: private (assign-public-ip false), ${table} has no NAT route${igwHint}, and the VPC lacks ${absent.join(", ")}, so tasks cannot pull the image or send logs (CannotPullContainerError)`,
    fix: `${natFix}, or create the missing VPC endpoints (interface endpoints with private DNS; S3 as a gateway endpoint on ${table}), or set assign-public-ip true in a public subnet`,
  };
}

function endpointServes(service: string, routeTableId: string | undefined, facts: NetworkFacts): boolean {
  const candidates = facts.endpoints.filter((e) => e.serviceName === service);
  if (service.endsWith(".s3"))
    // ECR's layers come from S3 through the gateway endpoint, which works through the route table it is attached to.
    return candidates.some(
      (e) => e.type.toLowerCase() === "gateway" && routeTableId !== undefined && e.routeTableIds.includes(routeTableId),
    );
  // Without private DNS the tasks resolve the public names and the endpoint is never used.
  return candidates.some((e) => e.type.toLowerCase() === "interface" && e.privateDns);
}
