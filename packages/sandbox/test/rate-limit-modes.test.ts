import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/create-rate-limiter.js';
import { FixedWindow } from '../src/fixed-window.js';
import type { RateLimiter } from '../src/rate-limiter.js';
import { SlidingLog } from '../src/sliding-log.js';
import { TokenBucket } from '../src/token-bucket.js';

// The promise of each algorithm, checked on the limiter itself with explicit times.

const START = Date.UTC(2026, 0, 1);

/** Offers a request at each time; returns the times accepted. */
function run(limiter: RateLimiter, times: readonly number[]): number[] {
  return times.filter((time) => limiter.take(time).allowed);
}

/** The most accepted requests in any half-open interval of `length` ms. */
function busiestInterval(accepted: readonly number[], length: number): number {
  let most = 0;
  for (const [i, start] of accepted.entries()) {
    let count = 0;
    for (let j = i; j < accepted.length && (accepted[j] as number) < start + length; j++) count++;
    most = Math.max(most, count);
  }
  return most;
}

/** Sorted arrival times from random gaps (bursts of equal times included). */
const arrivals = (maxGap: number) =>
  fc
    .array(fc.nat({ max: maxGap }), { minLength: 1, maxLength: 300 })
    .map((gaps) => gaps.map((_, i) => START + gaps.slice(0, i + 1).reduce((a, b) => a + b, 0)));

describe('rolling (sliding log)', () => {
  it('never lets more than `requests` through in any interval of `perMs`, and refuses only when full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        arrivals(1500),
        (requests, perMs, times) => {
          const limiter = new SlidingLog({ requests, perMs });
          const accepted: number[] = [];
          for (const time of times) {
            const { allowed, info } = limiter.take(time);
            const inWindow = accepted.filter((a) => a > time - perMs);
            if (allowed) {
              accepted.push(time);
              expect(inWindow.length).toBeLessThan(requests);
              expect(info.remaining).toBe(requests - inWindow.length - 1);
            } else {
              // Refused only with a full window; retry once its oldest request has left it.
              expect(inWindow).toHaveLength(requests);
              expect(info.retryAfterMs).toBe((inWindow[0] as number) + perMs - time);
              expect(info.remaining).toBe(0);
            }
          }
          expect(busiestInterval(accepted, perMs)).toBeLessThanOrEqual(requests);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lets the next request through exactly when the oldest leaves the window', () => {
    const limiter = new SlidingLog({ requests: 3, perMs: 10_000 });
    expect(run(limiter, [START, START + 2000, START + 4000])).toHaveLength(3);
    const refused = limiter.take(START + 5000);
    expect(refused).toMatchObject({ allowed: false, info: { retryAfterMs: 5000, remaining: 0 } });
    expect(refused.info.resetAt).toBe(START + 14_000);
    expect(limiter.take(START + 9999).allowed).toBe(false);
    expect(limiter.take(START + 10_000).allowed).toBe(true);
    expect(limiter.take(START + 10_001).allowed).toBe(false);
  });

  it('refuses what a refilling bucket of the same budget would let through', () => {
    // A client sending a window's budget at once and then at the refill rate: the bucket lets
    // the refill through, the rolling window does not until the burst has left it.
    const times = [...Array.from({ length: 10 }, () => START), START + 1000, START + 2000];
    expect(
      run(createRateLimiter('bucket', { requests: 10, perMs: 10_000 }, START), times),
    ).toHaveLength(12);
    expect(
      run(createRateLimiter('rolling', { requests: 10, perMs: 10_000 }, START), times),
    ).toHaveLength(10);
  });
});

describe('fixed window', () => {
  it('never lets more than `requests` through in a window aligned to multiples of `perMs`', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        arrivals(1500),
        (requests, perMs, times) => {
          const limiter = new FixedWindow({ requests, perMs });
          const perWindow = new Map<number, number>();
          for (const time of times) {
            const window = Math.floor(time / perMs);
            const { allowed, info } = limiter.take(time);
            const before = perWindow.get(window) ?? 0;
            // Refused exactly when the window is full.
            expect(allowed).toBe(before < requests);
            if (allowed) perWindow.set(window, before + 1);
            expect(info.resetAt).toBe((window + 1) * perMs);
            expect(info.retryAfterMs).toBe(allowed ? 0 : (window + 1) * perMs - time);
          }
          for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(requests);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('resets at the boundary, so up to twice the budget passes around it', () => {
    const limiter = new FixedWindow({ requests: 2, perMs: 60_000 });
    const boundary = START + 60_000;
    expect(run(limiter, [boundary - 2, boundary - 1, boundary - 1])).toHaveLength(2);
    expect(limiter.take(boundary - 1).info).toMatchObject({ resetAt: boundary, retryAfterMs: 1 });
    expect(run(limiter, [boundary, boundary + 1, boundary + 2])).toHaveLength(2);
  });
});

describe('token bucket', () => {
  it('lets a burst through, then one request per refill interval', () => {
    const bucket = new TokenBucket({ requests: 120, perMs: 60_000, burst: 20 }, START);
    expect(
      run(
        bucket,
        Array.from({ length: 25 }, () => START),
      ),
    ).toHaveLength(20);
    const refused = bucket.take(START);
    expect(refused.info).toMatchObject({ limit: 120, remaining: 0, retryAfterMs: 500 });
    expect(refused.info.resetAt).toBe(START + 20 * 500);
    expect(bucket.take(START + 499).allowed).toBe(false);
    expect(bucket.take(START + 500).allowed).toBe(true);
    expect(run(bucket, [START + 1000, START + 1000, START + 1500])).toHaveLength(2);
  });

  it('never lets more than the burst plus the refill through in any interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 20 }),
        arrivals(1500),
        (requests, perMs, burst, times) => {
          const accepted = run(new TokenBucket({ requests, perMs, burst }, START), times);
          for (const [i, from] of accepted.entries()) {
            for (const to of accepted.slice(i)) {
              const passed = accepted.filter((a) => a >= from && a <= to).length;
              expect(passed).toBeLessThanOrEqual(
                burst + Math.floor(((to - from) * requests) / perMs),
              );
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
