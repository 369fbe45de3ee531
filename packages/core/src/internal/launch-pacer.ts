import type { Clock } from "./wait.js";

/** A token bucket: `burst` tokens at first, refilled at `perSecond`. */
export interface BucketLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** Hands out launch tokens in order, waiting (on the injected clock) until the bucket holds enough. */
export interface LaunchPacer {
  /** Resolves when `count` tokens are taken; a request larger than the burst waits for the whole burst to refill. */
  take(count: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A client-side copy of a service's token bucket. Sending no faster than the bucket refills keeps a large
 * launch at the rate the limit allows: retrying throttled calls with backoff instead overshoots it, because
 * each retry waits longer than the refill needed (measured: 500 workers took 1.35 × the bound that way).
 * The service's own bucket may also be drained by other callers, so throttling is still retried.
 */
export function launchPacer(limit: BucketLimit, clock: Clock): LaunchPacer {
  let tokens = limit.burst;
  let refilledAt = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    tokens = Math.min(limit.burst, tokens + ((now - refilledAt) / 1000) * limit.perSecond);
    refilledAt = now;
  };
  return {
    take(count, signal) {
      const wanted = Math.min(count, limit.burst);
      const turn = queue.then(async () => {
        refill();
        if (tokens < wanted) {
          await clock.sleep(Math.ceil(((wanted - tokens) / limit.perSecond) * 1000), signal);
          refill();
        }
        tokens -= wanted;
      });
      // One waiter's abort must not fail the ones queued behind it.
      queue = turn.catch(() => {});
      return turn;
    },
  };
}
