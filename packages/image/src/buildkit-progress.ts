import type { BuildkitTrace } from "./buildkit-trace.js";
import type { Logger } from "./logger.js";

/** Where a BuildKit build failed: the step's name, the builder's error and the step's last output lines. */
export interface BuildkitFailure {
  readonly step: string;
  readonly error: string;
  readonly tail: readonly string[];
}

/**
 * Turns BuildKit's trace messages into the lines the legacy builder's output gives today: each Dockerfile step
 * once when it starts (`[stage 2/3] RUN …`), `CACHED [stage 2/3] RUN …` for a step taken from the cache, the
 * step's output as debug lines, builder warnings as warnings. The builder's own bookkeeping (`[internal] …`,
 * context copy, export) goes to debug. Keeps the last `tailSize` output lines of every step, so a failure
 * names its step and shows what that step printed last.
 */
export class BuildkitProgress {
  private readonly names = new Map<string, string>();
  private readonly reported = new Map<string, "started" | "cached">();
  private readonly tails = new Map<string, string[]>();
  private readonly partial = new Map<string, string>();
  private failed: BuildkitFailure | undefined;
  private lastStep: string | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly tailSize = 20,
  ) {}

  /** The first step that reported an error, if any. */
  get failure(): BuildkitFailure | undefined {
    return this.failed;
  }

  /** The last Dockerfile step that started (for an error the trace did not attach to a step). */
  get step(): string | undefined {
    return this.lastStep;
  }

  /** Shows one decoded trace message. */
  add(trace: BuildkitTrace): void {
    for (const vertex of trace.vertexes) {
      if (vertex.name) this.names.set(vertex.digest, vertex.name);
      const name = this.names.get(vertex.digest) ?? vertex.digest;
      const step = isDockerfileStep(name);
      const was = this.reported.get(vertex.digest);
      if (vertex.cached && was !== "cached") {
        this.reported.set(vertex.digest, "cached");
        this.show(step, `CACHED ${name}`);
      } else if (!vertex.cached && vertex.started && was === undefined) {
        this.reported.set(vertex.digest, "started");
        if (step) this.lastStep = name;
        this.show(step, name);
      }
      if (vertex.error && !this.failed) {
        this.flush(vertex.digest);
        this.failed = { step: name, error: vertex.error, tail: [...(this.tails.get(vertex.digest) ?? [])] };
      }
    }
    for (const log of trace.logs) {
      const text = (this.partial.get(log.vertex) ?? "") + log.text.replace(/\r/g, "\n");
      const lines = text.split("\n");
      this.partial.set(log.vertex, lines.pop() ?? "");
      for (const line of lines) this.line(log.vertex, line);
    }
    for (const warning of trace.warnings)
      this.logger.warn(`${this.names.get(warning.vertex) ?? "build"}: ${warning.text}`);
  }

  private show(step: boolean, text: string): void {
    if (step) this.logger.info(text);
    else this.logger.debug(text);
  }

  /** The step whose output is `vertex` printed its last line (no newline at the end). */
  private flush(vertex: string): void {
    const rest = this.partial.get(vertex);
    if (rest) this.line(vertex, rest);
    this.partial.delete(vertex);
  }

  private line(vertex: string, raw: string): void {
    const text = raw.trimEnd();
    if (text === "") return;
    const tail = this.tails.get(vertex) ?? [];
    tail.push(text);
    if (tail.length > this.tailSize) tail.shift();
    this.tails.set(vertex, tail);
    this.logger.debug(text);
  }
}

/** A Dockerfile instruction (`[stage 1/3] RUN …`, `[2/4] COPY …`), not the builder's own bookkeeping. */
function isDockerfileStep(name: string): boolean {
  return /^\[(?!internal\])[^\]]*\d+\/\d+\] /.test(name);
}
