import type { Logger } from "@dask-fargate-action/core/backend";
import type { Flags } from "../flags.js";

/** What every command is called with: parsed flags, a logger on stderr, a cancellation signal, and stdout for results. */
export interface CommandArgs {
  readonly flags: Flags;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Writes a result line (or the JSON document with --json) to stdout. */
  readonly print: (text: string) => void;
}

/** A command returns its exit code. */
export type Command = (args: CommandArgs) => Promise<number>;
