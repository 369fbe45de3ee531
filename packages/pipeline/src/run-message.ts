import { FARGATE_OUTPUTS_STAYED } from "./fargate-job-checks.js";
import { JOB_TIMEOUT_EXIT_CODE } from "./job-deadline.js";
import type { StoppedMember } from "./stopped-members.js";

/**
 * The phases of a run as its one-line message names them (the keys of `phasesMs`, plus `outputs`: on Fargate the
 * job task uploads its files to S3 when its command ends and the runner downloads them).
 */
export type RunPhase = "image" | "up" | "job" | "outputs" | "down";

/** How a run ended (see `RunResult.ending`). */
export type RunEnding = "up" | "succeeded" | "failed" | "outputs-failed" | "timed-out" | "interrupted" | "error";

/** What {@link runMessage} needs to know about a run. */
export interface RunMessageFacts {
  readonly ending: RunEnding;
  readonly exitCode: number | undefined;
  /** The phase the error or the interruption happened in. */
  readonly phase: RunPhase;
  readonly timeoutSeconds?: number | undefined;
  /** The job task's stop code and reason when it failed (e.g. OutOfMemoryError). */
  readonly jobReason?: string | undefined;
  readonly stoppedMembers: readonly StoppedMember[];
  /** How many lost workers were replaced during the job, and those the limit left out. */
  readonly replaced?: number | undefined;
  readonly unreplaced?: readonly string[] | undefined;
  /** Why not every output file came back (upload or download), when so. */
  readonly outputsProblem?: string | undefined;
  /** A Fargate job without output-uri: its files (if any) stayed in the cluster. */
  readonly outputsStayed?: boolean;
  readonly error?: unknown;
}

/** `"<phase> phase: "`, the prefix every failure message starts with (or, for the job's own exit, ends its first clause with). */
export const phasePrefix = (phase: RunPhase): string => `${phase} phase: `;

/**
 * Prefixes an error's message with the phase it happened in, once, keeping the error itself (its class, fields and
 * cause): the CLI and the action print the error they are handed, so the phase must be in its message.
 */
export function namePhase(error: unknown, phase: RunPhase): unknown {
  if (error instanceof Error && !error.message.startsWith(phasePrefix(phase)))
    error.message = `${phasePrefix(phase)}${error.message}`;
  return error;
}

/** The run's outcome in one line: what happened, in which phase, and why (the limit, the stopped member, the error). */
export function runMessage(facts: RunMessageFacts): string {
  const { stoppedMembers: stopped, outputsProblem } = facts;
  const replaced = facts.replaced ? `; ${facts.replaced} lost worker(s) replaced` : "";
  const unreplaced = facts.unreplaced?.length
    ? `; not replaced (max-worker-replacements used up): ${facts.unreplaced.join(", ")}`
    : "";
  const members =
    stopped.length > 0
      ? `; ${phasePrefix("job")}stopped while the job ran: ${stopped.map((m) => `${m.member} (${m.reason ?? `exit ${m.exitCode}`})`).join(", ")}${replaced}${unreplaced}`
      : "";
  const outputs = outputsProblem
    ? `; ${phasePrefix("outputs")}${outputsProblem}`
    : facts.outputsStayed
      ? `; ${FARGATE_OUTPUTS_STAYED}`
      : "";
  switch (facts.ending) {
    case "up":
      return "the cluster is up";
    case "succeeded":
      return `the job succeeded (exit code 0)${members}${outputs}`;
    case "outputs-failed":
      // The job succeeded but its files did not all come back: that is the part that went wrong, and it fails the run.
      return `${phasePrefix("outputs")}${outputsProblem ?? "not every output file came back"}; the job itself succeeded (exit code 0), the run exits ${facts.exitCode}${members}`;
    case "failed":
      return `the job exited with code ${facts.exitCode} in the job phase${facts.jobReason ? ` (${facts.jobReason})` : ""}${members}${outputs}`;
    case "timed-out":
      return `the job ran longer than job-timeout (${facts.timeoutSeconds} s): it was stopped and the cluster removed; exit code ${JOB_TIMEOUT_EXIT_CODE}${members}${outputs}`;
    case "interrupted": {
      const what =
        facts.phase === "image"
          ? "nothing was created"
          : facts.phase === "job" || facts.phase === "outputs"
            ? "the job was stopped and the cluster removed"
            : "the cluster was removed";
      return `interrupted in the ${facts.phase} phase: ${what}`;
    }
    case "error": {
      const message = facts.error instanceof Error ? facts.error.message : String(facts.error);
      return message.startsWith(phasePrefix(facts.phase)) ? message : `${phasePrefix(facts.phase)}${message}`;
    }
  }
}
