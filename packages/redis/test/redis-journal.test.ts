import { type BulkAdapter, deriveItemId, runBulk } from '@bulk-clients/core';
import { describe, expect, it } from 'vitest';
import { createRedisJournal } from '../src/index.js';
import { uniqueAccount, useRedisServer } from './redis-server.js';

const redis = useRedisServer();

/** A create whose ids come from the run: applied once per id, whatever the retries. */
function createAdapter(store: Map<string, number>, failAfter: number) {
  let calls = 0;
  const adapter: BulkAdapter<number, string> = {
    operation: 'test create',
    maxBatchSize: 10,
    idempotent: false,
    async send(batch, ctx) {
      calls++;
      for (const item of batch) {
        const id = deriveItemId(ctx.runId, item.index);
        store.set(id, (store.get(id) ?? 0) + 1);
      }
      // The answer of this batch is lost: the process "dies" before recording it.
      if (calls === failAfter)
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return batch.map((item) => ({
        kind: 'succeeded' as const,
        value: deriveItemId(ctx.runId, item.index),
      }));
    },
    async reconcile(batch, ctx) {
      return batch.map((item) =>
        store.has(deriveItemId(ctx.runId, item.index))
          ? { kind: 'succeeded' as const, value: deriveItemId(ctx.runId, item.index) }
          : { kind: 'absent' as const },
      );
    },
  };
  return adapter;
}

describe('createRedisJournal', () => {
  it('lets another process resume a run: nothing created twice, nothing lost', async () => {
    const key = `journal:${uniqueAccount()}`;
    const store = new Map<string, number>();
    const items = Array.from({ length: 95 }, (_, i) => i);
    const controller = new AbortController();
    const first = await runBulk(items, createAdapter(store, 4), {
      batchSize: 10,
      concurrency: 1,
      journal: createRedisJournal({ redis: redis.connection(), key }),
      retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
      signal: controller.signal,
      onItem: (outcome) => {
        if (outcome.index === 49) controller.abort();
      },
    });
    expect(first.succeeded).toBeLessThan(95);
    const second = await runBulk(items, createAdapter(store, -1), {
      batchSize: 10,
      journal: createRedisJournal({ redis: redis.connection(), key }),
    });
    expect(second.runId).toBe(first.runId);
    expect(second.succeeded).toBe(95);
    expect(store.size).toBe(95);
    expect([...store.values()].every((count) => count === 1)).toBe(true);
  });
});
