import type { IpPermission } from "@aws-sdk/client-ec2";
import { describe, expect, test } from "vitest";
import {
  cidrHolds,
  type SecurityGroupFacts,
  securityGroupFindings,
} from "../src/fargate/preflight/preflight-security-groups.js";

// The security group rule alone (a user's own groups must let the cluster's tasks reach each other on TCP).
// On the emulator, which enforces the groups on real containers: fargate-security-groups-emulator.itest.ts.

const facts = (groups: Record<string, IpPermission[]>, requested = Object.keys(groups)): SecurityGroupFacts => ({
  region: "us-east-1",
  requested,
  groups: Object.entries(groups).map(([id, ingress]) => ({ id, ingress })),
  subnetCidrs: ["10.0.1.0/24", "10.0.2.0/24"],
});
const self = (id: string, from = 0, to = 65535): IpPermission => ({
  IpProtocol: "tcp",
  FromPort: from,
  ToPort: to,
  UserIdGroupPairs: [{ GroupId: id }],
});

describe("security group rule", () => {
  test.each([
    ["the self rule on all TCP", { "sg-a": [self("sg-a")] }],
    [
      "all traffic (-1) from itself, as AWS's default group",
      { "sg-a": [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: "sg-a" }] }] },
    ],
    ["a rule naming the other given group (every task has both)", { "sg-a": [self("sg-b")], "sg-b": [] }],
    [
      "a CIDR that holds every subnet",
      { "sg-a": [{ IpProtocol: "tcp", FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }] },
    ],
    ["ranges that add up to 1024-65535", { "sg-a": [self("sg-a", 1024, 9000)], "sg-b": [self("sg-a", 8000, 65535)] }],
  ])("%s is ok", (_name, groups) => {
    expect(securityGroupFindings(facts(groups)).map((f) => f.status)).toEqual(["ok"]);
  });

  test("a group without the self rule is refused, naming the group, the missing rule, the ports and the command that adds it", () => {
    const client = { IpProtocol: "tcp", FromPort: 8786, ToPort: 8786, IpRanges: [{ CidrIp: "203.0.113.7/32" }] };
    expect(securityGroupFindings(facts({ "sg-0team": [client] }))).toEqual([
      {
        check: "security-groups",
        status: "refused",
        message:
          "security group sg-0team lacks the rule the cluster's tasks need to reach each other: all TCP (0-65535) from sg-0team itself (the self rule) (not admitted now: TCP 1024-65535; the workers and the job connect to the scheduler on 8786 and to the workers on ports chosen when they start)",
        fix: "aws ec2 authorize-security-group-ingress --region us-east-1 --group-id sg-0team --protocol tcp --port 0-65535 --source-group sg-0team, or leave security-groups unset so the cluster gets its own group",
      },
    ]);
  });

  test("a self rule on the scheduler port only leaves the workers' ports unadmitted", () => {
    expect(securityGroupFindings(facts({ "sg-a": [self("sg-a", 8786, 8786)] }))[0]?.message).toContain(
      "not admitted now: TCP 1024-8785, 8787-65535",
    );
  });

  test("a CIDR that holds one subnet only, or UDP from itself, does not count", () => {
    const oneSubnet = { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: "10.0.1.0/24" }] };
    expect(securityGroupFindings(facts({ "sg-a": [oneSubnet] }))[0]?.status).toBe("refused");
    expect(
      securityGroupFindings(
        facts({ "sg-a": [{ IpProtocol: "udp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: "sg-a" }] }] }),
      )[0]?.status,
    ).toBe("refused");
  });

  test("a prefix list it cannot read makes it a note, not a refusal", () => {
    const listed = { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, PrefixListIds: [{ PrefixListId: "pl-1" }] };
    expect(securityGroupFindings(facts({ "sg-a": [listed] }))[0]?.status).toBe("note");
  });

  test("a group that does not exist is refused", () => {
    expect(securityGroupFindings(facts({ "sg-a": [self("sg-a")] }, ["sg-a", "sg-gone"]))[0]).toMatchObject({
      status: "refused",
      message: "security group sg-gone does not exist in us-east-1",
    });
  });

  test("cidrHolds", () => {
    expect(cidrHolds("10.0.0.0/16", "10.0.1.0/24")).toBe(true);
    expect(cidrHolds("0.0.0.0/0", "172.31.0.0/20")).toBe(true);
    expect(cidrHolds("10.0.1.0/24", "10.0.0.0/16")).toBe(false);
    expect(cidrHolds("10.1.0.0/16", "10.0.1.0/24")).toBe(false);
  });
});
