import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import { createMemoryJournal } from '../src/journal.js';
import { RateLimiter } from '../src/rate-limiter.js';
import { runBulk } from '../src/run-bulk.js';
import { accounted, createScriptedAdapter, createTestClock, succeedAll } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

describe('a run whose daily budget is spent', () => {
  it('stops sending, settles what is in flight and skips the rest', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1000, perMs: 1000 }, clock);
    // The vendor said 12 requests are left today.
    limiter.observe({ daily: 500, dailyRemaining: 12 });
    let sent = 0;
    const adapter = createScriptedAdapter({
      clock,
      latencyMs: 20,
      maxBatchSize: 10,
      script: (call) => {
        sent += 1;
        return succeedAll(call);
      },
    });
    const report = await runBulk(items(1000), adapter, {
      clock,
      limiter,
      acquireTokens: true,
      concurrency: 4,
      requestTimeoutMs: 0,
    });
    expect(sent).toBe(12);
    expect(report).toMatchObject({ succeeded: 120, failed: 0, dailyStop: true, aborted: false });
    // As after an abort, items never read are not in the report (the caller knows its input).
    expect(report.skipped).toBe(report.total - 120);
    expect(report.total).toBeLessThan(1000);
    expect(accounted(report)).toBe(true);
  });

  it('stops at a 429 for the daily budget, the refused batch skipped, and resumes later', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1000, perMs: 1000 }, clock);
    const journal = createMemoryJournal();
    const codes: string[] = [];
    const adapter = createScriptedAdapter({
      clock,
      latencyMs: 5,
      maxBatchSize: 10,
      script: (call) => {
        if (call.call === 3) {
          limiter.stop({ code: 'daily_limit', message: 'the daily request limit is spent' });
          throw new ApiError({
            status: 429,
            method: 'POST',
            url: 'http://127.0.0.1/bulk',
            body: { policyName: 'DAILY' },
          });
        }
        return succeedAll(call);
      },
    });
    const report = await runBulk(items(100), adapter, {
      clock,
      limiter,
      acquireTokens: true,
      concurrency: 1,
      journal,
      requestTimeoutMs: 0,
      onItem: (outcome) => {
        if (outcome.status === 'skipped') codes.push(outcome.error!.code);
      },
    });
    expect(report).toMatchObject({ succeeded: 20, skipped: 10, dailyStop: true, retries: 0 });
    expect(new Set(codes)).toEqual(new Set(['daily_limit']));
    // Tomorrow: a fresh limiter, the same journal, and only the skipped items are sent.
    const resumed = await runBulk(items(100), createScriptedAdapter({ clock, maxBatchSize: 10 }), {
      clock,
      limiter: new RateLimiter({ requests: 1000, perMs: 1000 }, clock),
      journal,
    });
    expect(resumed).toMatchObject({ succeeded: 100, resumed: 20, dailyStop: false });
  });

  it('ends a retry wait at once when another batch finds the daily budget spent', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1000, perMs: 1000 }, clock);
    const adapter = createScriptedAdapter({
      clock,
      latencyMs: 5,
      maxBatchSize: 1,
      script: (call) => {
        if (call.batch[0]!.index === 0) {
          throw new ApiError({
            status: 503,
            method: 'POST',
            url: 'http://127.0.0.1/bulk',
            body: null,
            retryAfterMs: 60_000,
          });
        }
        limiter.stop({ code: 'daily_limit', message: 'spent' });
        return succeedAll(call);
      },
    });
    const startedAt = clock.now();
    const report = await runBulk(items(2), adapter, {
      clock,
      limiter,
      acquireTokens: true,
      concurrency: 2,
      requestTimeoutMs: 0,
    });
    expect(report).toMatchObject({ succeeded: 1, skipped: 1, dailyStop: true });
    expect(clock.now() - startedAt).toBeLessThan(1000);
  });
});
