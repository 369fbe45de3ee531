import { StopCommandsWindow } from "./workflow-commands.js";

/**
 * Streams remote output (a job's log) into the Actions log without letting it issue workflow commands
 * (inside a {@link StopCommandsWindow}, each line neutralised). The last lines are kept, as written, for
 * the job summary.
 */
export class JobLog {
  private readonly window: StopCommandsWindow;
  private readonly tail: string[] = [];

  constructor(
    write: (line: string) => void,
    private readonly keep = 40,
  ) {
    this.window = new StopCommandsWindow(write);
  }

  line(text: string): void {
    this.tail.push(this.window.line(text));
    if (this.tail.length > this.keep) this.tail.shift();
  }

  close(): void {
    this.window.close();
  }

  lastLines(): readonly string[] {
    return this.tail;
  }
}
