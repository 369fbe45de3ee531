/** The prefix of the adaptive sidecar's lines (adapt-sidecar.ts); the controller takes these lines out of the job's output. */
export const ADAPT_MARK = "dask-fargate-adapt: ";

/** A worker the scheduler retired: its Dask address, name and host (Docker: name `worker-N`; Fargate: the task's IP). */
export interface RetiredWorker {
  readonly address: string;
  readonly name: string;
  readonly host: string;
}

/** What one sidecar line says: the bounded target and the workers registered, or the workers just retired. */
export type AdaptEvent =
  | { readonly kind: "target"; readonly target: number; readonly workers: number }
  | { readonly kind: "retired"; readonly retired: readonly RetiredWorker[] };

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * The event of a sidecar line, or undefined for any other line. The job's own output can print anything, including a
 * line that starts like ours: only well-formed values pass, and the controller bounds every target by the range anyway.
 */
export function parseAdaptLine(line: string): AdaptEvent | undefined {
  const at = line.indexOf(ADAPT_MARK);
  // CloudWatch and Docker keep the line as printed; allow a timestamp or stream prefix before the mark.
  if (at < 0 || at > 64) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(at + ADAPT_MARK.length));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  if (Array.isArray(fields["retired"])) {
    const retired = (fields["retired"] as unknown[])
      .filter((w): w is Record<string, unknown> => typeof w === "object" && w !== null)
      .map((w) => ({ address: text(w["address"]), name: text(w["name"]), host: text(w["host"]) }))
      .filter((w) => w.address !== "");
    return { kind: "retired", retired };
  }
  const target = fields["target"];
  const workers = fields["workers"];
  if (
    typeof target === "number" &&
    Number.isInteger(target) &&
    target >= 0 &&
    typeof workers === "number" &&
    Number.isInteger(workers) &&
    workers >= 0
  )
    return { kind: "target", target, workers };
  return undefined;
}
