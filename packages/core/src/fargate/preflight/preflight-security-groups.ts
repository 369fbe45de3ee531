import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import { SCHEDULER_PORT } from "../../internal/dask-commands.js";
import type { PreflightFinding } from "./preflight-finding.js";

/**
 * The security group rule, for a user's own groups (the cluster's own group always has it). Every task of the
 * cluster gets all the given groups, and its members connect to each other on TCP: the workers and the job to the
 * scheduler's 8786, the scheduler and the workers to the workers' ports, which the kernel picks (ephemeral;
 * anywhere in 1024–65535). A group admits only what its inbound rules allow ("Security group rules",
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html), the rules of an ENI's groups add up,
 * and a rule whose source is a group admits the ENIs in that group by their private IPs. So the members reach
 * each other when the groups' rules admit, on all TCP ports, a source group among the given ones (the self rule),
 * or a CIDR that holds the subnets. Without it, tasks start and the workers' connections time out.
 */

/** What the rule needs, read by {@link readSecurityGroups}. */
export interface SecurityGroupFacts {
  readonly region: string;
  readonly requested: readonly string[];
  readonly groups: readonly { readonly id: string; readonly ingress: readonly IpPermission[] }[];
  /** The CIDR blocks of the tasks' subnets. */
  readonly subnetCidrs: readonly string[];
}

/** Reads the given groups and the subnets' CIDR blocks (Describe calls only). */
export async function readSecurityGroups(
  ec2: Pick<EC2Client, "send">,
  region: string,
  requested: readonly string[],
  subnets: readonly string[],
): Promise<SecurityGroupFacts> {
  // Filters, not ids: a missing one is then simply absent.
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: [...requested] }] }),
  );
  const found = subnets.length
    ? await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [...subnets] }] }))
    : { Subnets: [] };
  return {
    region,
    requested,
    groups: (groups.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? "", ingress: g.IpPermissions ?? [] })),
    subnetCidrs: (found.Subnets ?? []).map((s) => s.CidrBlock ?? "").filter(Boolean),
  };
}

/** TCP port ranges a rule opens, or none for other protocols. */
function tcpRange(p: IpPermission): [number, number] | undefined {
  const protocol = String(p.IpProtocol ?? "");
  if (protocol === "-1") return [0, 65535];
  if (protocol !== "tcp" && protocol !== "6") return undefined;
  return [p.FromPort ?? 0, p.ToPort ?? 65535];
}

function ipv4(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** Whether CIDR `outer` holds every address of CIDR `inner`. */
export function cidrHolds(outer: string, inner: string): boolean {
  const [oBase = "", oBits = "32"] = outer.split("/");
  const [iBase = "", iBits = "32"] = inner.split("/");
  const o = Number(oBits);
  if (o > Number(iBits)) return false;
  const size = 2 ** (32 - o);
  return Math.floor(ipv4(oBase) / size) === Math.floor(ipv4(iBase) / size);
}

/** Dask uses no port below this one: the scheduler's 8786, and workers' ports the kernel picks (ephemeral). */
const LOWEST_PORT = 1024;

/** The TCP ports 1024–65535 that no range covers, as "a-b" strings. */
function uncovered(ranges: readonly [number, number][]): string[] {
  const gaps: string[] = [];
  let next = LOWEST_PORT;
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (from > next) gaps.push(from - 1 > next ? `${next}-${from - 1}` : String(next));
    next = Math.max(next, to + 1);
  }
  if (next <= 65535) gaps.push(next === 65535 ? "65535" : `${next}-65535`);
  return gaps;
}

/** Applies the rule. Pure. */
export function securityGroupFindings(facts: SecurityGroupFacts): PreflightFinding[] {
  const missing = facts.requested.filter((id) => !facts.groups.some((g) => g.id === id));
  if (missing.length > 0)
    return [
      {
        check: "security-groups",
        status: "refused",
        message: `security group${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in ${facts.region}`,
        fix: "check the security group ids and the region (aws ec2 describe-security-groups)",
      },
    ];
  const members = (p: IpPermission) =>
    (p.UserIdGroupPairs ?? []).some((pair) => facts.requested.includes(pair.GroupId ?? "")) ||
    (facts.subnetCidrs.length > 0 &&
      (p.IpRanges ?? []).some((r) => facts.subnetCidrs.every((s) => cidrHolds(r.CidrIp ?? "", s))));
  const ranges = facts.groups
    .flatMap((g) => g.ingress.filter(members).map(tcpRange))
    .filter((r): r is [number, number] => r !== undefined);
  const gaps = uncovered(ranges);
  const names = facts.requested.join(", ");
  if (gaps.length === 0)
    return [
      {
        check: "security-groups",
        status: "ok",
        message: `${names} admit the cluster's tasks from each other on TCP ports ${LOWEST_PORT}-65535`,
      },
    ];
  const first = facts.requested[0] ?? "";
  const rule = `all TCP (0-65535) from ${first} itself (the self rule)`;
  const which = facts.requested.length > 1 ? `security groups ${names}` : `security group ${names}`;
  const ports = gaps.join(", ");
  // A prefix list may hold the subnets: it is not read, so the start goes on with a warning.
  if (facts.groups.some((g) => g.ingress.some((p) => (p.PrefixListIds ?? []).length > 0)))
    return [
      {
        check: "security-groups",
        status: "note",
        message: `${which} admit the cluster's tasks from each other on TCP ports ${ports} only through prefix lists preflight does not read; without ${rule} the workers' connections time out`,
      },
    ];
  return [
    {
      check: "security-groups",
      status: "refused",
      message: `${which} ${facts.requested.length > 1 ? "lack" : "lacks"} the rule the cluster's tasks need to reach each other: ${rule} (not admitted now: TCP ${ports}; the workers and the job connect to the scheduler on ${SCHEDULER_PORT} and to the workers on ports chosen when they start)`,
      fix: `aws ec2 authorize-security-group-ingress --region ${facts.region} --group-id ${first} --protocol tcp --port 0-65535 --source-group ${first}, or leave security-groups unset so the cluster gets its own group`,
    },
  ];
}
