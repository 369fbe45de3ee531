import { randomUUID } from "node:crypto";

/**
 * Streams remote output (a job's log) into the Actions log without letting it issue workflow
 * commands: lines go between `::stop-commands::<token>` and `::<token>::`, with a token nobody can guess.
 * The last lines are kept for the job summary.
 */
export class JobLog {
  private readonly token = randomUUID();
  private readonly tail: string[] = [];
  private open = false;

  constructor(
    private readonly write: (line: string) => void,
    private readonly keep = 40,
  ) {}

  line(text: string): void {
    if (!this.open) {
      this.write(`::stop-commands::${this.token}`);
      this.open = true;
    }
    this.write(text);
    this.tail.push(text);
    if (this.tail.length > this.keep) this.tail.shift();
  }

  close(): void {
    if (this.open) this.write(`::${this.token}::`);
    this.open = false;
  }

  lastLines(): readonly string[] {
    return this.tail;
  }
}
