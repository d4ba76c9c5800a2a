import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import type { ItemResult, ReconcileResult } from '../src/bulk-adapter.js';
import { createMemoryJournal } from '../src/journal.js';
import { runBulk } from '../src/run-bulk.js';
import { createScriptedAdapter, createTestClock, fetchFailed, type SendCall } from './helpers.js';

type Plan =
  | { kind: 'answer'; failEvery: number; resendEvery: number; unknownEvery: number }
  | {
      kind: 'throw';
      error: 'e503' | 'e429' | 'e500' | 'e400' | 'reset' | 'refused' | 'json' | 'hang';
    };

const planArbitrary: fc.Arbitrary<Plan> = fc.oneof(
  fc.record({
    kind: fc.constant('answer' as const),
    failEvery: fc.integer({ min: 0, max: 5 }),
    resendEvery: fc.integer({ min: 0, max: 4 }),
    unknownEvery: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('throw' as const),
    error: fc.constantFrom('e503', 'e429', 'e500', 'e400', 'reset', 'refused', 'json', 'hang'),
  }),
);

const errorFor = (error: Exclude<Plan, { kind: 'answer' }>['error']): unknown => {
  const api = (status: number) =>
    new ApiError({ status, method: 'POST', url: '/bulk', body: null, retryAfterMs: 10 });
  switch (error) {
    case 'e503':
      return api(503);
    case 'e429':
      return api(429);
    case 'e500':
      return api(500);
    case 'e400':
      return api(400);
    case 'reset':
      return fetchFailed('ECONNRESET');
    case 'refused':
      return fetchFailed('ECONNREFUSED');
    default:
      return new SyntaxError('Unexpected end of JSON input');
  }
};

