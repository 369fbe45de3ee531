import type { IpPermission, SecurityGroup } from "@aws-sdk/client-ec2";

/**
 * What VPC security groups do to traffic that reaches a task's ENI, as iptables rules (pure; `sg-firewall.ts`
 * applies them). The AWS rules modelled, from the VPC user guide:
 * - "Security groups are stateful": the answer to an admitted connection (and to one the task opened) passes
 *   whatever the inbound rules say (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html);
 * - rules are allow rules only, and a group without inbound rules admits nothing: "When you first create a
 *   security group, it has no inbound rules. Therefore, no inbound traffic is allowed" (same page);
 * - an ENI with several groups admits what any of their rules admits: "the rules from each security group are
 *   effectively aggregated to create one set of rules" (same page);
 * - a rule whose source is a security group admits the ENIs associated with that group, "based on the private IP
 *   addresses of the network interfaces that are associated with the source security group (and not the public IP
 *   or Elastic IP addresses)" (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html);
 * - a CIDR source admits the addresses in it; protocol `-1` is every protocol; TCP and UDP rules give a port
 *   range, ICMP rules a type and code, `-1` meaning all (same page; EC2 API IpPermission);
 * - traffic no rule admits is dropped, not refused: a client sees a connection timeout ("Error connecting to your
 *   instance: Connection timed out" → check the security group's inbound rules,
 *   https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/TroubleshootingInstancesConnecting.html).
 * Not modelled: egress rules (every task may send anywhere, the default group's and a new group's outbound rule),
 * prefix-list and IPv6 sources (the task network has IPv4 only), network ACLs.
 */

/** One inbound rule, reduced to what decides admission. */
export interface IngressRule {
  /** `-1` (all), `tcp`, `udp`, `icmp` or a protocol number. */
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidrs: readonly string[];
  /** Source security groups (UserIdGroupPairs). */
  readonly groups: readonly string[];
}

/** A task's ENI as the firewall sees it: its private IP and its security groups. */
export interface Member {
  readonly ip: string;
  readonly groups: readonly string[];
}

/** The inbound rules of each group (DescribeSecurityGroups' IpPermissions), by group id. */
export function ingressOf(groups: readonly SecurityGroup[]): Map<string, IngressRule[]> {
  return new Map(groups.map((g) => [g.GroupId ?? "", (g.IpPermissions ?? []).map(ruleOf)]));
}

function ruleOf(p: IpPermission): IngressRule {
  return {
    protocol: String(p.IpProtocol ?? "-1").toLowerCase(),
    fromPort: p.FromPort,
    toPort: p.ToPort,
    cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp ?? "").filter(Boolean),
    groups: (p.UserIdGroupPairs ?? []).map((r) => r.GroupId ?? "").filter(Boolean),
  };
}

/** iptables match arguments of a rule's protocol and ports. */
export function protocolMatch(rule: Pick<IngressRule, "protocol" | "fromPort" | "toPort">): string[] {
  const p = { "6": "tcp", "17": "udp", "1": "icmp" }[rule.protocol] ?? rule.protocol;
  if (p === "-1" || p === "all") return [];
  const from = rule.fromPort ?? -1;
  const to = rule.toPort ?? -1;
  if (p === "tcp" || p === "udp") {
    if (from < 0 || (from === 0 && to === 65535)) return ["-p", p];
    return ["-p", p, "--dport", from === to ? String(from) : `${from}:${to}`];
  }
  if (p === "icmp")
    return from < 0 ? ["-p", "icmp"] : ["-p", "icmp", "--icmp-type", to < 0 ? String(from) : `${from}/${to}`];
  return ["-p", p];
}

/**
 * The rules of the emulator's chain, in `iptables-restore` form (`-A CHAIN ...`). The chain is entered only for
 * packets to the task network's subnet (from other tasks through FORWARD, from this machine through OUTPUT):
 * the host's own address there passes; packets of known connections pass (stateful); a packet opening a
 * connection to a task passes only if a rule of one of its groups admits its source; everything else is dropped,
 * also addresses of tasks whose rules are not yet written (a task is reachable only once its groups apply).
 * Passing is `RETURN`, so Docker's own chains still decide after this one.
 */
export function chainRules(
  chain: string,
  gateway: string,
  members: readonly Member[],
  ingress: ReadonlyMap<string, readonly IngressRule[]>,
): string[] {
  const lines = [
    `-A ${chain} -d ${gateway}/32 -j RETURN`,
    `-A ${chain} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`,
  ];
  for (const target of members) {
    for (const group of target.groups) {
      for (const rule of ingress.get(group) ?? []) {
        const fromGroups = members
          .filter((m) => m.ip !== target.ip && m.groups.some((g) => rule.groups.includes(g)))
          .map((m) => `${m.ip}/32`);
        const sources = [...new Set([...rule.cidrs, ...fromGroups])];
        const match = protocolMatch(rule).join(" ");
        for (const source of sources)
          lines.push(`-A ${chain} -s ${source} -d ${target.ip}/32${match ? ` ${match}` : ""} -j RETURN`);
      }
    }
  }
  lines.push(`-A ${chain} -j DROP`);
  return [...new Set(lines)];
}
