import { randomUUID } from "node:crypto";
import type { TaskRecord } from "./task-record.js";
import type { TaskStore } from "./task-store.js";

/** An EC2 query-API answer (XML). */
export interface Ec2Answer {
  readonly status: number;
  readonly body: string;
}

const NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** EC2's error shape (EC2 API reference, "Error codes"). */
export function ec2Error(status: number, code: string, message: string): Ec2Answer {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
  };
}

/** The values of a repeated query parameter: `Name.1`, `Name.2`, ... */
export function listParam(params: URLSearchParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.${i}`); i++) values.push(params.get(`${name}.${i}`) ?? "");
  return values;
}

/**
 * The EC2 calls that concern the tasks' ENIs: DescribeNetworkInterfaces for ENIs the emulator made (moto
 * does not know them), and DeleteSecurityGroup of a group those ENIs still use (DependencyViolation, as in
 * AWS while a task's ENI exists). Anything else, undefined: forwarded to moto.
 */
export function handleEc2(params: URLSearchParams, store: TaskStore): Ec2Answer | undefined {
  const action = params.get("Action");
  if (action === "DescribeNetworkInterfaces") {
    const ids = listParam(params, "NetworkInterfaceId");
    if (ids.length === 0) return undefined;
    const byEni = new Map<string, TaskRecord>();
    for (const task of store.all())
      if (task.attachment.networkInterfaceId) byEni.set(task.attachment.networkInterfaceId, task);
    if (!ids.every((id) => byEni.has(id))) return undefined;
    const gone = ids.filter((id) => byEni.get(id)?.attachment.status === "DELETED");
    // A stopped task's ENI is deleted (developer guide, "Fargate task networking").
    if (gone.length > 0)
      return ec2Error(400, "InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${gone[0]}' does not exist`);
    return { status: 200, body: describeNetworkInterfaces(ids.map((id) => byEni.get(id) as TaskRecord)) };
  }
  if (action === "DeleteSecurityGroup") {
    const group = params.get("GroupId");
    if (!group) return undefined;
    const user = store
      .all()
      .find(
        (t) => t.securityGroups.includes(group) && t.attachment.networkInterfaceId && t.attachment.status !== "DELETED",
      );
    // EC2 refuses to delete a group while a network interface uses it.
    if (user) return ec2Error(400, "DependencyViolation", `resource ${group} has a dependent object`);
  }
  return undefined;
}

/**
 * DescribeNetworkInterfaces XML for task ENIs. With assignPublicIp ENABLED, `association.publicIp` is the
 * task's own address on the emulator's network: reachable from this machine, as a public IP is from the internet.
 */
export function describeNetworkInterfaces(tasks: readonly TaskRecord[]): string {
  const items = tasks
    .map((t) => {
      const a = t.attachment;
      const ip = xml(a.privateIPv4Address ?? "");
      const association = t.assignPublicIp
        ? `<association><publicIp>${ip}</publicIp><publicDnsName></publicDnsName><ipOwnerId>amazon</ipOwnerId></association>`
        : "";
      const groups = t.securityGroups
        .map((g) => `<item><groupId>${xml(g)}</groupId><groupName>${xml(g)}</groupName></item>`)
        .join("");
      return [
        "<item>",
        `<networkInterfaceId>${xml(a.networkInterfaceId ?? "")}</networkInterfaceId>`,
        `<subnetId>${xml(a.subnetId)}</subnetId>`,
        `<vpcId>${xml(t.vpcId)}</vpcId>`,
        `<availabilityZone>${xml(t.availabilityZone)}</availabilityZone>`,
        `<description>arn:aws:ecs:${xml(t.region)}:${xml(t.taskArn.split(":")[4] ?? "")}:attachment/${xml(a.id)}</description>`,
        `<ownerId>${xml(t.taskArn.split(":")[4] ?? "")}</ownerId>`,
        "<requesterId>578734482556</requesterId><requesterManaged>true</requesterManaged>",
        `<status>${a.status === "ATTACHED" || a.status === "ATTACHING" ? "in-use" : "available"}</status>`,
        `<macAddress>${xml(a.macAddress ?? "")}</macAddress>`,
        `<privateIpAddress>${ip}</privateIpAddress>`,
        `<privateDnsName>${xml(a.privateDnsName ?? "")}</privateDnsName>`,
        "<sourceDestCheck>true</sourceDestCheck>",
        `<groupSet>${groups}</groupSet>`,
        association,
        "<tagSet/>",
        `<privateIpAddressesSet><item><privateIpAddress>${ip}</privateIpAddress><privateDnsName>${xml(a.privateDnsName ?? "")}</privateDnsName><primary>true</primary>${association}</item></privateIpAddressesSet>`,
        "<ipv6AddressesSet/>",
        "<interfaceType>interface</interfaceType>",
        "</item>",
      ].join("");
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeNetworkInterfacesResponse xmlns="${NS}"><requestId>${randomUUID()}</requestId><networkInterfaceSet>${items}</networkInterfaceSet></DescribeNetworkInterfacesResponse>`;
}
