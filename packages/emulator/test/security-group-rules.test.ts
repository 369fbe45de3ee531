import { describe, expect, test } from "vitest";
import { chainRules, ingressOf, protocolMatch } from "../src/security-group-rules.js";
import { removeChain, SecurityGroupFirewall } from "../src/sg-firewall.js";

const C = "DFA-EMU-test";
const GW = "10.200.0.1";

describe("chainRules", () => {
  test("a group's self rule admits every member from every other member on all TCP ports; no rule admits anyone else", () => {
    const ingress = ingressOf([
      {
        GroupId: "sg-a",
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [{ GroupId: "sg-a" }] }],
      },
    ]);
    const rules = chainRules(
      C,
      GW,
      [
        { ip: "10.200.0.2", groups: ["sg-a"] },
        { ip: "10.200.0.3", groups: ["sg-a"] },
      ],
      ingress,
    );
    expect(rules).toEqual([
      `-A ${C} -d ${GW}/32 -j RETURN`,
      `-A ${C} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`,
      `-A ${C} -s 10.200.0.3/32 -d 10.200.0.2/32 -p tcp -j RETURN`,
      `-A ${C} -s 10.200.0.2/32 -d 10.200.0.3/32 -p tcp -j RETURN`,
      `-A ${C} -j DROP`,
    ]);
  });

  test("a group without the self rule admits only its CIDRs, on the rule's ports; a member of another group is admitted by its group", () => {
    const ingress = ingressOf([
      {
        GroupId: "sg-open",
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8786, ToPort: 8787, IpRanges: [{ CidrIp: "203.0.113.0/24" }] }],
      },
      { GroupId: "sg-client", IpPermissions: [] },
      {
        GroupId: "sg-from-client",
        IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: "sg-client" }] }],
      },
    ]);
    const rules = chainRules(
      C,
      GW,
      [
        { ip: "10.200.0.2", groups: ["sg-open", "sg-from-client"] },
        { ip: "10.200.0.3", groups: ["sg-open"] },
        { ip: "10.200.0.4", groups: ["sg-client"] },
      ],
      ingress,
    );
    expect(rules.slice(2)).toEqual([
      `-A ${C} -s 203.0.113.0/24 -d 10.200.0.2/32 -p tcp --dport 8786:8787 -j RETURN`,
      `-A ${C} -s 10.200.0.4/32 -d 10.200.0.2/32 -j RETURN`,
      `-A ${C} -s 203.0.113.0/24 -d 10.200.0.3/32 -p tcp --dport 8786:8787 -j RETURN`,
      `-A ${C} -j DROP`,
    ]);
  });

  test("without members every new connection into the subnet is dropped (a task is reachable only once its groups apply)", () => {
    expect(chainRules(C, GW, [], new Map())).toEqual([
      `-A ${C} -d ${GW}/32 -j RETURN`,
      `-A ${C} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`,
      `-A ${C} -j DROP`,
    ]);
  });
});

describe("protocolMatch", () => {
  test("protocols, port ranges and ICMP type/code as the EC2 API's IpPermission gives them", () => {
    expect(protocolMatch({ protocol: "-1", fromPort: undefined, toPort: undefined })).toEqual([]);
    expect(protocolMatch({ protocol: "tcp", fromPort: 8786, toPort: 8786 })).toEqual(["-p", "tcp", "--dport", "8786"]);
    expect(protocolMatch({ protocol: "6", fromPort: 1, toPort: 1024 })).toEqual(["-p", "tcp", "--dport", "1:1024"]);
    expect(protocolMatch({ protocol: "udp", fromPort: -1, toPort: -1 })).toEqual(["-p", "udp"]);
    expect(protocolMatch({ protocol: "icmp", fromPort: -1, toPort: -1 })).toEqual(["-p", "icmp"]);
    expect(protocolMatch({ protocol: "icmp", fromPort: 8, toPort: -1 })).toEqual(["-p", "icmp", "--icmp-type", "8"]);
    expect(protocolMatch({ protocol: "icmp", fromPort: 3, toPort: 4 })).toEqual(["-p", "icmp", "--icmp-type", "3/4"]);
    expect(protocolMatch({ protocol: "50", fromPort: undefined, toPort: undefined })).toEqual(["-p", "50"]);
  });
});

describe("SecurityGroupFirewall with a recording iptables", () => {
  test("installs the chain before the jumps, scoped to the subnet; rewrites only on change; removal deletes the jumps then the chain", async () => {
    const calls: string[] = [];
    let listing = "";
    const iptables = async (command: string, args: readonly string[], input?: string) => {
      calls.push(`${command} ${args.join(" ")}${input ? ` <<${input}` : ""}`);
      return command === "iptables" && args[0] === "-S" ? listing : "";
    };
    const members = [{ ip: "10.200.0.2", groups: ["sg-a"], region: "us-east-1", vpcId: "vpc-1" }];
    let reads = 0;
    const firewall = new SecurityGroupFirewall({
      instanceId: "test",
      subnet: "10.200.0.0/22",
      gateway: GW,
      members: () => members,
      readGroups: async () => {
        reads++;
        return [
          {
            GroupId: "sg-a",
            IpPermissions: [
              { IpProtocol: "tcp", FromPort: 8786, ToPort: 8786, IpRanges: [{ CidrIp: "192.0.2.0/24" }] },
            ],
          },
        ];
      },
      iptables,
      pollMs: 60_000,
    });
    listing = "-N DOCKER-USER";
    await firewall.install();
    expect(calls[0]).toMatch(/^iptables-restore --noflush <<\*filter\n:DFA-EMU-test - \[0:0\]\n/);
    expect(calls.slice(2)).toEqual([
      "iptables -I DOCKER-USER 1 -d 10.200.0.0/22 -j DFA-EMU-test",
      "iptables -I OUTPUT 1 -d 10.200.0.0/22 -j DFA-EMU-test",
    ]);
    await firewall.refresh();
    await firewall.refresh();
    expect(reads).toBe(2);
    const writes = calls.filter((c) => c.startsWith("iptables-restore"));
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain("-A DFA-EMU-test -s 192.0.2.0/24 -d 10.200.0.2/32 -p tcp --dport 8786 -j RETURN");
    calls.length = 0;
    listing = [
      "-N DFA-EMU-test",
      "-A DOCKER-USER -d 10.200.0.0/22 -j DFA-EMU-test",
      "-A OUTPUT -d 10.200.0.0/22 -j DFA-EMU-test",
      "-A DFA-EMU-test -j DROP",
    ].join("\n");
    await firewall.remove();
    expect(calls).toEqual([
      "iptables -S",
      "iptables -D DOCKER-USER -d 10.200.0.0/22 -j DFA-EMU-test",
      "iptables -D OUTPUT -d 10.200.0.0/22 -j DFA-EMU-test",
      "iptables -F DFA-EMU-test",
      "iptables -X DFA-EMU-test",
    ]);
    // Nothing to remove: no call beyond the listing.
    calls.length = 0;
    listing = "-N DOCKER-USER";
    await removeChain("test", iptables);
    expect(calls).toEqual(["iptables -S"]);
  });
});
