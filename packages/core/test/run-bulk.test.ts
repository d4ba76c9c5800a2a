import { describe, expect, it } from 'vitest';
import type { BulkProgress, ItemOutcome } from '../src/bulk-report.js';
import { runBulk } from '../src/run-bulk.js';
import { accounted, countingItems, createScriptedAdapter, createTestClock } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

describe('runBulk batching', () => {
  it('sends batches of the vendor maximum by default, in input order', async () => {
    const adapter = createScriptedAdapter({ maxBatchSize: 10 });
    const report = await runBulk(items(25), adapter, { concurrency: 1 });
    expect(adapter.log).toEqual([
      'SEND [0..9]',
      'DONE [0..9]',
      'SEND [10..19]',
      'DONE [10..19]',
      'SEND [20..24]',
      'DONE [20..24]',
    ]);
    expect(report).toMatchObject({ total: 25, succeeded: 25, failed: 0, requests: 3, retries: 0 });
  });

  it('uses a smaller batchSize when asked', async () => {
    const adapter = createScriptedAdapter({ maxBatchSize: 10 });
    await runBulk(items(7), adapter, { batchSize: 3, concurrency: 1 });
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toEqual([
      'SEND [0..2]',
      'SEND [3..5]',
      'SEND [6]',
    ]);
  });

  it('closes a batch before it exceeds maxBatchBytes and sends an oversized item alone', async () => {
    const sizes = [40, 40, 40, 500, 10, 10];
    const adapter = createScriptedAdapter<{ n: number }>({ sizeOf: (item) => sizes[item.n]! });
    await runBulk(items(sizes.length), adapter, { maxBatchBytes: 100, concurrency: 1 });
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toEqual([
      'SEND [0..1]',
      'SEND [2]',
      'SEND [3]',
      'SEND [4..5]',
    ]);
  });

  it('measures items as JSON when the adapter has no sizeOf', async () => {
    const adapter = createScriptedAdapter<string>();
    // Each item serializes to 12 bytes ("xxxxxxxxxx" with quotes).
    await runBulk(['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxxxxxxx'], adapter, {
      maxBatchBytes: 24,
      concurrency: 1,
    });
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toEqual([
      'SEND [0..1]',
      'SEND [2]',
    ]);
  });

  it('reads async iterables', async () => {
    async function* generate() {
      for (let n = 0; n < 12; n++) yield { n };
    }
    const adapter = createScriptedAdapter({ maxBatchSize: 5 });
    const report = await runBulk(generate(), adapter, { concurrency: 2 });
    expect(report).toMatchObject({ total: 12, succeeded: 12, requests: 3 });
  });
});

