import { DescribeSecurityGroupsCommand, type EC2Client, type SecurityGroup } from "@aws-sdk/client-ec2";

/**
 * The security groups the firewall needs, from moto: by ids (a group deleted meanwhile is left out), or the VPC's
 * `default` group for a task that named none.
 */
export async function readGroups(
  ec2: EC2Client,
  query: { ids: readonly string[] } | { defaultOf: string },
): Promise<SecurityGroup[]> {
  if ("defaultOf" in query) {
    const answer = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [query.defaultOf] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );
    return answer.SecurityGroups ?? [];
  }
  // A filter, not GroupIds: a missing id is absent from the answer instead of failing the whole call.
  const answer = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: [...query.ids] }] }),
  );
  return answer.SecurityGroups ?? [];
}
