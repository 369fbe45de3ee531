import { CancelledError } from "../errors.js";
import { type Backoff, backoffDelay } from "../internal/backoff.js";
import { type Clock, systemClock } from "../internal/wait.js";
import type { Logger } from "../logger.js";
import { awsErrorName } from "./aws-clients.js";

/**
 * IAM is eventually consistent: right after a role is created, RegisterTaskDefinition can fail with
 * "iam:PassRole" access denied and RunTask with "ECS was unable to assume the role". These are retried
 * with backoff for up to 120 s (Terraform's AWS provider waits as long).
 */
export function isIamPropagationError(error: unknown): boolean {
  const text = `${awsErrorName(error)} ${(error as Error)?.message ?? ""}`;
  return /iam:PassRole|unable to assume the role|role.*(is not authorized|cannot be assumed)|Role is not valid/i.test(
    text,
  );
}

/**
 * ECS answers ThrottlingException when a token bucket is empty (RunTask, StartTask and StopTask share one;
 * Fargate also limits task launches to 100 at once and 20 per second: facts.md). The SDK's own retries give
 * up after a few seconds, which a 500-task launch outlasts, so callers retry these too.
 */
export function isThrottlingError(error: unknown): boolean {
  return /^(ThrottlingException|RequestLimitExceeded|TooManyRequestsException)$/.test(awsErrorName(error));
}

/** Options of {@link retryWhile}. */
export interface RetryOptions {
  readonly limitSeconds: number;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock;
  /** First and largest delay (default 2 s doubling to 20 s, spread by jitter). */
  readonly backoff?: Partial<Pick<Backoff, "firstMs" | "maxMs">>;
  /** Uniform random numbers in [0, 1) for the jitter (default `Math.random`); tests pass a fixed sequence. */
  readonly random?: (() => number) | undefined;
  /** What the retry log line says about the error (default: its name and first line). */
  readonly describe?: (error: unknown) => string;
}

/**
 * Retries `work` while `retryable(error)` holds, with exponential backoff and jitter (so parallel callers do
 * not retry in lockstep), until `limitSeconds` have passed.
 */
export async function retryWhile<T>(
  what: string,
  work: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  options: RetryOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.limitSeconds * 1000;
  const backoff: Backoff = {
    firstMs: 2000,
    maxMs: 20_000,
    ...options.backoff,
    jitter: "spread",
    random: options.random,
  };
  const describe =
    options.describe ??
    ((error: unknown) => `${awsErrorName(error) || "error"} (${(error as Error).message.split("\n")[0]})`);
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const wait = backoffDelay(attempt, backoff);
      if (!retryable(error) || clock.now() + wait > deadline) throw error;
      if (options.signal?.aborted) throw new CancelledError(`cancelled while retrying ${what}`);
      options.logger.info(`${what}: ${describe(error)}; retrying in ${Math.round(wait / 1000)} s`);
      await clock.sleep(wait, options.signal);
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
