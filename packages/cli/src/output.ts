import type { Logger } from "@dask-fargate-action/core";

/** Logger for the terminal: progress and notices on stderr, so stdout carries only results (and --json). */
export function terminalLogger(verbose: boolean): Logger {
  return {
    info: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    debug: (m) => {
      if (verbose) process.stderr.write(`  ${m}\n`);
    },
  };
}

/** Measures named phases and formats them as "up 12.3 s, job 40.1 s". */
export class PhaseTimer {
  private readonly phases: [string, number][] = [];

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.phases.push([name, performance.now() - started]);
    }
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.phases.map(([n, ms]) => [n, Math.round(ms)]));
  }

  toString(): string {
    return this.phases.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(", ");
  }
}
