import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import type { ItemError, ItemResult } from '../src/bulk-adapter.js';
import { createMemoryJournal } from '../src/journal.js';
import { runBulk } from '../src/run-bulk.js';
import { createScriptedAdapter, createTestClock, fetchFailed, type SendCall } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const jobFailed: ItemError = { code: 'job_failed', message: 'The background job failed' };
const notFound: ItemError = {
  code: 'OBJECT_NOT_FOUND',
  message: 'No ticket with this id',
  definite: true,
};
const refuseAll =
  (error: ItemError) =>
  (call: SendCall<{ n: number }>): ItemResult<{ id: number }>[] =>
    call.batch.map(() => ({ kind: 'failed', error }));

/** First request: answer lost after the vendor may have applied it; then `then` answers. */
const lostThen =
  (then: (call: SendCall<{ n: number }>) => ItemResult<{ id: number }>[]) =>
  (call: SendCall<{ n: number }>) => {
    if (call.call === 1) throw fetchFailed('ECONNRESET');
    return then(call);
  };

describe('a refusal after an attempt whose answer was lost', () => {
  describe.each([
    { refusal: 'not definite (a failed job)', error: jobFailed, status: 'unknown' },
    { refusal: 'definite (a missing object)', error: notFound, status: 'failed' },
  ])('when the refusal is $refusal', ({ error, status }) => {
    it(`reports the item ${status}`, async () => {
      const clock = createTestClock();
      const adapter = createScriptedAdapter<{ n: number }>({
        clock,
        script: lostThen(refuseAll(error)),
      });
      const report = await runBulk(items(2), adapter, { clock, collect: true });
      expect(report.outcomes?.map((outcome) => outcome.status)).toEqual([status, status]);
      expect(report.outcomes?.[0]?.error?.code).toBe(error.code);
      expect(report.outcomes?.[0]?.attempts).toBe(2);
    });
  });

  it('says in the message that the earlier request may have applied the item', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      clock,
      script: lostThen(refuseAll(jobFailed)),
    });
    const report = await runBulk(items(1), adapter, { clock, collect: true });
    expect(report.outcomes?.[0]?.error?.message).toMatch(/^The background job failed; .*lost/);
  });

  it('reports failed a refusal with no lost attempt before it', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({ clock, script: refuseAll(jobFailed) });
    const report = await runBulk(items(2), adapter, { clock });
    expect(report).toMatchObject({ failed: 2, unknown: 0 });
  });

  it('reports unknown a whole-request refusal that follows a lost attempt', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      clock,
      script: lostThen(() => {
        throw new ApiError({ status: 400, method: 'POST', url: '/x', body: null });
      }),
    });
    const report = await runBulk(items(2), adapter, { clock, collect: true });
    expect(report).toMatchObject({ failed: 0, unknown: 2 });
    expect(report.outcomes?.[0]?.error?.status).toBe(400);
  });

  it('keeps the lost attempt in mind when the item is re-sent in another batch', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      clock,
      script: (call) => {
        if (call.call === 1) throw fetchFailed('ECONNRESET');
        // The vendor refuses the batch because of item 0; item 1 goes out again alone.
        if (call.call === 2) {
          return call.batch.map((entry) =>
            entry.index === 0 ? { kind: 'failed', error: notFound } : { kind: 'resend' },
          );
        }
        return refuseAll(jobFailed)(call);
      },
    });
    const report = await runBulk(items(2), adapter, { clock, collect: true });
    expect(report.outcomes?.map((outcome) => outcome.status)).toEqual(['failed', 'unknown']);
  });

  it('does not record such an item as failed in the journal', async () => {
    const clock = createTestClock();
    const journal = createMemoryJournal();
    const first = createScriptedAdapter<{ n: number }>({
      clock,
      script: lostThen(refuseAll(jobFailed)),
    });
    await runBulk(items(1), first, { clock, journal });
    const second = createScriptedAdapter<{ n: number }>({ clock });
    const report = await runBulk(items(1), second, { clock, journal });
    expect(second.log).toEqual(['SEND [0]', 'DONE [0]']);
    expect(report).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it('reports failed what a read-back found absent and the vendor then refused', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: lostThen(refuseAll(jobFailed)),
      reconcile: (call) => call.batch.map(() => ({ kind: 'absent' })),
    });
    const report = await runBulk(items(2), adapter, { clock });
    expect(report).toMatchObject({ failed: 2, unknown: 0 });
  });
});
