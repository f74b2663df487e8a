// Token buckets in memory, one per caller key. Each process enforces its own buckets: behind a load
// balancer with N replicas a caller gets up to N × the configured rate (deploy/SCALING.md).

export interface BucketLimits {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many requests may come at once after a quiet period. */
  burst: number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private takes = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    /** Beyond this many keys, idle full buckets are dropped (a flood of subjects cannot grow memory). */
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, limits: BucketLimits, cost = 1): TakeResult {
    const now = this.now();
    if (++this.takes % 1024 === 0 && this.buckets.size > this.maxKeys) this.sweep(limits, now);
    const bucket = this.buckets.get(key) ?? { tokens: limits.burst, at: now };
    const refilled = Math.min(
      limits.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * limits.perSecond,
    );
    if (refilled < cost) {
      this.buckets.set(key, { tokens: refilled, at: now });
      const waitSeconds = (cost - refilled) / limits.perSecond;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
    }
    this.buckets.set(key, { tokens: refilled - cost, at: now });
    return { ok: true, remaining: Math.floor(refilled - cost) };
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that would be full by now: forgetting them changes nothing. */
  private sweep(limits: BucketLimits, now: number): void {
    const fullAfterMs = (limits.burst / limits.perSecond) * 1000;
    for (const [key, b] of this.buckets) {
      if (now - b.at >= fullAfterMs) this.buckets.delete(key);
    }
  }
}
