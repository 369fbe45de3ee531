/** The phases of a step as a cancellation names them: the run's (the job summary times them) and `reap`. */
export type StepPhase = "image" | "up" | "job" | "down" | "reap";

/** Where a step was when it was cancelled, and by which signal. */
export interface Cancelled {
  readonly signal: string;
  /** "during the job phase", "after the image phase", "before the first phase". */
  readonly where: string;
  /** The phase that was running or had just ended; undefined before the first one. */
  readonly phase: string | undefined;
  /** Whether that phase had ended. */
  readonly ended: boolean;
}

/**
 * SIGINT/SIGTERM (a cancelled workflow run) for one step: the AbortSignal the running operation watches, and
 * the step's current phase, so the warning at the signal and the step's final message say where the run was
 * and why it stopped ("cancelled during the job phase by SIGTERM"). Imports nothing: main creates it before
 * the command's modules are loaded.
 */
export class Cancellation {
  private readonly controller = new AbortController();
  private current: { readonly phase: string; ended: boolean } | undefined;
  private at: Cancelled | undefined;

  /** Aborted by the first signal; its reason is an Error named after the signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** What the first signal interrupted; undefined while no signal came. */
  get cancelled(): Cancelled | undefined {
    return this.at;
  }

  /** Marks the start of a phase (a later signal names it) and returns a function that marks its end. */
  enter(phase: StepPhase | string): () => void {
    const entered = { phase, ended: false };
    this.current = entered;
    return () => {
      entered.ended = true;
    };
  }

  /** Runs `work` as `phase`. */
  async phase<T>(phase: StepPhase | string, work: () => Promise<T>): Promise<T> {
    const leave = this.enter(phase);
    try {
      return await work();
    } finally {
      leave();
    }
  }

  /** Records the first signal and aborts; returns what was interrupted, or undefined for a later signal. */
  cancel(signal: string): Cancelled | undefined {
    if (this.at) return undefined;
    const where = this.current
      ? `${this.current.ended ? "after" : "during"} the ${this.current.phase} phase`
      : "before the first phase";
    this.at = { signal, where, phase: this.current?.phase, ended: this.current?.ended ?? false };
    this.controller.abort(new Error(`cancelled ${where} by ${signal}`));
    return this.at;
  }
}

/**
 * What the step does after a signal, for the warning printed at once: the phase that was running is stopped
 * where it can be (the start and the job take the abort signal; an image build and a teardown do not).
 */
export function afterSignal(cancelled: Cancelled, command: string | undefined): string {
  const { phase, ended } = cancelled;
  if (phase === undefined) return "nothing is started";
  if (ended)
    return phase === "down"
      ? "nothing is left to stop"
      : phase === "image"
        ? "nothing more is started"
        : "removing the cluster";
  switch (phase) {
    case "image":
      return command === "build"
        ? "the image build is not interrupted: it goes on to its end"
        : "the image build is not interrupted; nothing is started after it";
    case "up":
      return "stopping the start and removing what it created";
    case "job":
      return "stopping the job and removing the cluster";
    case "down":
      return "the teardown is not interrupted: it goes on to its end";
    default:
      return `the ${phase} phase is not interrupted: it goes on to its end`;
  }
}

/** What became of the cluster's teardown in a run (the pipeline's `RunResult.teardown`, in its shape). */
export type TeardownOutcome =
  | { readonly state: "not needed" | "done" }
  | { readonly state: "failed"; readonly error: unknown };

/**
 * What a cancelled run did, for its failure message and summary, from its teardown (after a signal during the
 * teardown, with the teardown's own failure).
 */
export function cancelledOutcome(cancelled: Cancelled, teardown: TeardownOutcome): string {
  const head = `cancelled ${cancelled.where} by ${cancelled.signal}`;
  if (teardown.state === "failed") {
    const why =
      cancelled.phase === "down" && teardown.error !== undefined
        ? `: ${teardown.error instanceof Error ? teardown.error.message : String(teardown.error)}`
        : "";
    return `${head}; the teardown failed${why}; the post step tries again`;
  }
  if (cancelled.phase === "down") return `${head}: the teardown went on to its end`;
  if (teardown.state === "not needed") return `${head}: no cluster was created`;
  return `${head}: ${cancelled.phase === "job" && !cancelled.ended ? "the job was stopped and the cluster removed" : "the cluster was removed"}`;
}
