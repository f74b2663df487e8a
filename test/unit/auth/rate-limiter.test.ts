import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/auth/rate-limiter.js';

describe('the token-bucket rate limiter', () => {
  it('lets a burst through, then refuses with the wait until the next token', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const limits = { perSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => limiter.take('a', limits).ok)).toEqual([true, true, true]);
    expect(limiter.take('a', limits)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', limits).ok).toBe(true); // buckets are per caller
    now = 500; // half a second: one token back
    expect(limiter.take('a', limits).ok).toBe(true);
    expect(limiter.take('a', limits).ok).toBe(false);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const slow = { perSecond: 0.1, burst: 1 };
    limiter.take('a', slow);
    expect(limiter.take('a', slow)).toEqual({ ok: false, retryAfterSeconds: 10 });
    now = 9_500;
    expect(limiter.take('a', slow)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('forgets idle callers when many keys pile up', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now, 10);
    const limits = { perSecond: 100, burst: 1 };
    for (let i = 0; i < 2000; i++) limiter.take(`k${i}`, limits);
    now = 10_000;
    for (let i = 0; i < 1100; i++) limiter.take('hot', limits);
    expect(limiter.size).toBeLessThan(100);
  });
});
