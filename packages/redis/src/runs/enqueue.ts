import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../types.js';
import { chunkJobId, defaultChunkQueueOptions, openChunkQueue } from './chunk-queue.js';
import { RunStore } from './run-store.js';
import type { ChunkEntry, FailedChunkRecord, RunDefinition } from './run-types.js';

/** Options of {@link createRunEnqueuer}. */
export interface RunEnqueuerOptions {
  /** The connection; the enqueuer does not close it. */
  redis: RedisConnection;
  /** The vendor, e.g. `mpdx`. */
  api: string;
  /** The operation, e.g. `preferences-create`. */
  operation: string;
  /** The operation's parameters for the workers. Never a token. */
  parameters: Record<string, unknown>;
  /**
   * Records per chunk (one queue job).
   * @default 1000
   */
  chunkSize?: number | undefined;
  /**
   * Most chunks of the run's account processed at once across every worker.
   * @default 2
   */
  chunksPerAccount?: number | undefined;
  /**
   * Attempts of a chunk whose processing throws before its records are settled as failed.
   * @default 3
   */
  attempts?: number | undefined;
  /**
   * Prefix of every key.
   * @default 'bulk-clients'
   */
  prefix?: string | undefined;
  /** @default a random UUID */
  runId?: string | undefined;
}

/** Defaults of {@link RunEnqueuerOptions}. */
export const defaultRunEnqueuerOptions = Object.freeze({
  chunkSize: 1000,
  chunksPerAccount: 2,
  prefix: 'bulk-clients',
});

/** Adds a run's records to the queue, a chunk at a time, as they are read. */
export interface RunEnqueuer {
  readonly runId: string;
  /** Adds a valid record; a full chunk goes to the queue (wait for it: backpressure). */
  add(entry: ChunkEntry): Promise<void>;
  /** Records a record refused before enqueueing, for `runs status --failed-out`. */
  addInvalid(record: FailedChunkRecord): Promise<void>;
  /** Queues the last chunk and marks the run complete. */
  finish(): Promise<{ runId: string; chunks: number; enqueued: number; invalid: number }>;
  /** Closes the queue handle (not the connection). */
  close(): Promise<void>;
}

/**
 * Starts a distributed run: writes its definition, then queues its records in chunks that
 * `createChunkWorker` processes. Workers may start on the first chunks while the rest is read.
 *
 * @example
 * const run = await createRunEnqueuer({ redis, api: 'mpdx', operation: 'preferences-create', parameters });
 * for (const entry of entries) await run.add(entry);
 * const { runId } = await run.finish();
 */
export async function createRunEnqueuer(options: RunEnqueuerOptions): Promise<RunEnqueuer> {
  const chunkSize = options.chunkSize ?? defaultRunEnqueuerOptions.chunkSize;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new TypeError(`Expected \`chunkSize\` to be a positive integer, got ${chunkSize}`);
  }
  const chunksPerAccount = options.chunksPerAccount ?? defaultRunEnqueuerOptions.chunksPerAccount;
  if (!Number.isInteger(chunksPerAccount) || chunksPerAccount < 1) {
    throw new TypeError(
      `Expected \`chunksPerAccount\` to be a positive integer, got ${chunksPerAccount}`,
    );
  }
  const attempts = options.attempts ?? defaultChunkQueueOptions.attempts;
  const prefix = options.prefix ?? defaultRunEnqueuerOptions.prefix;
  const store = new RunStore(options.redis, prefix);
  const queue = openChunkQueue(options.redis, prefix);
  const runId = options.runId ?? randomUUID();
  const run: RunDefinition = {
    runId,
    api: options.api,
    operation: options.operation,
    parameters: options.parameters,
    enqueuing: true,
    chunks: 0,
    enqueued: 0,
    invalid: 0,
    chunksPerAccount,
    createdAt: Date.now(),
  };
  await store.define(run);
  let pending: ChunkEntry[] = [];
  let invalid: FailedChunkRecord[] = [];
  const flushChunk = async () => {
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    const chunk = run.chunks++;
    run.enqueued += entries.length;
    await queue.add(
      'chunk',
      { runId, chunk, entries },
      {
        jobId: chunkJobId(runId, chunk),
        attempts,
        backoff: { type: 'exponential', delay: defaultChunkQueueOptions.backoffMs },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    );
  };
  const flushInvalid = async () => {
    const records = invalid;
    invalid = [];
    await store.addInvalid(runId, records);
  };
  return {
    runId,
    async add(entry) {
      pending.push(entry);
      if (pending.length >= chunkSize) await flushChunk();
    },
    async addInvalid(record) {
      run.invalid += 1;
      invalid.push(record);
      if (invalid.length >= 1000) await flushInvalid();
    },
    async finish() {
      await flushChunk();
      await flushInvalid();
      run.enqueuing = false;
      await store.define(run);
      return { runId, chunks: run.chunks, enqueued: run.enqueued, invalid: run.invalid };
    },
    async close() {
      await queue.close();
    },
  };
}
