import type { Logger } from "@dask-fargate-action/core/backend";
import { neutralizeUntrustedText } from "@dask-fargate-action/core/text";
import ora, { type Ora } from "ora";

/** A logger for the command line that can also print results and must be closed. */
export interface TerminalLogger extends Logger {
  /** Writes a result line to stdout. */
  print(text: string): void;
  /** Stops the spinner, if any. */
  done(): void;
}

/**
 * Progress and notices go to stderr, so stdout carries only results (and --json). On a terminal the
 * latest progress line is a spinner (ora), and finished steps stay as lines; otherwise (CI, pipes)
 * every line is printed plainly. DASK_FARGATE_DEBUG=1 adds the detailed lines. Every message and result
 * passes through core's neutralizeUntrustedText: job and container output, build output and remote errors
 * run no terminal control sequence and no workflow command (the CLI may run in a workflow's `run:` step).
 */
export function terminalLogger(
  stream: NodeJS.WriteStream = process.stderr,
  verbose = process.env["DASK_FARGATE_DEBUG"] === "1",
): TerminalLogger {
  const spinner: Ora | undefined = wantsSpinner(stream)
    ? ora({ stream, discardStdin: false, isEnabled: true })
    : undefined;
  const safe = neutralizeUntrustedText;
  const persist = (symbol: string, text: string) => {
    if (spinner?.isSpinning) spinner.stopAndPersist({ symbol, text: safe(text) });
    else stream.write(`${safe(text)}\n`);
  };
  return {
    info: (m) => {
      if (!spinner) return void stream.write(`${safe(m)}\n`);
      // The previous progress line stays; the new one spins until the next arrives.
      if (spinner.isSpinning) spinner.stopAndPersist({ symbol: "·" });
      spinner.start(safe(m));
    },
    warn: (m) => persist("!", `warning: ${m}`),
    debug: (m) => {
      if (verbose) persist(" ", `  ${m}`);
    },
    print: (text) => {
      if (spinner?.isSpinning) spinner.stopAndPersist({ symbol: "·" });
      process.stdout.write(`${safe(text)}\n`);
    },
    done: () => {
      if (spinner?.isSpinning) spinner.stopAndPersist({ symbol: "·" });
    },
  };
}

/**
 * A spinner only on an interactive terminal: a TTY of known width (some pseudo-terminals report 0
 * columns, where the spinner's line clearing loops), not TERM=dumb, and not under CI (CI logs keep
 * every frame). Everywhere else progress is printed as plain lines.
 */
export function wantsSpinner(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (stream.columns ?? 0) > 0 && env["TERM"] !== "dumb" && !("CI" in env);
}
