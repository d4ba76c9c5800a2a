import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../types.js';
import { chunkJobId, defaultChunkQueueOptions, openChunkQueue } from './chunk-queue.js';
import { DEFAULT_KEEP_RUN_MS, RunStore, runIndexKey } from './run-store.js';
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
  /**
   * How long the run's keys (definition, outcomes, failed records) stay in Redis once every
   * record is settled; a chunk's journal is deleted as soon as the chunk is settled.
   * @default 7 days
   */
  keepForMs?: number | undefined;
  /**
   * The enqueuing process holds a lease on the run, renewed every third of it. When it lapses
   * (the process died mid-way), the run is closed with what was enqueued, and says so.
   * @default 30000
   */
  leaseMs?: number | undefined;
}

/** Defaults of {@link RunEnqueuerOptions}. */
export const defaultRunEnqueuerOptions = Object.freeze({
  chunkSize: 1000,
  chunksPerAccount: 2,
  prefix: 'bulk-clients',
  keepForMs: DEFAULT_KEEP_RUN_MS,
  leaseMs: 30_000,
});

/** The enqueue of a run outlived its lease: the run was closed without this process. */
export class RunClosedError extends Error {
  override readonly name = 'RunClosedError';
}

// KEYS: definition, enqueuer lease. ARGV: the definition to write ('' to only renew), lease ms,
// holder. Refused (0) once the lease lapsed and a reader closed the run as interrupted.
const ENQUEUE_PROGRESS = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  local text = redis.call('GET', KEYS[1])
  if not text or not cjson.decode(text).enqueuing then return 0 end
end
if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
return 1
`;

/** Adds a run's records to the queue, a chunk at a time, as they are read. */
export interface RunEnqueuer {
  readonly runId: string;
  /** Adds a valid record; a full chunk goes to the queue (wait for it: backpressure). */
  add(entry: ChunkEntry): Promise<void>;
  /** Records a record refused before enqueueing, for `runs status --failed-out`. */
  addInvalid(record: FailedChunkRecord): Promise<void>;
  /**
   * Queues the last chunk and marks the run complete. With `interrupted`, the run is marked as
   * holding only what was enqueued so far, for that reason (e.g. the user stopped the enqueue).
   */
  finish(options?: {
    interrupted?: string | undefined;
  }): Promise<{ runId: string; chunks: number; enqueued: number; invalid: number }>;
  /** Stops renewing the lease and closes the queue handle (not the connection). */
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
  const keepForMs = options.keepForMs ?? defaultRunEnqueuerOptions.keepForMs;
  if (!Number.isInteger(keepForMs) || keepForMs < 1000) {
    throw new TypeError(
      `Expected \`keepForMs\` to be an integer of at least 1000, got ${keepForMs}`,
    );
  }
  const leaseMs = options.leaseMs ?? defaultRunEnqueuerOptions.leaseMs;
  if (!Number.isInteger(leaseMs) || leaseMs < 300) {
    throw new TypeError(`Expected \`leaseMs\` to be an integer of at least 300, got ${leaseMs}`);
  }
  const { redis } = options;
  const store = new RunStore(redis, prefix);
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
    keepForMs,
    createdAt: Date.now(),
  };
  const keys = store.keys(runId);
  const holder = randomUUID();
  await redis
    .multi()
    .set(keys.enqueuer, holder, 'PX', leaseMs)
    .set(keys.definition, JSON.stringify(run))
    .zadd(runIndexKey(prefix), run.createdAt, runId)
    .exec();
  /** Writes the definition (or only renews the lease); throws once the run was closed. */
  const progress = async (definition: RunDefinition | undefined) => {
    const answer = await redis.eval(
      ENQUEUE_PROGRESS,
      2,
      keys.definition,
      keys.enqueuer,
      definition ? JSON.stringify(definition) : '',
      leaseMs,
      holder,
    );
    if (answer !== 1) {
      throw new RunClosedError(
        `Run ${runId} was closed as interrupted while this process was still enqueueing it ` +
          `(its lease of ${leaseMs} ms lapsed): ${run.enqueued} records were enqueued; ` +
          'enqueue the others as a new run',
      );
    }
  };
  const renewal = setInterval(
    () => void progress(undefined).catch(() => {}),
    Math.max(100, Math.floor(leaseMs / 3)),
  );
  renewal.unref();
  const pending: ChunkEntry[] = [];
  let invalid: FailedChunkRecord[] = [];
  /** Queues the next chunk (at most `chunkSize` records); on failure they stay pending. */
  const flushChunk = async () => {
    if (pending.length === 0) return;
    const entries = pending.splice(0, chunkSize);
    const chunk = run.chunks;
    const counted = { chunks: run.chunks, enqueued: run.enqueued, last: run.lastChunkRecords };
    try {
      // Counted before it is queued: a reader that finds the enqueuer gone takes it back unless
      // it is on the queue.
      await progress({
        ...run,
        chunks: chunk + 1,
        enqueued: run.enqueued + entries.length,
        lastChunkRecords: entries.length,
      });
      run.chunks = chunk + 1;
      run.enqueued += entries.length;
      run.lastChunkRecords = entries.length;
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
    } catch (error) {
      // Not queued, or not known to be: the same records go again as the same chunk (a job id
      // already queued is not queued twice), and the next write of the run corrects its counts.
      run.chunks = counted.chunks;
      run.enqueued = counted.enqueued;
      run.lastChunkRecords = counted.last;
      pending.unshift(...entries);
      throw error;
    }
  };
  const flushInvalid = async () => {
    const records = invalid;
    invalid = [];
    try {
      await store.addInvalid(runId, records);
    } catch (error) {
      invalid.unshift(...records);
      throw error;
    }
  };
  return {
    runId,
    async add(entry) {
      pending.push(entry);
      while (pending.length >= chunkSize) await flushChunk();
    },
    async addInvalid(record) {
      run.invalid += 1;
      invalid.push(record);
      if (invalid.length >= 1000) await flushInvalid();
    },
    async finish(finishOptions = {}) {
      while (pending.length > 0) await flushChunk();
      await flushInvalid();
      await progress({
        ...run,
        enqueuing: false,
        ...(finishOptions.interrupted === undefined
          ? {}
          : { interrupted: finishOptions.interrupted }),
      });
      run.enqueuing = false;
      clearInterval(renewal);
      await redis.del(keys.enqueuer);
      await store.expireIfSettled(runId);
      return { runId, chunks: run.chunks, enqueued: run.enqueued, invalid: run.invalid };
    },
    async close() {
      clearInterval(renewal);
      await queue.close();
    },
  };
}
