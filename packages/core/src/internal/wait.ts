import { CancelledError, WaitTimeoutError } from "../errors.js";
import { type Backoff, backoffDelay } from "./backoff.js";

/** Clock and sleep, injectable so tests of waits run instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError("cancelled"));
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError("cancelled"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Options of {@link pollUntil}. */
export interface PollOptions<T> {
  /** What is awaited, for the timeout message (e.g. "2 workers to register"). */
  readonly waitingFor: string;
  /** One look: returns the value when done, or a description of what it saw. */
  readonly check: () => Promise<{ done: true; value: T } | { done: false; seen: string }>;
  readonly timeoutSeconds: number;
  /** First delay; doubles up to `maxDelayMs`. */
  readonly delayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock;
  /** Called when what was seen changes (progress output on long waits). */
  readonly onProgress?: (seen: string) => void;
  /**
   * Hands over a function that ends the current delay early, for a caller that hears when things change
   * (a scheduler's log line): the next look comes at once instead of up to `maxDelayMs` later. The delays
   * stay the fallback when nothing is heard.
   */
  readonly wakeUps?: (wake: () => void) => void;
}

/** Polls until `check` is done, the deadline passes (WaitTimeoutError) or the signal aborts (CancelledError). */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutSeconds * 1000;
  const backoff: Backoff = { firstMs: options.delayMs ?? 250, maxMs: options.maxDelayMs ?? 2000, jitter: "none" };
  let lastSeen = "nothing yet";
  let woken = false;
  let delay: AbortController | undefined;
  options.wakeUps?.(() => {
    woken = true;
    delay?.abort();
  });
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new CancelledError(`cancelled while waiting for ${options.waitingFor}`);
    const result = await options.check();
    if (result.done) return result.value;
    if (result.seen !== lastSeen) options.onProgress?.(result.seen);
    lastSeen = result.seen;
    if (clock.now() >= deadline) throw new WaitTimeoutError(options.waitingFor, options.timeoutSeconds, lastSeen);
    if (!woken) {
      const ms = Math.min(backoffDelay(attempt, backoff), Math.max(0, deadline - clock.now()));
      if (!options.wakeUps) await clock.sleep(ms, options.signal);
      else {
        delay = new AbortController();
        const signal = options.signal ? AbortSignal.any([options.signal, delay.signal]) : delay.signal;
        await clock.sleep(ms, signal).catch((error: unknown) => {
          // Ended by a wake-up: look now. Ended by the caller's signal: the loop's first line reports it.
          if (!woken && !options.signal?.aborted) throw error;
        });
        delay = undefined;
      }
    }
    woken = false;
  }
}
