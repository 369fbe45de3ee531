/** One line of the benchmark table: the number, the method that produced it, and the target. */
export interface BenchRow {
  /** Which measurement (the file that made it). */
  readonly group: string;
  readonly measurement: string;
  readonly value: string;
  readonly target: string;
  /** undefined when the row has no target of its own. */
  readonly met: boolean | undefined;
  readonly method: string;
  /** The raw numbers, for the JSON file. */
  readonly data?: unknown;
}

export const seconds = (ms: number, digits = 2): string => `${(ms / 1000).toFixed(digits)} s`;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const spread = (values: readonly number[], unit: (v: number) => string): string =>
  `median ${unit(median(values))} (min ${unit(Math.min(...values))}, max ${unit(Math.max(...values))}, n=${values.length})`;
