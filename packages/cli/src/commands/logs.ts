import { createBackend } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { ClusterConfigError } from "@dask-fargate-action/core/validate";
import { backendOf, backendSettingsOf } from "../options.js";
import { recordOrId, stateDirOf } from "../state-file.js";
import type { Command } from "./command.js";

/** `logs`: the last lines of every member of a cluster (containers on Docker, CloudWatch streams on Fargate). */
export const logs: Command = async ({ flags, print }) => {
  const dir = stateDirOf(flags["state-dir"]);
  const { clusterId, record } = await recordOrId(dir, flags["cluster-id"], "logs");
  const tail = flags.tail === undefined ? 50 : Number(flags.tail);
  if (!Number.isInteger(tail) || tail <= 0)
    throw new ClusterConfigError("tail", `"${flags.tail}" is not a positive whole number`);
  const backend = record
    ? createBackend(record.backend, record.settings)
    : createBackend(backendOf(flags), backendSettingsOf(flags));
  const members = await backend.logs(clusterId, { tail });
  if (flags.json) {
    print(jsonForTerminal(members));
  } else {
    for (const member of members) {
      print(`==> ${member.member} <==`);
      for (const line of member.lines) print(line);
    }
  }
  return 0;
};
