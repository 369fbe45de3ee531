import { DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { MemberLog } from "../cluster.js";
import { type AwsClients, awsErrorName } from "./aws-clients.js";
import { fargateNames } from "./fargate-names.js";

/** The last `tail` lines of every log stream of a cluster (one stream per task: `<role>/dask/<task id>`). */
export async function fargateClusterLogs(clients: AwsClients, clusterId: string, options: { tail?: number } = {}): Promise<MemberLog[]> {
  const logGroupName = fargateNames.logGroup(clusterId);
  const streams = await clients.logs.send(new DescribeLogStreamsCommand({ logGroupName })).catch((error: unknown) => {
    if (awsErrorName(error) === "ResourceNotFoundException") return { logStreams: [] };
    throw error;
  });
  const logs = await Promise.all(
    (streams.logStreams ?? []).map(async (stream) => {
      const events = await clients.logs.send(
        new GetLogEventsCommand({ logGroupName, logStreamName: stream.logStreamName, limit: options.tail ?? 50, startFromHead: false }),
      );
      return { member: stream.logStreamName ?? "?", lines: (events.events ?? []).map((e) => e.message ?? "") };
    }),
  );
  return logs.sort((a, b) => (a.member < b.member ? -1 : 1));
}
