import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRateLimitHeaders } from '../src/rate-limit-headers.js';
import { RateLimiter } from '../src/rate-limiter.js';
import { createTestClock } from './helpers.js';

/** The most sends any interval of `perMs` (half-open, as a sliding window counts) holds. */
function busiestWindow(times: readonly number[], perMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= perMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const event = fc.oneof(
  fc.record({ kind: fc.constant('acquire' as const), at: fc.integer({ min: 0, max: 5000 }) }),
  fc.record({
    kind: fc.constant('abort' as const),
    at: fc.integer({ min: 0, max: 5000 }),
    after: fc.integer({ min: 0, max: 2000 }),
  }),
  fc.record({
    kind: fc.constant('pause' as const),
    at: fc.integer({ min: 0, max: 5000 }),
    ms: fc.integer({ min: 0, max: 1500 }),
  }),
);

describe('RateLimiter invariant', () => {
  it('never lets more than `requests` sends into any interval of `perMs`', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 50, max: 1000 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        fc.array(event, { minLength: 1, maxLength: 40 }),
        async (requests, perMs, burst, events) => {
          const clock = createTestClock(0);
          const limiter = new RateLimiter(
            { requests, perMs, burst: burst === undefined ? undefined : Math.min(burst, requests) },
            clock,
          );
          const granted: number[] = [];
          await Promise.all(
            events.map(async (step) => {
              await clock.sleep(step.at);
              if (step.kind === 'pause') {
                limiter.pause(step.ms);
                return;
              }
              const controller = new AbortController();
              if (step.kind === 'abort') {
                void clock.sleep(step.after).then(() => controller.abort(new Error('gave up')));
              }
              try {
                await limiter.acquire(controller.signal);
                granted.push(clock.now());
              } catch {
                // An aborted wait sends nothing.
              }
            }),
          );
          expect(busiestWindow(granted, perMs)).toBeLessThanOrEqual(requests);
          if (burst !== undefined && burst < requests) {
            expect(busiestWindow(granted, (burst * perMs) / requests)).toBeLessThanOrEqual(burst);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the vendor window when requests arrive late, counting each from its answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 200, max: 1000 }),
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 4000 }),
            // Time in flight, shorter than the window, and where in it the vendor counted it.
            flightMs: fc.integer({ min: 0, max: 150 }),
            arrival: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (requests, perMs, sends) => {
          const clock = createTestClock(0);
          // No margin: only the answers protect the window from late arrivals.
          const limiter = new RateLimiter({ requests, perMs, safetyMarginMs: 0 }, clock);
          const arrivals: number[] = [];
          await Promise.all(
            sends.map(async (send) => {
              await clock.sleep(send.at);
              const grant = await limiter.acquire();
              arrivals.push(grant.at + send.flightMs * send.arrival);
              await clock.sleep(send.flightMs);
              limiter.answered(grant);
            }),
          );
          // Without a margin, only counting each send from its answer keeps the vendor's window.
          expect(busiestWindow(arrivals, perMs)).toBeLessThanOrEqual(requests);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds a learned budget from the moment it is learned, never above the configured one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.integer({ min: 0, max: 6000 }), { minLength: 1, maxLength: 50 }),
        async (configured, learned, learnAt, arrivals) => {
          const perMs = 1000;
          const clock = createTestClock(0);
          const limiter = new RateLimiter({ requests: configured, perMs }, clock);
          const afterLearning: number[] = [];
          const all: number[] = [];
          let learnedYet = false;
          void clock.sleep(learnAt).then(() => {
            limiter.observe({ limit: learned, intervalMs: perMs });
            learnedYet = true;
          });
          await Promise.all(
            arrivals.map(async (at) => {
              await clock.sleep(at);
              await limiter.acquire();
              all.push(clock.now());
              if (learnedYet) afterLearning.push(clock.now());
            }),
          );
          expect(busiestWindow(all, perMs)).toBeLessThanOrEqual(configured);
          // Every send after the budget was learned kept the learned window, counting earlier sends.
          for (const at of afterLearning) {
            const inWindow = all.filter((t) => t > at - perMs && t <= at).length;
            expect(inWindow).toBeLessThanOrEqual(Math.max(learned, 1));
          }
          expect(limiter.budget.requests / limiter.budget.perMs).toBeLessThanOrEqual(
            configured / perMs,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ignores header values that make no sense, and never lifts the configured bound', () => {
    const value = fc.oneof(
      fc.constant(''),
      fc.constant('   '),
      fc.constant('-5'),
      fc.constant('abc'),
      fc.constant('1e308'),
      fc.constant('NaN'),
      fc.constant('Infinity'),
      fc.constant('99999999999999999999'),
      fc.integer({ min: -10, max: 2_000_000 }).map(String),
      fc.string(),
    );
    const names = [
      'x-limit',
      'x-remaining',
      'x-interval',
      'x-reset',
      'x-secondly',
      'x-secondly-remaining',
      'x-daily',
      'x-daily-remaining',
    ];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...names), value)), (pairs) => {
        const headers = new Headers();
        for (const [name, raw] of pairs) {
          try {
            headers.set(name, raw);
          } catch {
            // Not a valid header value: a server could not send it either.
          }
        }
        const seen = readRateLimitHeaders(headers, {
          limit: 'x-limit',
          remaining: 'x-remaining',
          intervalMs: 'x-interval',
          reset: 'x-reset',
          secondly: 'x-secondly',
          secondlyRemaining: 'x-secondly-remaining',
          daily: 'x-daily',
          dailyRemaining: 'x-daily-remaining',
        });
        for (const number of Object.values(seen)) {
          expect(Number.isFinite(number)).toBe(true);
          expect(number).toBeGreaterThanOrEqual(0);
        }
        const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, createTestClock(0));
        limiter.observe(seen);
        expect(limiter.budget.requests / limiter.budget.perMs).toBeLessThanOrEqual(10 / 1000);
      }),
      { numRuns: 300 },
    );
  });
});
