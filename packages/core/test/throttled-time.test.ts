import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import { HeldTime } from '../src/held-time.js';
import { RateLimiter } from '../src/rate-limiter.js';
import { runBulk } from '../src/run-bulk.js';
import { createScriptedAdapter, createTestClock, succeedAll } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const tooMany = (retryAfterMs: number) =>
  new ApiError({
    status: 429,
    method: 'POST',
    url: 'http://127.0.0.1/bulk',
    body: null,
    retryAfterMs,
  });

describe('HeldTime', () => {
  it('adds up the union of the intervals, not each party that held', async () => {
    const clock = createTestClock();
    const held = new HeldTime(clock);
    held.set(true);
    await clock.sleep(100);
    held.set(true);
    await clock.sleep(50);
    expect(held.ms).toBe(150);
    held.set(false);
    await clock.sleep(1000);
    held.set(false);
    held.set(true);
    await clock.sleep(25);
    held.set(false);
    expect(held.ms).toBe(175);
  });
});

describe('RateLimiter hold time', () => {
  it('counts requests held together once in heldMs and each in waitedMs', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1000, perMs: 1000, burst: 10 }, clock);
    const changes: boolean[] = [];
    const stop = limiter.onHoldChange((holding) => changes.push(holding));
    limiter.pause(500);
    await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
    stop();
    const { waitedMs, heldMs } = limiter.stats;
    expect(changes).toEqual([true, false]);
    expect(heldMs).toBeLessThan(waitedMs);
    expect(heldMs).toBeGreaterThanOrEqual(500);
    expect(limiter.holding).toBe(false);
  });

  it('stops holding when the only waiting request is aborted', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    const changes: boolean[] = [];
    limiter.onHoldChange((holding) => changes.push(holding));
    limiter.pause(10_000);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
    expect(changes).toEqual([true, false]);
  });

  it('rejects a listener that is not a function', () => {
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 });
    expect(() => limiter.onHoldChange(42 as never)).toThrow(/`listener`/);
  });
});

describe('throttledMs of a run', () => {
  it('is the wall-clock time the limiter held the run, not the sum of every wait', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 1000 }, clock);
    const sentAt: number[] = [];
    const adapter = createScriptedAdapter({
      clock,
      maxBatchSize: 1,
      script: (call) => {
        sentAt.push(clock.now());
        return succeedAll(call);
      },
    });
    const startedAt = clock.now();
    limiter.pause(1000);
    const report = await runBulk(items(4), adapter, {
      clock,
      limiter,
      acquireTokens: true,
      concurrency: 4,
      requestTimeoutMs: 0,
    });
    const lastSent = Math.max(...sentAt) - startedAt;
    expect(report.throttledMs).toBe(lastSent);
    expect(report.throttledMs).toBeLessThan(limiter.stats.waitedMs);
    expect(report.throttledMs).toBeLessThanOrEqual(report.durationMs);
  });

  it('counts 429 backoffs that run side by side once', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({
      clock,
      maxBatchSize: 1,
      script: (call) => {
        if (call.ctx.attempt === 1) throw tooMany(2000);
        return succeedAll(call);
      },
    });
    const report = await runBulk(items(3), adapter, { clock, concurrency: 3, requestTimeoutMs: 0 });
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
    expect(report).toMatchObject({ succeeded: 3, throttled: 3 });
    expect(report.throttledMs).toBe(report.durationMs);
    expect(report.throttledMs).toBeLessThan(clock.sleeps.reduce((sum, ms) => sum + ms, 0));
  });

  it('does not count time the limiter held requests while the run had none under way', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    limiter.pause(5000);
    // Another client sharing the limiter waits; this run has no request in flight yet.
    const outside = limiter.acquire();
    await clock.sleep(1000);
    const adapter = createScriptedAdapter({ clock });
    const report = await runBulk(items(1), adapter, { clock, limiter, requestTimeoutMs: 0 });
    await outside;
    expect(report.throttledMs).toBe(0);
  });

  it('reports the same figure in the last progress snapshot', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 1000 }, clock);
    limiter.pause(300);
    const adapter = createScriptedAdapter({ clock, maxBatchSize: 1 });
    let last = -1;
    const report = await runBulk(items(3), adapter, {
      clock,
      limiter,
      acquireTokens: true,
      concurrency: 3,
      requestTimeoutMs: 0,
      onProgress: (progress) => {
        last = progress.throttledMs;
      },
    });
    expect(report.throttledMs).toBeGreaterThan(0);
    expect(last).toBe(report.throttledMs);
  });
});
