/** Measures named phases (the CLI and the action report them) and formats them as "up 12.3 s, job 40.1 s". */
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
