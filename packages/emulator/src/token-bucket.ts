/** A token bucket: `burst` tokens, refilled at `perSecond`; a request takes one token (or `n`). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly burst: number,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` tokens if there are that many; false (and nothing taken) otherwise. */
  take(n = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens + 1e-9 < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Tokens available now (for tests and the admin state). */
  available(): number {
    this.take(0);
    return this.tokens;
  }
}

/** A bucket's size: burst and refill per second. */
export interface BucketLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * ECS's and Fargate's request buckets, per account and region.
 * Source: ECS API reference, "Request throttling for the Amazon ECS API"; Fargate developer guide,
 * "AWS Fargate throttling quotas"; facts.md ("Token buckets per account and region").
 */
export const ECS_BUCKETS = {
  /** RunTask, StartTask and StopTask share one bucket: 100 burst, 40 per second. */
  taskWrites: { burst: 100, perSecond: 40, operations: ["RunTask", "StartTask", "StopTask"] },
  /** DescribeTasks and ListTasks: 100 burst, 20 per second. */
  taskReads: { burst: 100, perSecond: 20, operations: ["DescribeTasks", "ListTasks"] },
  /** RegisterTaskDefinition and DeregisterTaskDefinition: 20 burst, 1 per second. */
  taskDefinitions: { burst: 20, perSecond: 1, operations: ["RegisterTaskDefinition", "DeregisterTaskDefinition"] },
  /** CreateCluster and DeleteCluster: 20 burst, 1 per second. */
  clusters: { burst: 20, perSecond: 1, operations: ["CreateCluster", "DeleteCluster"] },
  /** Fargate: RunTask calls, 20 per second (burst 20). */
  fargateRunTask: { burst: 20, perSecond: 20, operations: ["RunTask"] },
} as const;

/** Fargate task launches (tasks, not calls): 100 burst, 20 per second, on-demand and Spot each. */
export const FARGATE_LAUNCH_BUCKET: BucketLimit = { burst: 100, perSecond: 20 };

type BucketName = keyof typeof ECS_BUCKETS;

/** All buckets of one emulator, keyed by region (AWS keeps them per account and region; the emulator has one account). */
export class Throttle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Scales every refill rate and burst (1 = AWS; tests and benchmarks may lower or raise them). */
    private readonly scale = 1,
  ) {}

  /** Takes one token from every bucket `operation` belongs to; false when any is empty (then none is taken). */
  takeCall(region: string, operation: string): boolean {
    const names = (Object.keys(ECS_BUCKETS) as BucketName[]).filter((name) =>
      (ECS_BUCKETS[name].operations as readonly string[]).includes(operation),
    );
    const buckets = names.map((name) => this.bucket(`${region}/${name}`, ECS_BUCKETS[name]));
    if (buckets.some((b) => b.available() < 1)) return false;
    for (const b of buckets) b.take(1);
    return true;
  }

  /** Takes `count` task launches of a capacity provider (FARGATE or FARGATE_SPOT have a bucket each). */
  takeLaunches(region: string, provider: string, count: number): boolean {
    return this.bucket(`${region}/launch/${provider}`, FARGATE_LAUNCH_BUCKET).take(count);
  }

  /** Tokens left in each bucket made so far. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.buckets].map(([k, b]) => [k, Math.floor(b.available())]));
  }

  private bucket(key: string, limit: BucketLimit): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit.burst * this.scale, limit.perSecond * this.scale, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
