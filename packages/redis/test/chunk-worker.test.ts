import { type BulkAdapter, deriveItemId } from '@bulk-clients/core';
import { describe, expect, it } from 'vitest';
import {
  type ChunkEntry,
  type ChunkWorker,
  createChunkWorker,
  createRunEnqueuer,
  type RunSession,
  RunStore,
} from '../src/index.js';
import { useRedisServer } from './redis-server.js';

const redis = useRedisServer();

/** A create keyed on the derived id, that counts each write. */
function countingAdapter(
  writes: Map<string, number>,
  options: { poisoned?: (entry: ChunkEntry) => boolean; delayMs?: number } = {},
): BulkAdapter<ChunkEntry, string> {
  return {
    operation: 'test create',
    maxBatchSize: 50,
    idempotent: false,
    validate(entry) {
      // A record the code cannot handle throws out of the engine: the whole chunk fails.
      if (options.poisoned?.(entry)) throw new TypeError('Cannot read properties of undefined');
      return undefined;
    },
    async send(batch, ctx) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      return batch.map((item) => {
        const id = deriveItemId(ctx.runId, item.index);
        writes.set(id, (writes.get(id) ?? 0) + 1);
        return { kind: 'succeeded' as const, value: id };
      });
    },
  };
}

function session(adapter: BulkAdapter<ChunkEntry, string>, accountKey = 'acct'): RunSession {
  return { adapter, accountKey, batchSize: 50, close: async () => {} };
}

async function enqueue(prefix: string, records: number, chunkSize: number, account = 'a') {
  const run = await createRunEnqueuer({
    redis: redis.connection(),
    prefix,
    api: 'test',
    operation: 'create',
    parameters: { account },
    chunkSize,
    attempts: 2,
  });
  for (let line = 2; line < records + 2; line++) {
    await run.add({ line, record: { n: line }, item: { n: line } });
  }
  await run.addInvalid({ line: records + 2, state: 'invalid', reason: 'bad', record: {} });
  const result = await run.finish();
  await run.close();
  return result;
}

async function waitSettled(prefix: string, runId: string, timeoutMs = 20_000) {
  const store = new RunStore(redis.connection(), prefix);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await store.status(runId);
    if (status?.settled) return { status, store };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Run ${runId} did not settle`);
}

const fast = { lockDurationMs: 2000, stalledIntervalMs: 1000, slotRetryMs: 50 };

describe('createChunkWorker', () => {
  it('settles every chunk of a run with two workers, counting each record once', async () => {
    const writes = new Map<string, number>();
    const { runId, chunks, enqueued, invalid } = await enqueue('two', 450, 100);
    expect({ chunks, enqueued, invalid }).toEqual({ chunks: 5, enqueued: 450, invalid: 1 });
    const workers: ChunkWorker[] = [0, 1].map(() =>
      createChunkWorker({
        redis: redis.connection(),
        prefix: 'two',
        ...fast,
        concurrency: 2,
        openRun: async () => session(countingAdapter(writes, { delayMs: 5 })),
      }),
    );
    const { status } = await waitSettled('two', runId);
    await Promise.all(workers.map((worker) => worker.close()));
    expect(status).toMatchObject({ total: 451, succeeded: 450, failed: 1, chunksPending: 0 });
    expect(status.requests).toBe(9);
    expect(writes.size).toBe(450);
    expect([...writes.values()].every((count) => count === 1)).toBe(true);
  });

  it('settles the chunks of a run that always throws as failed records, and the queue moves on', async () => {
    const writes = new Map<string, number>();
    const poisoned = await enqueue('poison', 300, 100, 'broken');
    const healthy = await enqueue('poison', 100, 100, 'fine');
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'poison',
      ...fast,
      openRun: async (run) => {
        if (run.parameters.account === 'broken') throw new TypeError('No adapter for this run');
        return session(countingAdapter(writes));
      },
    });
    const { status, store } = await waitSettled('poison', poisoned.runId);
    const { status: other } = await waitSettled('poison', healthy.runId);
    await worker.close();
    expect(status).toMatchObject({ total: 301, succeeded: 0, failed: 301, unknown: 0 });
    expect(other).toMatchObject({ total: 101, succeeded: 100, failed: 1 });
    const [first] = await store.outcomes(poisoned.runId);
    expect(first!.attempts).toBe(2);
    expect(first!.failedRecords[0]).toMatchObject({
      line: 2,
      state: 'failed',
      reason: 'The chunk failed 2 times; the last time: No adapter for this run',
      record: { n: 2 },
    });
  }, 30_000);

  it('settles the records of a batch the vendor always refuses as failed', async () => {
    const writes = new Map<string, number>();
    const { runId } = await enqueue('refused', 200, 100);
    const adapter = countingAdapter(writes);
    const send = adapter.send.bind(adapter);
    adapter.send = async (batch, ctx) => {
      if (batch.some((item) => item.item.line === 150)) throw new TypeError('Refused for good');
      return send(batch, ctx);
    };
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'refused',
      ...fast,
      openRun: async () => session(adapter),
    });
    const { status } = await waitSettled('refused', runId);
    await worker.close();
    expect(status).toMatchObject({ total: 201, succeeded: 150, failed: 51 });
  });

  it('keeps a held-back account to its chunk slots, so that another account goes ahead', async () => {
    const writes = new Map<string, number>();
    const slow = await enqueue('fair', 400, 50, 'slow');
    const quick = await enqueue('fair', 200, 50, 'quick');
    let slowInFlight = 0;
    let mostSlowInFlight = 0;
    const slowAdapter = countingAdapter(writes, { delayMs: 300 });
    const send = slowAdapter.send.bind(slowAdapter);
    slowAdapter.send = async (batch, ctx) => {
      slowInFlight++;
      mostSlowInFlight = Math.max(mostSlowInFlight, slowInFlight);
      try {
        return await send(batch, ctx);
      } finally {
        slowInFlight--;
      }
    };
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'fair',
      ...fast,
      concurrency: 4,
      openRun: async (run) =>
        run.parameters.account === 'slow'
          ? session(slowAdapter, 'slow')
          : session(countingAdapter(writes), 'quick'),
    });
    const { status: quickStatus, store } = await waitSettled('fair', quick.runId);
    const slowWhenQuickDone = await store.status(slow.runId);
    await waitSettled('fair', slow.runId);
    await worker.close();
    expect(quickStatus.succeeded).toBe(200);
    // The quick account finished while most of the slow one was still to do.
    expect(slowWhenQuickDone!.succeeded).toBeLessThanOrEqual(200);
    expect(mostSlowInFlight).toBeLessThanOrEqual(2);
  }, 30_000);
});
