import type { IpPermission } from "@aws-sdk/client-ec2";
import { SCHEDULER_PORT } from "../../internal/dask-commands.js";
import type { PreflightFinding } from "./preflight-finding.js";
import type { SecurityGroupFacts } from "./preflight-security-groups.js";

/**
 * The rule for a user's own security groups when TLS is off: a Dask scheduler without TLS runs any client's code
 * with the task role's credentials, so, as for the managed group (which then admits only itself), no ingress
 * rule of the given groups may open the scheduler port to anything but the given groups themselves: no CIDR
 * (IPv4 or IPv6), no prefix list, no other group. A rule opens the port when its protocol is all (`-1`) or TCP
 * with the port inside its range ("Security group rules",
 * https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html). With TLS on the groups are the
 * user's to shape: every member and client then needs the cluster's certificate.
 */

const opensScheduler = (rule: IpPermission) =>
  rule.IpProtocol === "-1" ||
  ((rule.IpProtocol === "tcp" || rule.IpProtocol === "6") &&
    (rule.FromPort ?? 0) <= SCHEDULER_PORT &&
    SCHEDULER_PORT <= (rule.ToPort ?? 65535));

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

/**
 * Applies the TLS-off rule to the groups {@link readSecurityGroups} read. Pure. Groups that do not exist are
 * refused by the self-rule check, which runs on the same facts.
 */
export function tlsOffGroupFindings(facts: SecurityGroupFacts): PreflightFinding[] {
  const given = facts.requested.join(", ");
  if (facts.requested.some((id) => !facts.groups.some((g) => g.id === id))) return [];
  const own = new Set(facts.requested);
  const open = facts.groups.flatMap((g) =>
    g.ingress.flatMap((rule) =>
      outsideSources(rule, own).map(
        (source) =>
          `${g.id} admits ${source} on ${rule.IpProtocol === "-1" ? "all ports" : `${rule.FromPort}-${rule.ToPort}`}`,
      ),
    ),
  );
  if (open.length === 0)
    return [
      {
        check: "security-groups",
        status: "ok",
        message: `TLS is off and ${given} admit the scheduler port only from themselves`,
      },
    ];
  return [
    {
      check: "security-groups",
      status: "refused",
      message: `TLS is off while the given security groups open the scheduler port ${SCHEDULER_PORT} beyond themselves (${open.join("; ")}): any client there could run code with the cluster's task role`,
      fix: `turn TLS on (the default), or remove those ingress rules so that ${given} admit port ${SCHEDULER_PORT} only from themselves, or leave security-groups unset (the managed group admits only itself)`,
    },
  ];
}
