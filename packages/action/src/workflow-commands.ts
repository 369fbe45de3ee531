import { randomUUID } from "node:crypto";
import { neutralizeUntrustedText } from "@dask-fargate-action/core/text";

/**
 * Makes text from a user-controlled source (build output, job and container logs, remote error messages)
 * safe to echo into the Actions log: `##[` and line-start `::` broken by a zero-width space, terminal control
 * characters written as `\u001b`-style escapes. The same function as the CLI's (core's untrusted-text.ts), so
 * the two front ends cannot drift.
 */
export function neutralizeCommands(text: string): string {
  return neutralizeUntrustedText(text);
}

/**
 * A window in which the runner processes no workflow command: opened with `::stop-commands::<token>` at
 * the first line and closed with `::<token>::`, with a fresh random token each time, so nothing echoed
 * inside can guess how to resume commands. Each line is also neutralised, in case a window is not honoured.
 */
export class StopCommandsWindow {
  /** The windows open now, so that a message of ours arriving at any moment (a signal's warning) can close them first. */
  private static readonly open = new Set<StopCommandsWindow>();
  private token: string | undefined;

  /** Closes every open window (each reopens with a fresh token at its next line), so that what follows is acted on. */
  static closeAll(): void {
    for (const window of [...StopCommandsWindow.open]) window.close();
  }

  constructor(
    private readonly write: (line: string) => void,
    private readonly newToken: () => string = randomUUID,
  ) {}

  /** Writes one line of untrusted text inside the window (opening it if needed); returns the line as written. */
  line(text: string): string {
    if (this.token === undefined) {
      this.token = this.newToken();
      this.write(`::stop-commands::${this.token}`);
      StopCommandsWindow.open.add(this);
    }
    const safe = neutralizeCommands(text);
    this.write(safe);
    return safe;
  }

  /** Resumes workflow commands (before our own annotation, group end or output). */
  close(): void {
    if (this.token !== undefined) this.write(`::${this.token}::`);
    this.token = undefined;
    StopCommandsWindow.open.delete(this);
  }
}
