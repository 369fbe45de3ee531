import type { JobResult } from "@dask-fargate-action/core";

/** A file the job left in its output directory (path relative to it, with `/` separators). */
export type OutputFile = NonNullable<JobResult["outputs"]>["files"][number];

/** `12.3 kB`: a file size for people (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
