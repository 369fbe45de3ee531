import type { BackendSettings, JobResult, JobRunsOn } from "@dask-fargate-action/core/backend";

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

/**
 * The job's output directory: the one asked for, else `fallback` wherever files can come back. A job in a
 * Fargate cluster sends its files through S3, so without `output-uri` there it gets no default (and an
 * explicit `output-dir` is refused up front by the pipeline's validation).
 */
export function outputDirFor(
  backend: "docker" | "fargate",
  settings: BackendSettings,
  runsOn: JobRunsOn,
  explicit: string | undefined,
  fallback: string,
): string | undefined {
  if (explicit !== undefined) return explicit;
  if (backend === "fargate" && runsOn === "cluster" && settings.fargate?.outputUri === undefined) return undefined;
  return fallback;
}
