import { createBackend } from "@dask-fargate-action/core/backend";
import { jsonForTerminal } from "@dask-fargate-action/core/text";
import { parseDurationSeconds } from "@dask-fargate-action/core/validate";
import { backendOf, backendSettingsOf } from "../options.js";
import type { Command } from "./command.js";

/** `reap`: remove this tool's clusters whose expires-at passed (or older than --older-than); --dry-run lists them. */
export const reap: Command = async ({ flags, logger, signal, print }) => {
  const backend = createBackend(backendOf(flags), backendSettingsOf(flags));
  const result = await backend.reap({
    logger,
    signal,
    dryRun: flags["dry-run"],
    repository: flags.repository,
    ...(flags["older-than"] ? { olderThanSeconds: parseDurationSeconds(flags["older-than"], "older-than") } : {}),
  });
  print(
    flags.json
      ? jsonForTerminal({ ...result, dryRun: flags["dry-run"] })
      : `${flags["dry-run"] ? "would reap" : "reaped"}: ${result.reaped.join(", ") || "none"}; kept: ${result.kept.join(", ") || "none"}`,
  );
  return 0;
};
