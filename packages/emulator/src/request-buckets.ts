import { Throttle } from "./token-bucket.js";

/** ECS's and Fargate's request buckets as the emulator applies them: switched on or off, refilled by a reset. */
export class RequestBuckets {
  enabled: boolean;
  private buckets: Throttle;

  constructor(
    private readonly now: () => number,
    private readonly scale: number,
    enabled: boolean,
  ) {
    this.enabled = enabled;
    this.buckets = new Throttle(now, scale);
  }

  /** The buckets a call takes from, or undefined while throttling is off. */
  active(): Throttle | undefined {
    return this.enabled ? this.buckets : undefined;
  }

  snapshot(): Record<string, number> {
    return this.buckets.snapshot();
  }

  /** Full buckets again (the admin reset). */
  refill(): void {
    this.buckets = new Throttle(this.now, this.scale);
  }
}
