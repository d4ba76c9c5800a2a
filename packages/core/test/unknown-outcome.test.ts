import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import type { ItemResult, ReconcileResult } from '../src/bulk-adapter.js';
import { createMemoryJournal } from '../src/journal.js';
import { runBulk } from '../src/run-bulk.js';
import { createScriptedAdapter, createTestClock, fetchFailed, type SendCall } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const ok = (call: SendCall<{ n: number }>) =>
  call.batch.map((entry) => ({ kind: 'succeeded' as const, value: { id: entry.index } }));

describe('unknown outcome of a non-idempotent operation', () => {
  it('reads back the batch and re-sends only what is absent', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: (call) => {
        if (call.call === 1) throw fetchFailed('ECONNRESET');
        return ok(call);
      },
      // The vendor applied items 0 and 1 before the connection dropped.
      reconcile: (call): ReconcileResult<{ id: number }>[] =>
        call.batch.map((entry) =>
          entry.index < 2 ? { kind: 'succeeded', value: { id: entry.index } } : { kind: 'absent' },
        ),
    });
    const report = await runBulk(items(4), adapter, { clock, collect: true });
    expect(adapter.log).toEqual([
      'SEND [0..3]',
      'FAIL [0..3] ECONNRESET',
      'RECONCILE [0..3]',
      'SEND [2..3]',
      'DONE [2..3]',
    ]);
    expect(report).toMatchObject({ succeeded: 4, unknown: 0 });
    expect(adapter.sentCount.get(0)).toBe(1);
    expect(report.outcomes?.[3]?.attempts).toBe(2);
  });

  it('reports items the read-back cannot settle as unknown', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: () => {
        throw fetchFailed('UND_ERR_SOCKET');
      },
      reconcile: (call) =>
        call.batch.map((entry) =>
          entry.index === 0
            ? { kind: 'failed', error: { code: 'duplicate', message: 'x' } }
            : { kind: 'unknown' },
        ),
    });
    const report = await runBulk(items(3), adapter, { clock });
    expect(report).toMatchObject({ failed: 1, unknown: 2, succeeded: 0, requests: 2 });
  });

  it('retries a read-back that fails transiently', async () => {
    const clock = createTestClock();
    let reads = 0;
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: () => {
        throw new ApiError({ status: 502, method: 'POST', url: '/x', body: null });
      },
      reconcile: (call) => {
        reads += 1;
        if (reads === 1) throw new ApiError({ status: 503, method: 'GET', url: '/x', body: null });
        return call.batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const report = await runBulk(items(2), adapter, { clock });
    expect(report).toMatchObject({ succeeded: 2 });
    expect(reads).toBe(2);
  });

  it('reports unknown when the read-back keeps failing', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: () => {
        throw new DOMException('slow', 'TimeoutError');
      },
      reconcile: () => {
        throw new ApiError({ status: 400, method: 'GET', url: '/x', body: null });
      },
    });
    const report = await runBulk(items(2), adapter, { clock, collect: true });
    expect(report).toMatchObject({ unknown: 2 });
    expect(report.outcomes?.[0]?.error?.code).toBe('timeout');
  });
});

describe('an item the vendor answers as unknown', () => {
  const pending = { code: 'job_pending', message: 'The job was still running' };
  /** Answers item 1 failed and item 2 unknown, the others succeeded. */
  const mixed = (call: SendCall<{ n: number }>): ItemResult<{ id: number }>[] =>
    call.batch.map((entry) => {
      if (entry.index === 1) return { kind: 'failed', error: { code: 'rejected', message: 'no' } };
      if (entry.index === 2) return { kind: 'unknown', error: pending };
      return { kind: 'succeeded', value: { id: entry.index } };
    });

  it.each([true, false])(
    'is reported unknown with its error beside failed and succeeded ones (idempotent: %s)',
    async (idempotent) => {
      const clock = createTestClock();
      const adapter = createScriptedAdapter<{ n: number }>({ idempotent, clock, script: mixed });
      const report = await runBulk(items(4), adapter, { clock, collect: true });
      expect(report).toMatchObject({ succeeded: 2, failed: 1, unknown: 1, requests: 1 });
      expect(report.outcomes?.map((outcome) => outcome.status)).toEqual([
        'succeeded',
        'failed',
        'unknown',
        'succeeded',
      ]);
      expect(report.outcomes?.[2]).toMatchObject({ error: pending, attempts: 1 });
      expect(adapter.sentCount.get(2)).toBe(1);
    },
  );

  it('stays in flight in the journal, so a resumed run sends it again', async () => {
    const clock = createTestClock();
    const journal = createMemoryJournal();
    const first = createScriptedAdapter<{ n: number }>({ clock, script: mixed });
    await runBulk(items(4), first, { clock, journal });
    const second = createScriptedAdapter<{ n: number }>({ clock });
    const report = await runBulk(items(4), second, { clock, journal, collect: true });
    expect(second.log).toEqual(['SEND [2]', 'DONE [2]']);
    expect(report).toMatchObject({ succeeded: 3, failed: 1, unknown: 0, resumed: 3 });
  });
});
