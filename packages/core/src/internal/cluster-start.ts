import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterSpec } from "../cluster-spec.js";
import { CancelledError } from "../errors.js";
import type { Logger } from "../logger.js";
import { type Clock, systemClock } from "./wait.js";

/** What every backend's start shares: one start time, the expiry stamped on resources, the abort checks. */
export interface ClusterStart {
  readonly clock: Clock;
  readonly startedAt: Date;
  /** ISO time for the created-at label or tag. */
  readonly createdAt: string;
  /** ISO time after which the reaper may remove the cluster (start + maximum lifetime). */
  readonly expiresAt: string;
  /** Where the client TLS files are written: the given directory, or one per cluster under the OS temp dir. */
  readonly tlsDir: string;
  /** Throws a CancelledError when the start's signal has fired. */
  checkAbort(): void;
  /**
   * After a failed start: removes what was created (a failing cleanup is reported, never hiding the
   * cause) and returns the error to throw, a CancelledError when the signal caused the failure.
   * `cleanup` is undefined when the start failed before creating anything: nothing is announced then.
   */
  failed(error: unknown, cleanup: (() => Promise<unknown>) | undefined, finishHint: string): Promise<unknown>;
}

export function clusterStart(
  spec: ClusterSpec,
  logger: Logger,
  options: { readonly clock?: Clock; readonly signal?: AbortSignal | undefined; readonly tlsDir?: string | undefined },
): ClusterStart {
  const clock = options.clock ?? systemClock;
  const startedAt = new Date(clock.now());
  const cancelled = (cause?: unknown) =>
    new CancelledError(`start of cluster ${spec.clusterId} was cancelled`, cause === undefined ? undefined : { cause });
  return {
    clock,
    startedAt,
    createdAt: startedAt.toISOString(),
    expiresAt: new Date(startedAt.getTime() + spec.maxLifetime * 1000).toISOString(),
    tlsDir: options.tlsDir ?? join(tmpdir(), "dask-fargate", spec.clusterId),
    checkAbort: () => {
      if (options.signal?.aborted) throw cancelled();
    },
    failed: async (error, cleanup, finishHint) => {
      if (cleanup === undefined)
        return options.signal?.aborted && !(error instanceof CancelledError) ? cancelled(error) : error;
      logger.warn(
        `start of cluster ${spec.clusterId} failed (${String((error as Error)?.message ?? error).split("\n")[0]}); removing what was created`,
      );
      await cleanup().catch((cleanupError: unknown) =>
        logger.warn(
          `the cleanup of ${spec.clusterId} failed too (${(cleanupError as Error).message}); finish it with ${finishHint}`,
        ),
      );
      return options.signal?.aborted && !(error instanceof CancelledError) ? cancelled(error) : error;
    },
  };
}
