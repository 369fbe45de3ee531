import type { AdaptiveReport, WorkerReplacement } from "@dask-fargate-action/core/backend";
import type { OutputFile } from "./output-files.js";
import type { RunEnding, RunResult } from "./run-pipeline.js";
import type { StoppedMember } from "./stopped-members.js";

/**
 * A run's result as data: what the CLI prints with `--json` and the action sets as its `result` output, one
 * mapping for both so they cannot drift (the action's integration test compares the two for the same run).
 */
export interface RunReport {
  readonly clusterId: string;
  readonly image: string | null;
  readonly rebuilt: boolean | null;
  readonly workers: number | null;
  readonly ending: RunEnding;
  readonly exitCode: number | null;
  readonly message: string;
  readonly stoppedMembers: readonly StoppedMember[];
  readonly replacements: readonly WorkerReplacement[];
  readonly unreplaced: readonly string[];
  /** With adaptive workers (`workers: MIN-MAX`): the workers over the job and their worker-seconds. */
  readonly adaptive: AdaptiveReport | null;
  readonly outputDir: string | null;
  readonly outputs: readonly OutputFile[];
  readonly cost: { readonly usd: number; readonly text: string; readonly method: string } | null;
  readonly phasesMs: Readonly<Record<string, number>>;
  /** The file with the run's pictures (Mermaid charts) in the output directory, when it was written. */
  readonly picturesFile: string | null;
}

/** The {@link RunReport} of a run. */
export function runReport(result: RunResult): RunReport {
  return {
    clusterId: result.clusterId,
    image: result.image?.image ?? null,
    rebuilt: result.image?.rebuilt ?? null,
    workers: result.spec?.workers ?? null,
    ending: result.ending,
    exitCode: result.exitCode ?? null,
    message: result.message,
    stoppedMembers: result.stoppedMembers,
    replacements: result.replacements,
    unreplaced: result.unreplaced,
    adaptive: result.adaptive ?? null,
    outputDir: result.outputDir ?? null,
    outputs: result.outputs,
    cost: result.cost ?? null,
    phasesMs: result.phasesMs,
    picturesFile: result.picturesFile ?? null,
  };
}
