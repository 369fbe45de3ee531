import type { Logger } from "@dask-fargate-action/core";
import type { Flags } from "../options.js";

/** What every command gets: parsed flags, a logger on stderr, a cancellation signal, and stdout for results. */
export interface CommandContext {
  readonly flags: Flags;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Writes a result line (or the JSON document with --json) to stdout. */
  readonly print: (text: string) => void;
}

/** A command returns its exit code. */
export type Command = (context: CommandContext) => Promise<number>;
