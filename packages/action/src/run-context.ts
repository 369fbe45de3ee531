import { createHash, randomBytes } from "node:crypto";

/** Where a run comes from, read from the runner's environment (GITHUB_*). */
export interface RunContext {
  readonly repository: string | undefined;
  readonly workflow: string | undefined;
  readonly job: string | undefined;
  readonly runId: string | undefined;
  readonly runAttempt: string | undefined;
}

/** Reads the run context from the environment the runner sets. */
export function runContextFrom(env: NodeJS.ProcessEnv): RunContext {
  return {
    repository: env["GITHUB_REPOSITORY"],
    workflow: env["GITHUB_WORKFLOW"],
    job: env["GITHUB_JOB"],
    runId: env["GITHUB_RUN_ID"],
    runAttempt: env["GITHUB_RUN_ATTEMPT"],
  };
}

/** AWS tag values allow letters, digits, spaces and `_.:/=+-@`; anything else becomes `_`. */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, "_").slice(0, 256);
}

/** Labels (Docker) / tags (AWS) that say where a cluster came from. */
export function runLabels(context: RunContext): Record<string, string> {
  const labels: Record<string, string> = {};
  if (context.repository) labels["github.repository"] = tagValue(context.repository);
  if (context.workflow) labels["github.workflow"] = tagValue(context.workflow);
  if (context.job) labels["github.job"] = tagValue(context.job);
  if (context.runId) labels["github.run-id"] = context.runId;
  if (context.runAttempt) labels["github.run-attempt"] = context.runAttempt;
  return labels;
}

/**
 * The default cluster id: `gh-<run id>-<attempt>-<6 hex of repository/workflow/job>`. The attempt is in it, so a
 * re-run of a workflow gets its own cluster and its own outputs prefix, never the earlier attempt's (whose post
 * step, or the reaper, removes that attempt's cluster). Outside Actions: `dfa-` and random hex.
 */
export function defaultClusterId(context: RunContext): string {
  if (!context.runId) return `dfa-${randomBytes(4).toString("hex")}`;
  const origin = createHash("sha256")
    .update(`${context.repository ?? ""}/${context.workflow ?? ""}/${context.job ?? ""}`)
    .digest("hex")
    .slice(0, 6);
  const attempt = /^\d{1,4}$/.test(context.runAttempt ?? "") ? `${context.runAttempt}-` : "";
  return `gh-${context.runId}-${attempt}${origin}`.toLowerCase().slice(0, 32);
}
