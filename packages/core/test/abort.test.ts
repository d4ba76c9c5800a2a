import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import { RateLimiter } from '../src/rate-limiter.js';
import { runBulk } from '../src/run-bulk.js';
import {
  accounted,
  countingItems,
  createScriptedAdapter,
  createTestClock,
  type SendCall,
} from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const ok = (call: SendCall<{ n: number }>) =>
  call.batch.map((entry) => ({ kind: 'succeeded' as const, value: { id: entry.index } }));

describe('abort', () => {
  it('stops reading the input and sends nothing when aborted before the start', async () => {
    const source = countingItems(100);
    const adapter = createScriptedAdapter();
    const report = await runBulk(source.items, adapter, { signal: AbortSignal.abort() });
    expect(adapter.log).toEqual([]);
    expect(report).toMatchObject({ total: 0, aborted: true, requests: 0 });
    expect(source.pulled()).toBe(0);
  });

  it('cancels requests in flight and reports their items unknown (abortMode abort)', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const adapter = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 5,
      clock,
      script: async (call) => {
        if (call.call === 3) controller.abort();
        await clock.sleep(100, call.ctx.signal);
        return ok(call);
      },
    });
    const report = await runBulk(items(100), adapter, {
      clock,
      concurrency: 3,
      signal: controller.signal,
      collect: true,
    });
    // Batches 1-3 were in flight at the abort; nothing else started.
    expect(report).toMatchObject({ total: 15, unknown: 15, succeeded: 0, aborted: true });
    expect(report.outcomes?.[0]?.error?.code).toBe('aborted');
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toHaveLength(3);
  });

  it('lets requests in flight finish with abortMode settle', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const adapter = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 5,
      clock,
      script: async (call) => {
        if (call.call === 3) controller.abort();
        await clock.sleep(100, call.ctx.signal);
        return ok(call);
      },
    });
    const report = await runBulk(items(100), adapter, {
      clock,
      concurrency: 3,
      signal: controller.signal,
      abortMode: 'settle',
    });
    expect(report).toMatchObject({
      total: 15,
      succeeded: 15,
      unknown: 0,
      skipped: 0,
      aborted: true,
    });
  });

  it('skips items whose retry was pending, as they were never applied', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const adapter = createScriptedAdapter<{ n: number }>({
      clock,
      script: () => {
        queueMicrotask(() => controller.abort());
        throw new ApiError({ status: 503, method: 'POST', url: '/x', body: null });
      },
    });
    const report = await runBulk(items(4), adapter, {
      clock,
      signal: controller.signal,
      collect: true,
    });
    expect(report).toMatchObject({ skipped: 4, requests: 1, retries: 0 });
    expect(report.outcomes?.[0]).toMatchObject({
      status: 'skipped',
      attempts: 1,
      error: { code: 'aborted' },
    });
  });

  it('skips items held back by the rate limiter when the run is aborted', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1, perMs: 60_000 }, clock);
    const controller = new AbortController();
    const adapter = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 2,
      script: (call) => {
        if (call.call === 1) queueMicrotask(() => controller.abort());
        return ok(call);
      },
    });
    const report = await runBulk(items(6), adapter, {
      clock,
      limiter,
      acquireTokens: true,
      concurrency: 2,
      signal: controller.signal,
      requestTimeoutMs: 0,
    });
    expect(report).toMatchObject({ succeeded: 2, skipped: 2, unknown: 0 });
    expect(accounted(report)).toBe(true);
  });

  it('reports items read but not yet sent as skipped', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    // The vault-like 422 puts items back for a re-send, then the run is aborted.
    const adapter = createScriptedAdapter<{ n: number }>({
      clock,
      script: (call) => {
        controller.abort();
        return call.batch.map((entry) =>
          entry.index === 0
            ? { kind: 'failed' as const, error: { code: 'invalid', message: 'Entry 0: bad' } }
            : { kind: 'resend' as const },
        );
      },
    });
    const report = await runBulk(items(3), adapter, { clock, signal: controller.signal });
    expect(report).toMatchObject({ total: 3, failed: 1, skipped: 2 });
  });
});
