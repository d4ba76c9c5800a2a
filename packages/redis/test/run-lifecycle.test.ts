import type { BulkAdapter } from '@bulk-clients/core';
import { describe, expect, it } from 'vitest';
import {
  CannotTakeRunError,
  type ChunkWorkerEvent,
  createChunkWorker,
  createRedisJournal,
  createRunEnqueuer,
  RunClosedError,
  type RunDefinition,
  type RunEnqueuerOptions,
  type RunSession,
  RunStore,
  runKeys,
} from '../src/index.js';
import { useRedisServer } from './redis-server.js';

const redis = useRedisServer();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function succeeding(sent: number[]): BulkAdapter<{ line: number }, number> {
  return {
    operation: 'test update',
    maxBatchSize: 50,
    idempotent: true,
    async send(batch) {
      return batch.map((item) => {
        sent.push(item.item.line);
        return { kind: 'succeeded' as const, value: item.item.line };
      });
    },
  };
}

function session(adapter: BulkAdapter<{ line: number }, number>): RunSession {
  return {
    adapter: adapter as unknown as RunSession['adapter'],
    accountKey: 'acct',
    batchSize: 50,
    close: async () => {},
  };
}

function enqueuer(prefix: string, extra: Partial<RunEnqueuerOptions> = {}) {
  return createRunEnqueuer({
    redis: redis.connection(),
    prefix,
    api: 'test',
    operation: 'update',
    parameters: {},
    chunkSize: 100,
    attempts: 2,
    ...extra,
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Not reached in ${timeoutMs} ms`);
    await sleep(50);
  }
}

const fast = { lockDurationMs: 2000, stalledIntervalMs: 1000, slotRetryMs: 50 };

describe('a worker that cannot take a run', () => {
  it('leaves its chunks to another worker without using up their attempts, and says why', async () => {
    const run = await enqueuer('declined');
    for (let line = 2; line < 302; line++) await run.add({ line, record: {}, item: { line } });
    const { runId } = await run.finish();
    await run.close();
    const store = new RunStore(redis.connection(), 'declined');
    const events: ChunkWorkerEvent[] = [];
    const without = createChunkWorker({
      redis: redis.connection(),
      prefix: 'declined',
      workerId: 'no-token',
      ...fast,
      declineRetryMs: 100,
      onEvent: (event) => events.push(event),
      openRun: async () => {
        throw new CannotTakeRunError('MPDX_TOKEN is not set on this worker');
      },
    });
    const waiting = await until(
      () => store.status(runId),
      (status) => (status?.declinedBy.length ?? 0) > 0,
    );
    expect(waiting!.declinedBy).toEqual([
      {
        worker: 'no-token',
        reason: 'MPDX_TOKEN is not set on this worker',
        at: expect.any(Number),
      },
    ]);
    // Well past the attempts a failing chunk gets (2): nothing is settled as failed.
    await sleep(1500);
    expect(await store.status(runId)).toMatchObject({
      failed: 0,
      chunksSettled: 0,
      chunksPending: 3,
      settled: false,
    });
    expect(events.filter((event) => event.type === 'run-declined')).toHaveLength(1);

    const sent: number[] = [];
    const withToken = createChunkWorker({
      redis: redis.connection(),
      prefix: 'declined',
      workerId: 'with-token',
      ...fast,
      openRun: async () => session(succeeding(sent)),
    });
    const done = await until(
      () => store.status(runId),
      (status) => status?.settled === true,
    );
    await Promise.all([without.close(), withToken.close()]);
    expect(done).toMatchObject({ total: 300, succeeded: 300, failed: 0, declinedBy: [] });
    expect(done!.workers).toEqual(['with-token']);
    expect(sent).toHaveLength(300);
    expect((await store.outcomes(runId)).map((outcome) => outcome.attempts)).toEqual([1, 1, 1]);
  }, 30_000);

  it('takes no chunk for a while after declining one, so that it cannot hold the run back', async () => {
    const run = await enqueuer('backoff', { chunkSize: 50 });
    for (let line = 2; line < 502; line++) await run.add({ line, record: {}, item: { line } });
    const { runId } = await run.finish();
    await run.close();
    let declines = 0;
    const without = createChunkWorker({
      redis: redis.connection(),
      prefix: 'backoff',
      ...fast,
      concurrency: 2,
      declineRetryMs: 3000,
      openRun: async () => {
        declines++;
        throw new CannotTakeRunError('VEC_TOKEN is not set on this worker');
      },
    });
    const sent: number[] = [];
    const withToken = createChunkWorker({
      redis: redis.connection(),
      prefix: 'backoff',
      ...fast,
      openRun: async () => session(succeeding(sent)),
    });
    const store = new RunStore(redis.connection(), 'backoff');
    const done = await until(
      () => store.status(runId),
      (status) => status?.settled === true,
    );
    await Promise.all([without.close(), withToken.close()]);
    expect(done).toMatchObject({ total: 500, succeeded: 500, failed: 0 });
    // At most one chunk per slot before it backs off, and perhaps once more after 3 s.
    expect(declines).toBeLessThanOrEqual(4);
  }, 30_000);
});

describe('a worker asked whether it is idle', () => {
  it('is idle when only chunks of runs it declined are left, and not while another run waits', async () => {
    const prefix = 'idle';
    const store = new RunStore(redis.connection(), prefix);
    const enqueue = async (lines: number) => {
      const run = await enqueuer(prefix);
      for (let line = 2; line < 2 + lines; line++) {
        await run.add({ line, record: {}, item: { line } });
      }
      const { runId } = await run.finish();
      await run.close();
      return runId;
    };
    const declinedRun = await enqueue(150);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: number[] = [];
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix,
      ...fast,
      declineRetryMs: 300,
      openRun: async (run) => {
        if (run.runId === declinedRun) {
          throw new CannotTakeRunError('MPDX_TOKEN is not set on this worker');
        }
        await gate;
        return session(succeeding(sent));
      },
    });
    try {
      expect(
        await until(
          () => worker.idle(),
          (idle) => idle,
        ),
      ).toBe(true);
      expect(worker.declinedRuns()).toEqual([declinedRun]);
      expect(await store.status(declinedRun)).toMatchObject({ chunksPending: 2, failed: 0 });

      // A run it can take: not idle while its chunk waits or is held up opening it.
      const other = await enqueue(100);
      for (let check = 0; check < 10; check++) {
        expect(await worker.idle()).toBe(false);
        await sleep(50);
      }
      release();
      await until(
        () => store.status(other),
        (status) => status?.settled === true,
      );
      expect(sent).toHaveLength(100);
      expect(
        await until(
          () => worker.idle(),
          (idle) => idle,
        ),
      ).toBe(true);
      expect(worker.declinedRuns()).toEqual([declinedRun]);
    } finally {
      release();
      await worker.close();
    }
  }, 30_000);
});

describe('a run whose enqueuing stops mid-way', () => {
  it('is closed with what was enqueued once the enqueuing process is gone', async () => {
    const run = await enqueuer('lost', { leaseMs: 400 });
    for (let line = 2; line < 252; line++) await run.add({ line, record: {}, item: { line } });
    // The process dies: it neither finishes the run nor renews its lease.
    await run.close();
    const store = new RunStore(redis.connection(), 'lost');
    expect((await store.status(run.runId))?.run.enqueuing).toBe(true);
    await sleep(600);
    const closed = await store.status(run.runId);
    expect(closed!.run).toMatchObject({ enqueuing: false, chunks: 2, enqueued: 200 });
    expect(closed!.run.interrupted).toMatch(/stopped before the end of its input/);
    expect(closed).toMatchObject({ total: 200, chunksPending: 2, settled: false });

    const sent: number[] = [];
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'lost',
      ...fast,
      openRun: async () => session(succeeding(sent)),
    });
    const done = await until(
      () => store.status(run.runId),
      (status) => status?.settled === true,
    );
    await worker.close();
    expect(done).toMatchObject({ total: 200, succeeded: 200, failed: 0 });
  }, 30_000);

  it('answers a worker that settled a chunk with when to look again, and closes it once lost', async () => {
    const run = await enqueuer('after-chunk', { leaseMs: 1500, keepForMs: 5000 });
    const store = new RunStore(redis.connection(), 'after-chunk');
    // Every chunk counted so far (none) is settled and the enqueuer is alive: look again later.
    const leaseLeft = await store.chunkSettled(run.runId);
    expect(leaseLeft).toBeGreaterThan(0);
    expect(leaseLeft).toBeLessThanOrEqual(1500);
    await run.close();
    await sleep(leaseLeft! + 100);
    expect(await store.chunkSettled(run.runId)).toBeUndefined();
    const definition = await store.definition(run.runId);
    expect(definition).toMatchObject({ enqueuing: false, chunks: 0 });
    expect(definition!.interrupted).toMatch(/stopped before the end of its input/);
    // Closed with nothing left to settle, so it expires.
    const ttl = await redis.connection().pttl(runKeys('after-chunk', run.runId).definition);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  }, 30_000);

  it('is closed by the worker that settles its chunks, and expires, with no reader', async () => {
    const connection = redis.connection();
    const keys = (runId: string) => runKeys('unread', runId);
    const definitionOf = async (runId: string) =>
      JSON.parse((await connection.get(keys(runId).definition)) ?? 'null') as RunDefinition | null;
    // One enqueuer dies while the worker is at work (its lease outlives the chunks), the other
    // before the worker starts (its lease is gone when the chunks settle).
    const early = await enqueuer('unread', { leaseMs: 1500, keepForMs: 3000 });
    const late = await enqueuer('unread', { leaseMs: 300, keepForMs: 3000 });
    for (const run of [early, late]) {
      for (let line = 2; line < 252; line++) await run.add({ line, record: {}, item: { line } });
      await run.close();
    }
    await sleep(400);
    const sent: number[] = [];
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'unread',
      ...fast,
      openRun: async () => session(succeeding(sent)),
    });
    try {
      for (const run of [late, early]) {
        // Closed, and expiring once its last chunk is settled too (whichever comes last).
        const [closed, ttl] = await until(
          () => Promise.all([definitionOf(run.runId), connection.pttl(keys(run.runId).definition)]),
          ([definition, ttl]) => definition?.enqueuing === false && ttl > 0,
        );
        expect(closed).toMatchObject({ chunks: 2, enqueued: 200 });
        expect(closed!.interrupted).toMatch(/stopped before the end of its input/);
        expect(ttl).toBeLessThanOrEqual(3000);
      }
      expect(sent).toHaveLength(400);
    } finally {
      await worker.close();
    }
    const status = await new RunStore(connection, 'unread').status(early.runId);
    expect(status).toMatchObject({ total: 200, succeeded: 200, settled: true });
  }, 30_000);

  it('takes back the last chunk counted when its process died before queueing it', async () => {
    const connection = redis.connection();
    const store = new RunStore(connection, 'takeback');
    const definition: RunDefinition = {
      runId: 'r1',
      api: 'test',
      operation: 'update',
      parameters: {},
      enqueuing: true,
      chunks: 1,
      enqueued: 100,
      lastChunkRecords: 100,
      invalid: 0,
      chunksPerAccount: 2,
      createdAt: Date.now(),
    };
    // No lease and no chunk on the queue: the process died between the two writes.
    await store.define(definition);
    const status = await store.status('r1');
    expect(status!.run).toMatchObject({ enqueuing: false, chunks: 0, enqueued: 0 });
    expect(status).toMatchObject({ total: 0, chunksPending: 0, settled: true });
  });

  it('refuses to go on enqueueing a run that was closed without it', async () => {
    const run = await enqueuer('late', { leaseMs: 300 });
    for (let line = 2; line < 52; line++) await run.add({ line, record: {}, item: { line } });
    // A pause longer than the lease (the renewal stopped), and a reader closes the run.
    await run.close();
    await sleep(450);
    const store = new RunStore(redis.connection(), 'late');
    expect((await store.status(run.runId))?.run.enqueuing).toBe(false);
    const adding = (async () => {
      for (let line = 52; line < 152; line++) await run.add({ line, record: {}, item: { line } });
    })();
    await expect(adding).rejects.toBeInstanceOf(RunClosedError);
    await expect(adding).rejects.toThrow(/closed as interrupted/);
  });

  it('keeps the records of a chunk Redis failed to take, and queues them with the next write', async () => {
    const connection = redis.connection();
    const original = connection.eval.bind(connection) as (...args: unknown[]) => Promise<unknown>;
    let failNext = false;
    // Only the run's own scripts go through eval (BullMQ has its own commands).
    (connection as unknown as { eval: (...args: unknown[]) => Promise<unknown> }).eval = async (
      ...args
    ) => {
      if (failNext) {
        failNext = false;
        throw new Error('Connection is closed.');
      }
      return original(...args);
    };
    const run = await createRunEnqueuer({
      redis: connection,
      prefix: 'flaky',
      api: 'test',
      operation: 'update',
      parameters: {},
      chunkSize: 100,
    });
    for (let line = 2; line < 102; line++) await run.add({ line, record: {}, item: { line } });
    failNext = true;
    const adding = (async () => {
      for (let line = 102; line < 202; line++) await run.add({ line, record: {}, item: { line } });
    })();
    await expect(adding).rejects.toThrow(/Connection is closed/);
    // The caller goes on: the records of the failed chunk are still pending.
    for (let line = 202; line < 252; line++) await run.add({ line, record: {}, item: { line } });
    const result = await run.finish();
    await run.close();
    expect(result).toMatchObject({ chunks: 3, enqueued: 250 });
    const sent: number[] = [];
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'flaky',
      ...fast,
      openRun: async () => session(succeeding(sent)),
    });
    const store = new RunStore(redis.connection(), 'flaky');
    const done = await until(
      () => store.status(result.runId),
      (status) => status?.settled === true,
    );
    await worker.close();
    expect(done).toMatchObject({ total: 250, succeeded: 250, failed: 0 });
    expect(sent.sort((a, b) => a - b)).toEqual(Array.from({ length: 250 }, (_, i) => i + 2));
  }, 30_000);

  it('records why an enqueue was stopped on purpose', async () => {
    const run = await enqueuer('stopped');
    for (let line = 2; line < 52; line++) await run.add({ line, record: {}, item: { line } });
    await run.finish({ interrupted: 'Stopped by SIGINT at line 51' });
    await run.close();
    const status = await new RunStore(redis.connection(), 'stopped').status(run.runId);
    expect(status!.run).toMatchObject({
      enqueuing: false,
      enqueued: 50,
      interrupted: 'Stopped by SIGINT at line 51',
    });
  });
});

describe('run retention', () => {
  it('drops chunk journals as chunks settle, and expires a settled run after keepForMs', async () => {
    const connection = redis.connection();
    const run = await enqueuer('keep', { keepForMs: 1500 });
    for (let line = 2; line < 252; line++) await run.add({ line, record: {}, item: { line } });
    const { runId } = await run.finish();
    await run.close();
    const store = new RunStore(connection, 'keep');
    const keys = runKeys('keep', runId);
    const sent: number[] = [];
    const worker = createChunkWorker({
      redis: redis.connection(),
      prefix: 'keep',
      ...fast,
      openRun: async () => session(succeeding(sent)),
    });
    await until(
      () => store.status(runId),
      (status) => status?.settled === true,
    );
    await worker.close();
    expect(await connection.keys(`${keys.definition}:journal:*`)).toEqual([]);
    const ttl = await connection.pttl(keys.definition);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1500);
    expect(await connection.pttl(keys.outcomes)).toBeGreaterThan(0);
    expect(await store.list()).toEqual([runId]);
    await sleep(1700);
    expect(await store.status(runId)).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(await connection.zcard('keep:runs')).toBe(0);
  }, 30_000);

  it('keeps a run that is not settled', async () => {
    const connection = redis.connection();
    const run = await enqueuer('unsettled', { keepForMs: 1000 });
    await run.add({ line: 2, record: {}, item: { line: 2 } });
    const { runId } = await run.finish();
    await run.close();
    const store = new RunStore(connection, 'unsettled');
    expect(await store.expireIfSettled(runId)).toBe(false);
    expect(await connection.pttl(runKeys('unsettled', runId).definition)).toBe(-1);
  });

  it('gives a journal an expiry on its first append, in one round trip', async () => {
    const connection = redis.connection();
    const journal = createRedisJournal({ redis: connection, key: 'j:ttl', ttlMs: 60_000 });
    await journal.append([{ type: 'sent', batch: 0, indexes: [0, 1] } as never]);
    const ttl = await connection.pttl('j:ttl');
    expect(ttl).toBeGreaterThan(59_000);
    await journal.append([{ type: 'sent', batch: 1, indexes: [2] } as never]);
    expect(await connection.llen('j:ttl')).toBe(2);
    expect(await connection.pttl('j:ttl')).toBeGreaterThan(0);
    expect(() => createRedisJournal({ redis: connection, key: 'j', ttlMs: 0 })).toThrow(/ttlMs/);
  });
});
