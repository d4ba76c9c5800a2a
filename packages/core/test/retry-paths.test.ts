import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import type { ItemResult } from '../src/bulk-adapter.js';
import { RateLimiter } from '../src/rate-limiter.js';
import { runBulk } from '../src/run-bulk.js';
import {
  accounted,
  createScriptedAdapter,
  createTestClock,
  fetchFailed,
  type SendCall,
} from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const ok = (call: SendCall<{ n: number }>): ItemResult<{ id: number }>[] =>
  call.batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
const apiError = (status: number, retryAfterMs?: number) =>
  new ApiError({
    status,
    method: 'POST',
    url: 'http://127.0.0.1/bulk',
    body: { message: 'nope' },
    retryAfterMs,
  });

/** Fails the first `times` sends with `error`, then answers. */
const failFirst = (times: number, error: () => unknown) => (call: SendCall<{ n: number }>) => {
  if (call.call <= times) throw error();
  return ok(call);
};

describe.each([
  ['503', () => apiError(503)],
  ['429', () => apiError(429)],
  ['408', () => apiError(408)],
  ['connection refused', () => fetchFailed('ECONNREFUSED')],
])('a %s', (_name, error) => {
  it.each([true, false])(
    'is retried whether or not the operation is idempotent (%s)',
    async (idempotent) => {
      const clock = createTestClock();
      const adapter = createScriptedAdapter({ idempotent, clock, script: failFirst(2, error) });
      const report = await runBulk(items(5), adapter, { clock, retry: { random: () => 0.5 } });
      expect(report).toMatchObject({ succeeded: 5, requests: 3, retries: 2 });
      expect(adapter.sentCount.get(0)).toBe(3);
    },
  );
});

describe.each([
  ['500', () => apiError(500)],
  ['502', () => apiError(502)],
  ['504', () => apiError(504)],
  ['connection reset', () => fetchFailed('ECONNRESET')],
  ['socket error', () => fetchFailed('UND_ERR_SOCKET')],
  ['headers timeout', () => fetchFailed('UND_ERR_HEADERS_TIMEOUT')],
  ['truncated JSON', () => new SyntaxError('Unexpected end of JSON input')],
])('an unknown outcome (%s)', (_name, error) => {
  it('is retried for an idempotent operation', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({ idempotent: true, clock, script: failFirst(1, error) });
    const report = await runBulk(items(5), adapter, { clock });
    expect(report).toMatchObject({ succeeded: 5, unknown: 0, requests: 2, retries: 1 });
  });

  it('is reported unknown, never re-sent, for a non-idempotent operation', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({
      idempotent: false,
      clock,
      script: failFirst(1, error),
    });
    const report = await runBulk(items(5), adapter, { clock, collect: true });
    expect(report).toMatchObject({ succeeded: 0, unknown: 5, requests: 1, retries: 0 });
    expect(adapter.sentCount.get(0)).toBe(1);
    expect(report.outcomes?.[0]?.attempts).toBe(1);
  });
});

describe('retry limits', () => {
  it('fails items with the vendor error after the last retry', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({ clock, script: failFirst(99, () => apiError(503)) });
    const report = await runBulk(items(3), adapter, {
      clock,
      retry: { retries: 2 },
      collect: true,
    });
    expect(report).toMatchObject({ failed: 3, requests: 3, retries: 2 });
    expect(report.outcomes?.[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'server_error', status: 503, vendor: { message: 'nope' } },
    });
  });

  it('reports unknown, not failed, when an earlier attempt may have been applied', async () => {
    const clock = createTestClock();
    let call = 0;
    const adapter = createScriptedAdapter({
      clock,
      script: () => {
        call += 1;
        throw call === 1 ? fetchFailed('ECONNRESET') : apiError(503);
      },
    });
    const report = await runBulk(items(2), adapter, { clock, retry: { retries: 2 } });
    expect(report).toMatchObject({ unknown: 2, failed: 0, requests: 3 });
  });

  it.each([400, 401, 403, 404, 422])('never retries a %i', async (status) => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({ clock, script: failFirst(1, () => apiError(status)) });
    const report = await runBulk(items(4), adapter, { clock, collect: true });
    expect(report).toMatchObject({ failed: 4, requests: 1, retries: 0 });
    expect(report.outcomes?.[2]?.error?.status).toBe(status);
  });

  it('backs off exponentially with full jitter between attempts', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({ clock, script: failFirst(4, () => apiError(503)) });
    await runBulk(items(1), adapter, {
      clock,
      requestTimeoutMs: 0,
      retry: { minDelayMs: 100, maxDelayMs: 500, random: () => 0.5 },
    });
    expect(clock.sleeps).toEqual([50, 100, 200, 250]);
  });

  it('waits at least what a 429 asks and pauses the shared limiter', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 100, perMs: 1000 }, clock);
    const adapter = createScriptedAdapter({
      clock,
      script: failFirst(1, () => apiError(429, 5000)),
    });
    const report = await runBulk(items(1), adapter, { clock, limiter, requestTimeoutMs: 0 });
    expect(clock.sleeps).toEqual([5000]);
    expect(report).toMatchObject({ succeeded: 1, throttled: 1 });
    expect(report.throttledMs).toBeGreaterThanOrEqual(5000);
  });

  it('lets an adapter refine the classification', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({
      idempotent: false,
      clock,
      script: failFirst(1, () => apiError(500)),
    });
    // This vendor documents that its 500 means "nothing was written".
    adapter.classifyError = (error) =>
      error instanceof ApiError && error.status === 500
        ? { kind: 'retry', reason: 'vendor_500' }
        : undefined;
    const report = await runBulk(items(2), adapter, { clock });
    expect(report).toMatchObject({ succeeded: 2, requests: 2 });
  });
});

describe('request timeout', () => {
  it.each([
    [true, { succeeded: 3, unknown: 0, requests: 2 }],
    [false, { succeeded: 0, unknown: 3, requests: 1 }],
  ])(
    'abandons a slow request; idempotent=%s decides whether it is re-sent',
    async (idempotent, expected) => {
      const clock = createTestClock();
      let seenSignal: AbortSignal | undefined;
      const adapter = createScriptedAdapter<{ n: number }>({
        idempotent,
        clock,
        script: async (call) => {
          if (call.call === 1) {
            seenSignal = call.ctx.signal;
            await clock.sleep(60_000, call.ctx.signal);
          }
          return ok(call);
        },
      });
      const report = await runBulk(items(3), adapter, {
        clock,
        requestTimeoutMs: 1000,
        collect: true,
      });
      expect(report).toMatchObject(expected);
      expect(seenSignal?.aborted).toBe(true);
      expect((seenSignal?.reason as Error | undefined)?.name).toBe('TimeoutError');
      expect(accounted(report)).toBe(true);
    },
  );

  it('gives up on an adapter that ignores the signal', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      script: () => new Promise(() => undefined),
    });
    const report = await runBulk(items(2), adapter, {
      clock,
      requestTimeoutMs: 500,
      collect: true,
    });
    expect(report).toMatchObject({ unknown: 2 });
    expect(report.outcomes?.[0]?.error?.code).toBe('timeout');
  });
});
