import { GetLogEventsCommand, type LogStream, paginateDescribeLogStreams } from "@aws-sdk/client-cloudwatch-logs";
import type { MemberLog } from "../cluster.js";
import { type AwsClients, awsErrorName } from "./aws-clients.js";
import { allItems } from "./aws-pages.js";
import { fargateNames } from "./fargate-names.js";
import { mapLimited } from "./retry.js";

/**
 * GetLogEvents calls in flight at once: CloudWatch Logs limits GetLogEvents per account and region ("CloudWatch
 * Logs quotas"), so a 500-worker cluster's streams are read a few at a time; the SDK retries a throttled call.
 */
const PARALLEL_READS = 10;

/** The last `tail` lines of every log stream of a cluster (one stream per task: `<role>/dask/<task id>`). */
export async function fargateClusterLogs(
  clients: AwsClients,
  clusterId: string,
  options: { tail?: number; schedulerOnly?: boolean } = {},
): Promise<MemberLog[]> {
  const logGroupName = fargateNames.logGroup(clusterId);
  const streams = await allStreams(clients, logGroupName, options.schedulerOnly ? "scheduler/" : undefined);
  const logs = await mapLimited(streams, PARALLEL_READS, async (stream) => {
    const events = await clients.logs.send(
      new GetLogEventsCommand({
        logGroupName,
        logStreamName: stream.logStreamName,
        limit: options.tail ?? 50,
        startFromHead: false,
      }),
    );
    return { member: stream.logStreamName ?? "?", lines: (events.events ?? []).map((e) => e.message ?? "") };
  });
  return logs.sort((a, b) => (a.member < b.member ? -1 : 1));
}

/** Every log stream of the group, page after page (DescribeLogStreams gives at most 50 a page); none without the group. */
async function allStreams(clients: AwsClients, logGroupName: string, prefix: string | undefined): Promise<LogStream[]> {
  return allItems(
    paginateDescribeLogStreams(
      { client: clients.logs },
      { logGroupName, ...(prefix ? { logStreamNamePrefix: prefix } : {}) },
    ),
    (page) => page.logStreams,
  ).catch((error: unknown) => {
    if (awsErrorName(error) === "ResourceNotFoundException") return [];
    throw error;
  });
}
