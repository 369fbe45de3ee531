import Docker from "dockerode";
import type { MemberLog } from "../cluster.js";
import { LABEL } from "../internal/labels.js";
import { lastLines } from "./members.js";

/** The last `tail` output lines of every container of a cluster (scheduler, workers, running jobs). */
export async function dockerClusterLogs(
  clusterId: string,
  options: { docker?: Docker; tail?: number; schedulerOnly?: boolean } = {},
): Promise<MemberLog[]> {
  const docker = options.docker ?? new Docker();
  const labels = [`${LABEL.clusterId}=${clusterId}`, ...(options.schedulerOnly ? [`${LABEL.role}=scheduler`] : [])];
  const containers = await docker.listContainers({ all: true, filters: { label: labels } });
  const logs = await Promise.all(
    containers.map(async (c) => ({
      member: c.Names[0]?.replace(/^\//, "") ?? c.Id,
      lines: await lastLines(docker.getContainer(c.Id), options.tail ?? 50),
    })),
  );
  return logs.sort((a, b) => (a.member < b.member ? -1 : 1));
}
