import type { ClusterBackend, JobResult, Logger } from "@dask-fargate-action/core/backend";

/** A member that stopped while the job ran: its exit code, stop code and reason, and its last output lines. */
export interface StoppedMember {
  readonly member: string;
  readonly exitCode: number | undefined;
  readonly reason: string | undefined;
  readonly lastLines: readonly string[];
}

const TAIL = 20;

/**
 * Adds each stopped member's last log lines, read before the teardown removes them. A member is a container
 * name on Docker (`dfa-x-worker-1`) and `role task-id` on Fargate, whose log stream ends in the task id.
 */
export async function stoppedMembersWithLogs(
  backend: ClusterBackend,
  clusterId: string,
  stopped: JobResult["stoppedMembers"],
  logger: Logger,
): Promise<StoppedMember[]> {
  const logs = await backend.logs(clusterId, { tail: TAIL }).catch((error: unknown) => {
    logger.warn(`could not read the stopped members' logs: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  });
  return stopped.map((member) => {
    const id = member.member.split(" ").pop() ?? member.member;
    const log = logs.find((l) => l.member === member.member || l.member.endsWith(`/${id}`));
    return { member: member.member, exitCode: member.exitCode, reason: member.reason, lastLines: log?.lines ?? [] };
  });
}
