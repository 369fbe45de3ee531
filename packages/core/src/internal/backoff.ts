/**
 * The one delay rule of every retry and poll in this package: exponential backoff, capped, with optional
 * jitter. A small module rather than p-retry or exponential-backoff: those sleep with their own timers and
 * draw their own random numbers, while every wait here sleeps through the injected {@link Clock} (so tests
 * run in milliseconds) and draws jitter from an injectable source (so tests see fixed delays).
 */

/** Options of {@link backoffDelay}. */
export interface Backoff {
  /** The nominal delay before the first retry (ms); it doubles with every retry. */
  readonly firstMs: number;
  /** The nominal delay never grows past this (ms). */
  readonly maxMs: number;
  /**
   * `spread`: each delay is drawn uniformly from ½ to 1½ times its nominal value, so callers that failed
   * together (parallel RunTask lanes hitting the same capacity shortage or token bucket) do not retry
   * together ("Exponential Backoff And Jitter", AWS Architecture Blog). `none`: polls of a state that
   * nobody else is hammering.
   */
  readonly jitter: "spread" | "none";
  /** Uniform random numbers in [0, 1) for the jitter (default `Math.random`). */
  readonly random?: (() => number) | undefined;
}

/** The delay before retry number `attempt` (0 for the first retry): `firstMs × 2^attempt`, capped at `maxMs`, then jittered. */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  const nominal = Math.min(backoff.firstMs * 2 ** attempt, backoff.maxMs);
  if (backoff.jitter === "none") return nominal;
  return Math.round(nominal * (0.5 + (backoff.random ?? Math.random)()));
}