const scenario = fc.record({
  count: fc.integer({ min: 0, max: 60 }),
  maxBatchSize: fc.integer({ min: 1, max: 8 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  idempotent: fc.boolean(),
  withReconcile: fc.boolean(),
  reconcileSeed: fc.integer({ min: 0, max: 2 }),
  plans: fc.array(planArbitrary, { minLength: 1, maxLength: 12 }),
  abortAtCall: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
  abortMode: fc.constantFrom('abort' as const, 'settle' as const),
  invalidEvery: fc.integer({ min: 0, max: 7 }),
  retries: fc.integer({ min: 0, max: 3 }),
  asyncInput: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

async function run(s: Scenario, journal?: ReturnType<typeof createMemoryJournal>) {
  const clock = createTestClock();
  const controller = new AbortController();
  // The last send that carried each item, and the send that answered it as unknown.
  const lastSend = new Map<number, number>();
  const answeredUnknown = new Map<number, number>();
  const adapter = createScriptedAdapter<{ n: number }>({
    maxBatchSize: s.maxBatchSize,
    idempotent: s.idempotent,
    clock,
    validate: (item) =>
      s.invalidEvery > 0 && item.n % s.invalidEvery === 0
        ? { code: 'invalid', message: `item ${item.n}` }
        : undefined,
    script: async (call: SendCall<{ n: number }>): Promise<ItemResult<{ id: number }>[]> => {
      if (call.call === s.abortAtCall) controller.abort();
      for (const entry of call.batch) lastSend.set(entry.index, call.call);
      const plan = s.plans[(call.call - 1) % s.plans.length]!;
      if (plan.kind === 'throw') {
        if (plan.error === 'hang') {
          await clock.sleep(1_000_000, call.ctx.signal);
        } else {
          throw errorFor(plan.error);
        }
      }
      const answer =
        plan.kind === 'answer' ? plan : { failEvery: 0, resendEvery: 0, unknownEvery: 0 };
      return call.batch.map((entry, position) => {
        if (answer.failEvery > 0 && entry.index % answer.failEvery === 0) {
          return { kind: 'failed', error: { code: 'bad', message: `Entry ${position}` } };
        }
        if (answer.resendEvery > 0 && (entry.index + call.call) % answer.resendEvery === 0)
          return { kind: 'resend' };
        if (answer.unknownEvery > 0 && (entry.index + 1) % answer.unknownEvery === 0) {
          answeredUnknown.set(entry.index, call.call);
          return { kind: 'unknown', error: { code: 'job_pending', message: `Entry ${position}` } };
        }
        return { kind: 'succeeded', value: { id: entry.index } };
      });
    },
    ...(s.withReconcile
      ? {
          reconcile: (call: SendCall<{ n: number }>): ReconcileResult<{ id: number }>[] =>
            call.batch.map((entry) => {
              const pick = (entry.index + s.reconcileSeed) % 3;
              if (pick === 0) return { kind: 'succeeded', value: { id: entry.index } };
              return pick === 1 ? { kind: 'absent' } : { kind: 'unknown' };
            }),
        }
      : {}),
  });
  const items = Array.from({ length: s.count }, (_, n) => ({ n }));
  async function* asyncItems() {
    yield* items;
  }
  const report = await runBulk(s.asyncInput ? asyncItems() : items, adapter, {
    clock,
    concurrency: s.concurrency,
    signal: controller.signal,
    abortMode: s.abortMode,
    retry: { retries: s.retries, minDelayMs: 10, maxDelayMs: 100 },
    requestTimeoutMs: 5000,
    collect: true,
    journal,
  });
  return { report, adapter, lastSend, answeredUnknown };
}

describe('accounting', () => {
  it('counts every input item exactly once, whatever the vendor does', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { report, adapter, lastSend, answeredUnknown } = await run(s);
        const { total, succeeded, failed, unknown, skipped } = report;
        expect(succeeded + failed + unknown + skipped).toBe(total);
        const indexes = report.outcomes!.map((outcome) => outcome.index);
        expect(indexes).toEqual(Array.from({ length: total }, (_, i) => i));
        const byStatus = (status: string) =>
          report.outcomes!.filter((outcome) => outcome.status === status).length;
        expect([
          byStatus('succeeded'),
          byStatus('failed'),
          byStatus('unknown'),
          byStatus('skipped'),
        ]).toEqual([succeeded, failed, unknown, skipped]);
        if (!report.aborted) expect(total).toBe(s.count);
        if (!report.aborted) expect(skipped).toBe(0);
        // A non-idempotent item is never sent again after an answer was lost, unless a read-back
        // found it absent.
        if (!s.idempotent && !s.withReconcile) {
          for (const outcome of report.outcomes!) {
            if (outcome.status === 'unknown')
              expect(adapter.sentCount.get(outcome.index)).toBe(outcome.attempts);
          }
        }
        // An item the vendor answered as unknown is settled as such and never sent again.
        for (const outcome of report.outcomes!) {
          if (outcome.error?.code === 'job_pending') {
            expect(outcome.status).toBe('unknown');
            expect(lastSend.get(outcome.index)).toBe(answeredUnknown.get(outcome.index));
          }
        }
        expect(adapter.maxInFlight).toBeLessThanOrEqual(s.concurrency);
      }),
      { numRuns: 300 },
    );
  });

  it('never re-sends an item a resumed run had already settled', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const journal = createMemoryJournal();
        const first = await run(s, journal);
        const settled = new Set(
          first.report
            .outcomes!.filter((o) => o.status === 'succeeded' || o.status === 'failed')
            .map((o) => o.index),
        );
        const second = await run({ ...s, abortAtCall: undefined }, journal);
        expect(second.report.runId).toBe(first.report.runId);
        for (const index of settled) {
          if (first.adapter.sentCount.has(index))
            expect(second.adapter.sentCount.has(index)).toBe(false);
        }
        const { total, succeeded, failed, unknown, skipped } = second.report;
        expect(total).toBe(s.count);
        expect(succeeded + failed + unknown + skipped).toBe(total);
      }),
      { numRuns: 150 },
    );
  });
});
