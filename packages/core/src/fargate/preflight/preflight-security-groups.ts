import { DescribeSecurityGroupsCommand, type EC2Client, type IpPermission } from "@aws-sdk/client-ec2";
import { SCHEDULER_PORT } from "../../internal/dask-commands.js";
import { awsErrorName } from "../aws-clients.js";
import type { PreflightFinding } from "./preflight-finding.js";

/**
 * The rule for a user's own security groups when TLS is off: a Dask scheduler without TLS runs any client's code
 * with the task role's credentials, so, as for the managed group (which then admits only itself), no ingress
 * rule of the given groups may open the scheduler port to anything but the given groups themselves: no CIDR
 * (IPv4 or IPv6), no prefix list, no other group. A rule opens the port when its protocol is all (`-1`) or TCP
 * with the port inside its range ("Security group rules",
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html). With TLS on the groups are the
 * user's to shape: every member and client then needs the cluster's certificate.
 */

/** The given groups' ingress rules, as DescribeSecurityGroups answers them; `missing` when a group was not found. */
export interface SecurityGroupFacts {
  readonly requested: readonly string[];
  readonly groups: readonly { readonly id: string; readonly ingress: readonly IpPermission[] }[];
  readonly missing: boolean;
}

/** Reads the given groups' rules (one read-only call). */
export async function readSecurityGroups(ec2: Pick<EC2Client, "send">, requested: readonly string[]): Promise<SecurityGroupFacts> {
  try {
    const answer = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...requested] }));
    const groups = (answer.SecurityGroups ?? []).map((g) => ({ id: g.GroupId ?? "", ingress: g.IpPermissions ?? [] }));
    return { requested, groups, missing: requested.some((id) => !groups.some((g) => g.id === id)) };
  } catch (error) {
    // DescribeSecurityGroups with an id that does not exist fails as a whole (InvalidGroup.NotFound).
    if (awsErrorName(error) === "InvalidGroup.NotFound" || awsErrorName(error) === "InvalidGroupId.Malformed") return { requested, groups: [], missing: true };
    throw error;
  }
}

const opensScheduler = (rule: IpPermission) =>
  rule.IpProtocol === "-1" ||
  ((rule.IpProtocol === "tcp" || rule.IpProtocol === "6") && (rule.FromPort ?? 0) <= SCHEDULER_PORT && SCHEDULER_PORT <= (rule.ToPort ?? 65535));

/** Every source outside the given groups that a rule admits to the scheduler port. Pure. */
export function outsideSources(rule: IpPermission, own: ReadonlySet<string>): string[] {
  if (!opensScheduler(rule)) return [];
  return [
    ...(rule.IpRanges ?? []).map((r) => r.CidrIp ?? ""),
    ...(rule.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ""),
    ...(rule.PrefixListIds ?? []).map((p) => p.PrefixListId ?? ""),
    ...(rule.UserIdGroupPairs ?? []).filter((p) => !own.has(p.GroupId ?? "")).map((p) => p.GroupId ?? "another group"),
  ].filter(Boolean);
}

/** Applies the rule to what {@link readSecurityGroups} read. Pure. */
export function securityGroupFindings(facts: SecurityGroupFacts): PreflightFinding[] {
  const given = facts.requested.join(", ");
  if (facts.missing)
    return [
      {
        check: "security-groups",
        status: "refused",
        message: `not all of the security groups ${given} exist in the region, so their rules cannot be checked for TLS off`,
        fix: "check the security-groups ids and the region (aws ec2 describe-security-groups)",
      },
    ];
  const own = new Set(facts.requested);
  const open = facts.groups.flatMap((g) =>
    g.ingress.flatMap((rule) =>
      outsideSources(rule, own).map((source) => `${g.id} admits ${source} on ${rule.IpProtocol === "-1" ? "all ports" : `${rule.FromPort}-${rule.ToPort}`}`),
    ),
  );
  if (open.length === 0) return [{ check: "security-groups", status: "ok", message: `TLS is off and ${given} admit the scheduler port only from themselves` }];
  return [
    {
      check: "security-groups",
      status: "refused",
      message: `TLS is off while the given security groups open the scheduler port ${SCHEDULER_PORT} beyond themselves (${open.join("; ")}): any client there could run code with the cluster's task role`,
      fix: `turn TLS on (the default), or remove those ingress rules so that ${given} admit port ${SCHEDULER_PORT} only from themselves, or leave security-groups unset (the managed group admits only itself)`,
    },
  ];
}