describe('runBulk limits', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter({ maxBatchSize: 5, latencyMs: 100, clock });
    const report = await runBulk(items(100), adapter, { concurrency: 3, clock });
    expect(adapter.maxInFlight).toBe(3);
    expect(report.succeeded).toBe(100);
  });

  it('reads the input only as fast as batches leave (backpressure)', async () => {
    const clock = createTestClock();
    const source = countingItems(10_000);
    let pulledAtFirstSend = -1;
    const adapter = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 10,
      latencyMs: 10,
      clock,
      script: (call) => {
        if (pulledAtFirstSend < 0) pulledAtFirstSend = source.pulled();
        return call.batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    let maxAhead = 0;
    const report = await runBulk(source.items, adapter, {
      concurrency: 2,
      clock,
      onItem: (outcome) => {
        maxAhead = Math.max(maxAhead, source.pulled() - outcome.index);
      },
    });
    expect(report.total).toBe(10_000);
    expect(pulledAtFirstSend).toBeLessThanOrEqual(2 * 10 + 1);
    // Never more than the batches in flight plus the one being filled ahead of the settled item.
    expect(maxAhead).toBeLessThanOrEqual(3 * 10 + 1);
  });

  it('keeps no outcomes unless collect is set', async () => {
    const report = await runBulk(items(30), createScriptedAdapter());
    expect(report.outcomes).toBeUndefined();
  });

  it('collects outcomes ordered by index when asked', async () => {
    const clock = createTestClock();
    // Later batches answer first, so settlement order differs from input order.
    const adapter = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 2,
      clock,
      script: async (call) => {
        await clock.sleep(100 - call.batch[0]!.index, call.ctx.signal);
        return call.batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const seen: number[] = [];
    const report = await runBulk(items(6), adapter, {
      concurrency: 3,
      clock,
      collect: true,
      onItem: (outcome) => {
        seen.push(outcome.index);
      },
    });
    expect(seen).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect(report.outcomes?.map((outcome) => outcome.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(report.outcomes?.[3]).toEqual({
      index: 3,
      item: { n: 3 },
      status: 'succeeded',
      value: { id: 3 },
      attempts: 1,
    });
  });
});

describe('runBulk outcomes and events', () => {
  it('maps per-item failures of a successful response to the exact input items', async () => {
    const adapter = createScriptedAdapter<{ n: number }>({
      script: (call) =>
        call.batch.map((entry) =>
          entry.index % 4 === 1
            ? {
                kind: 'failed',
                error: { code: 'INVALID', message: `item ${entry.index} is invalid`, field: 'n' },
              }
            : { kind: 'succeeded', value: { id: entry.index } },
        ),
    });
    const drops: ItemOutcome<{ n: number }, { id: number }>[] = [];
    const report = await runBulk(items(12), adapter, {
      collect: true,
      onDrop: (outcome) => drops.push(outcome),
    });
    expect(report).toMatchObject({ total: 12, succeeded: 9, failed: 3, requests: 2 });
    expect(drops.map((outcome) => outcome.index).sort((a, b) => a - b)).toEqual([1, 5, 9]);
    expect(report.outcomes?.[5]?.error).toEqual({
      code: 'INVALID',
      message: 'item 5 is invalid',
      field: 'n',
    });
  });

  it('fails items that do not validate without sending them', async () => {
    const adapter = createScriptedAdapter<{ n: number }>({
      validate: (item, index) =>
        item.n === 3
          ? { code: 'missing_id', message: `item ${index}: id is required`, field: 'id' }
          : undefined,
    });
    const report = await runBulk(items(6), adapter, { collect: true });
    expect(adapter.sentCount.has(3)).toBe(false);
    expect(report.outcomes?.[3]).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: { code: 'missing_id' },
    });
    expect(report).toMatchObject({ succeeded: 5, failed: 1, total: 6 });
  });

  it('reports progress after every request and at the end', async () => {
    const snapshots: BulkProgress[] = [];
    await runBulk(items(25), createScriptedAdapter(), {
      concurrency: 1,
      onProgress: (progress) => snapshots.push(progress),
    });
    expect(snapshots.map((snapshot) => snapshot.done)).toEqual([10, 20, 25, 25]);
    expect(snapshots.at(-1)).toMatchObject({ total: 25, succeeded: 25, inFlight: 0, requests: 3 });
  });

  it('waits for an asynchronous onItem before going on', async () => {
    const clock = createTestClock();
    let writing = 0;
    let maxWriting = 0;
    const report = await runBulk(items(40), createScriptedAdapter(), {
      concurrency: 1,
      clock,
      onItem: async () => {
        writing += 1;
        maxWriting = Math.max(maxWriting, writing);
        await clock.sleep(1);
        writing -= 1;
      },
    });
    expect(report.succeeded).toBe(40);
    expect(maxWriting).toBeLessThanOrEqual(10);
  });

  it('treats a wrong number of results as an unknown outcome', async () => {
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      script: () => [{ kind: 'succeeded', value: { id: 0 } }],
    });
    const report = await runBulk(items(3), adapter, { collect: true });
    expect(report).toMatchObject({ unknown: 3, requests: 1 });
    expect(report.outcomes?.[0]?.error?.code).toBe('adapter_contract');
    expect(accounted(report)).toBe(true);
  });
});

describe('runBulk arguments', () => {
  const adapter = createScriptedAdapter({ maxBatchSize: 10 });
  it.each([
    [{ batchSize: 11 }, /batchSize.*at most 10/],
    [{ batchSize: 0 }, /batchSize/],
    [{ concurrency: 0 }, /concurrency/],
    [{ maxBatchBytes: -1 }, /maxBatchBytes/],
    [{ retry: { retries: -1 } }, /retry.retries/],
    [{ abortMode: 'later' as 'abort' }, /abortMode/],
    [{ onItem: 'x' as unknown as () => void }, /onItem/],
  ])('rejects %o with a TypeError naming it', async (options, message) => {
    await expect(runBulk(items(1), adapter, options)).rejects.toThrow(TypeError);
    await expect(runBulk(items(1), adapter, options)).rejects.toThrow(message);
  });

  it('rejects input that is not iterable', async () => {
    await expect(runBulk(42 as unknown as number[], adapter)).rejects.toThrow(/`items`/);
  });

  it('rejects an adapter without send', async () => {
    await expect(
      runBulk([1], { ...adapter, send: undefined } as unknown as typeof adapter),
    ).rejects.toThrow(/adapter.send/);
  });

  it('reports input errors with the report so far', async () => {
    function* broken() {
      yield { n: 0 };
      throw new Error('disk gone');
    }
    const error = await runBulk(broken(), createScriptedAdapter()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'BulkInputError', report: { total: 1, succeeded: 1 } });
  });
});
