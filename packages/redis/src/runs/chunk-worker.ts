import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type BulkAdapter,
  type ItemOutcome,
  type JournalState,
  type RequestLimiter,
  replayJournal,
  runBulk,
} from '@bulk-clients/core';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { createRedisJournal } from '../redis-journal.js';
import type { RedisConnection } from '../types.js';
import { AccountSlots } from './account-slots.js';
import { CHUNK_QUEUE_NAME, openChunkQueue, queuePrefixOf, runIdOfChunkJob } from './chunk-queue.js';
import { DEFAULT_KEEP_RUN_MS, RunStore } from './run-store.js';
import type {
  ChunkEntry,
  ChunkJobData,
  ChunkOutcome,
  FailedChunkRecord,
  RunDefinition,
} from './run-types.js';

/** What a worker needs to process the chunks of one run: the vendor adapter and its budget. */
export interface RunSession {
  /** The vendor adapter over chunk entries (the same one a local run of the command uses). */
  adapter: BulkAdapter<ChunkEntry, unknown>;
  /** The account's shared limiter (a Redis limiter), so that throttling is reported. */
  limiter?: RequestLimiter | undefined;
  /**
   * Names the account whose chunks are capped at the run's `chunksPerAccount` (the Redis
   * limiter's `key` is a good one: every process of the account computes the same).
   */
  accountKey: string;
  /** Records per request. */
  batchSize: number;
  /** Requests in flight at once within a chunk. @default core's default (4) */
  concurrency?: number | undefined;
  /** The engine's bound on one send. @default core's default */
  requestTimeoutMs?: number | undefined;
  /** Lets go of the session's resources (connections, sockets). */
  close(): Promise<void>;
}

/**
 * Thrown by `openRun` when this worker cannot take a run's chunks, for a reason of its own (it
 * lacks the vendor's token, a file, or the command): the chunks are left on the queue for
 * another worker, without using up an attempt, and `RunStore.status` names this worker and the
 * reason while the run waits.
 */
export class CannotTakeRunError extends Error {
  override readonly name = 'CannotTakeRunError';
}

/** What a worker reports as it goes, for logs. */
export type ChunkWorkerEvent =
  | { type: 'chunk-started'; runId: string; chunk: number; records: number; attempt: number }
  /** Once per run (until the worker opens it after all): its chunks are left to others. */
  | { type: 'run-declined'; runId: string; reason: string }
  | { type: 'chunk-settled'; runId: string; chunk: number; outcome: ChunkOutcome }
  | { type: 'chunk-retry'; runId: string; chunk: number; attempt: number; error: Error }
  | { type: 'error'; error: Error };

/** Options of {@link createChunkWorker}. */
export interface ChunkWorkerOptions {
  /**
   * The connection for journals and run outcomes; the worker does not close it. The queue's
   * blocking connection is a duplicate of it.
   */
  redis: RedisConnection;
  /** Opens a run's session the first time this worker takes one of its chunks. */
  openRun(run: RunDefinition): Promise<RunSession>;
  /**
   * Prefix of every key (the enqueuer's).
   * @default 'bulk-clients'
   */
  prefix?: string | undefined;
  /**
   * Chunks this worker processes at once.
   * @default 1
   */
  concurrency?: number | undefined;
  /**
   * How long a chunk stays locked to its worker without a renewal (renewed every half of it
   * while the worker lives). A worker killed mid-chunk gives its chunk up after at most this
   * plus `stalledIntervalMs`; its account slot is freed after this.
   * @default 30000
   */
  lockDurationMs?: number | undefined;
  /**
   * How often this worker looks for chunks whose worker died.
   * @default 30000
   */
  stalledIntervalMs?: number | undefined;
  /**
   * Times a chunk may lose its worker before its records are settled from its journal (the
   * records that were in flight as unknown, the others as failed).
   * @default 5
   */
  maxStalledCount?: number | undefined;
  /**
   * Longest wait before a chunk whose account has no free slot is looked at again.
   * @default 1000
   */
  slotRetryMs?: number | undefined;
  /**
   * Longest wait before a chunk this worker declined ({@link CannotTakeRunError}) is offered to
   * the workers again; this worker also takes no chunk for that long, so that it cannot hold
   * back every chunk of the run by declining them faster than other workers take them.
   * @default 5000
   */
  declineRetryMs?: number | undefined;
  /** @default `<hostname>/<pid>/<random>` */
  workerId?: string | undefined;
  /** Called for each event, for logs. */
  onEvent?: ((event: ChunkWorkerEvent) => void) | undefined;
}

/** Defaults of {@link ChunkWorkerOptions}. */
export const defaultChunkWorkerOptions = Object.freeze({
  prefix: 'bulk-clients',
  concurrency: 1,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 5,
  slotRetryMs: 1000,
  declineRetryMs: 5000,
});

/** A running worker. */
export interface ChunkWorker {
  readonly id: string;
  /**
   * Whether the queue holds nothing this worker could take (for `--exit-when-idle`): nothing
   * waiting, delayed or in process, or only chunks of runs it declined
   * ({@link CannotTakeRunError}) while no chunk is in process anywhere. It reads the ids of at
   * most 1,000 queued chunks: a longer queue is not idle.
   */
  idle(): Promise<boolean>;
  /** The runs this worker declined and has not opened since (for its closing words). */
  declinedRuns(): string[];
  /** Takes no new chunk, settles the ones it holds, then closes its sessions. */
  close(): Promise<void>;
}

/** The most queued chunk ids `idle()` reads to tell declined runs' chunks from others. */
const IDLE_EXAMINED_CHUNKS = 1000;

/** How long after an enqueuer's lease would run out a worker looks whether it was renewed. */
const LEASE_CHECK_SLACK_MS = 100;

/** Not every record of a chunk could be sent with its shared checks: try the chunk again. */
class ChunkNotSettledError extends Error {
  override readonly name = 'ChunkNotSettledError';
}

/**
 * Takes chunks from the queue and writes them through their run's vendor adapter with
 * `runBulk`, a Redis journal per chunk (a chunk retried after its worker died reconciles before
 * it resends, and sends the same create ids) and the account's shared limiter. Each chunk's
 * outcome is written once; run totals are the sum of the chunks'.
 *
 * @example
 * const worker = createChunkWorker({ redis, openRun: async (run) => sessionFor(run) });
 * process.on('SIGTERM', () => void worker.close());
 */
export function createChunkWorker(options: ChunkWorkerOptions): ChunkWorker {
  if (!options || typeof options.openRun !== 'function') {
    throw new TypeError('Expected `openRun` to be a function');
  }
  const settings = { ...defaultChunkWorkerOptions, ...definedOf(options) };
  const { redis, openRun } = options;
  const { prefix } = settings;
  const id = settings.workerId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const store = new RunStore(redis, prefix);
  const slots = new AccountSlots(redis, settings.lockDurationMs);
  const emit = (event: ChunkWorkerEvent) => settings.onEvent?.(event);
  const definitions = new Map<string, Promise<RunDefinition | undefined>>();
  const sessions = new Map<string, Promise<RunSession>>();
  /** Runs this worker declined, so that it says so once per run. */
  const declined = new Set<string>();

  const definitionOf = (runId: string) => {
    let found = definitions.get(runId);
    if (!found) {
      found = store.definition(runId);
      definitions.set(runId, found);
      found.catch(() => definitions.delete(runId));
    }
    return found;
  };
  const sessionOf = (run: RunDefinition) => {
    let found = sessions.get(run.runId);
    if (!found) {
      found = openRun(run);
      sessions.set(run.runId, found);
      found.catch(() => sessions.delete(run.runId));
    }
    return found;
  };

  const runChunk = async (
    job: Job<ChunkJobData>,
    session: RunSession,
  ): Promise<{ outcome: ChunkOutcome; notSent: number }> => {
    const { runId, chunk, entries } = job.data;
    const startedAt = Date.now();
    const failedRecords: FailedChunkRecord[] = [];
    let notSent = 0;
    const report = await runBulk(entries, session.adapter, {
      batchSize: session.batchSize,
      concurrency: session.concurrency,
      limiter: session.limiter,
      requestTimeoutMs: session.requestTimeoutMs,
      journal: journalOf(runId, chunk),
      // One run id per chunk: create ids derived from it are the same on every attempt.
      runId: `${runId}:${chunk}`,
      onItem: (outcome) => {
        if (outcome.status === 'succeeded') return;
        if (outcome.error?.code === 'ERR_NOT_SENT') notSent++;
        failedRecords.push(failedRecordOf(outcome));
      },
    });
    return {
      notSent,
      outcome: {
        chunk,
        worker: id,
        succeeded: report.succeeded,
        failed: report.failed,
        unknown: report.unknown,
        skipped: report.skipped,
        requests: report.requests,
        retries: report.retries,
        throttledMs: Math.round(report.throttledMs),
        startedAt,
        finishedAt: Date.now(),
        attempts: job.attemptsMade + 1,
        failedRecords,
      },
    };
  };

  const journalOf = (runId: string, chunk: number) =>
    createRedisJournal({
      redis,
      key: store.keys(runId).journal(chunk),
      ttlMs: keepForMs.get(runId) ?? DEFAULT_KEEP_RUN_MS,
    });
  const keepForMs = new Map<string, number>();

  /** Writes a chunk's outcome once; the last one of a run sets the run's keys to expire. */
  const settle = async (runId: string, outcome: ChunkOutcome) => {
    if (!(await store.settleChunk(runId, outcome))) return;
    emit({ type: 'chunk-settled', runId, chunk: outcome.chunk, outcome });
    await store.dropJournal(runId, outcome.chunk);
    scheduleLeaseCheck(runId, await store.chunkSettled(runId));
  };

  // A run whose enqueuing process died is closed by whoever notices its lease gone: a reader of
  // its status, or the worker that settles its chunks, so that it ends (and expires) even when
  // nobody asks. When this worker has caught up with a live enqueuer, it looks again once the
  // lease would have run out without renewal.
  const leaseChecks = new Map<string, ReturnType<typeof setTimeout>>();
  const scheduleLeaseCheck = (runId: string, leaseLeft: number | undefined): void => {
    if (leaseLeft === undefined || closing || leaseChecks.has(runId)) return;
    const timer = setTimeout(() => {
      leaseChecks.delete(runId);
      store
        .closeIfEnqueuerLost(runId)
        .then((left) => scheduleLeaseCheck(runId, left))
        .catch((error: Error) => emit({ type: 'error', error }));
    }, leaseLeft + LEASE_CHECK_SLACK_MS);
    timer.unref();
    leaseChecks.set(runId, timer);
  };

  /** Settles a chunk that cannot be processed from what its journal recorded. */
  const settleFromJournal = async (job: Job<ChunkJobData>, reason: string) => {
    const { runId, chunk, entries } = job.data;
    const state = replayJournal(await journalOf(runId, chunk).load());
    await settle(runId, outcomeFromJournal(job, state, entries, reason, id));
  };

  /** Leaves a chunk on the queue for another worker, without using up one of its attempts. */
  const decline = async (job: Job<ChunkJobData>, token: string | undefined, error: Error) => {
    const { runId } = job.data;
    await store.declined(runId, id, error.message);
    if (!declined.has(runId)) {
      declined.add(runId);
      emit({ type: 'run-declined', runId, reason: error.message });
    }
    const waitMs = Math.round(settings.declineRetryMs * (0.5 + Math.random() / 2));
    await job.moveToDelayed(Date.now() + waitMs, token);
    backOff();
    throw new DelayedError();
  };
  let closing = false;
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;
  const backOff = () => {
    if (closing || resumeTimer) return;
    void worker.pause(true).catch(() => {});
    resumeTimer = setTimeout(() => {
      resumeTimer = undefined;
      if (!closing) worker.resume();
    }, settings.declineRetryMs);
  };

  const processChunk = async (job: Job<ChunkJobData>, token?: string): Promise<void> => {
    const { runId, chunk, entries } = job.data;
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let slot: string | undefined;
    let renew: ReturnType<typeof setInterval> | undefined;
    try {
      const run = await definitionOf(runId);
      if (run === undefined) throw new UnrecoverableError(`Run ${runId} is not in Redis`);
      if (await store.hasOutcome(runId, chunk)) return;
      if (run.keepForMs !== undefined) keepForMs.set(runId, run.keepForMs);
      let session: RunSession;
      try {
        session = await sessionOf(run);
      } catch (error) {
        if (error instanceof CannotTakeRunError) await decline(job, token, error);
        throw error;
      }
      declined.delete(runId);
      const slotKey = `${session.accountKey}:chunks`;
      if (!(await slots.take(slotKey, job.id!, run.chunksPerAccount))) {
        // The account is busy elsewhere: give the worker slot to another account's chunk.
        const waitMs = Math.round(settings.slotRetryMs * (0.5 + Math.random() / 2));
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      slot = slotKey;
      renew = setInterval(
        () => void slots.take(slotKey, job.id!, Number.MAX_SAFE_INTEGER).catch(() => {}),
        Math.max(100, Math.floor(settings.lockDurationMs / 3)),
      );
      await store.seenWorker(runId, id);
      emit({
        type: 'chunk-started',
        runId,
        chunk,
        records: entries.length,
        attempt: job.attemptsMade + 1,
      });
      const { outcome, notSent } = await runChunk(job, session);
      if (notSent > 0 && !lastAttempt) {
        throw new ChunkNotSettledError(
          `${notSent} records of the chunk were not sent (${outcome.failedRecords.find((r) => r.reason)?.reason ?? 'not sent'})`,
        );
      }
      await settle(runId, outcome);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      const failure = error instanceof Error ? error : new Error(String(error));
      if (lastAttempt || error instanceof UnrecoverableError) {
        if (error instanceof UnrecoverableError && failure.message.includes('is not in Redis')) {
          throw error;
        }
        await settleFromJournal(
          job,
          `The chunk failed ${job.attemptsMade + 1} times; the last time: ${failure.message}`,
        );
        return;
      }
      emit({ type: 'chunk-retry', runId, chunk, attempt: job.attemptsMade + 1, error: failure });
      throw error;
    } finally {
      if (renew) clearInterval(renew);
      if (slot) await slots.release(slot, job.id!).catch(() => {});
    }
  };

  const connection = redis.duplicate({ maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const worker = new Worker<ChunkJobData>(CHUNK_QUEUE_NAME, processChunk, {
    connection,
    prefix: queuePrefixOf(prefix),
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
  });
  worker.on('error', (error) => emit({ type: 'error', error }));
  // A chunk that lost its worker too often fails without reaching `process`: settle it here.
  worker.on('failed', (job) => {
    if (!job) return;
    void (async () => {
      if ((await job.getState()) !== 'failed') return;
      if (await store.hasOutcome(job.data.runId, job.data.chunk)) return;
      await settleFromJournal(job, `The chunk failed: ${job.failedReason}`);
    })().catch((error: Error) => emit({ type: 'error', error }));
  });
  const queue = openChunkQueue(redis, prefix);
  queue.on('error', (error) => emit({ type: 'error', error }));

  return {
    id,
    async idle() {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      const queued = (counts.wait ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
      if ((counts.active ?? 0) > 0) return false;
      if (queued === 0) return true;
      if (declined.size === 0 || queued > IDLE_EXAMINED_CHUNKS) return false;
      const ids = await queue.getRanges(['wait', 'delayed', 'prioritized'], 0, queued);
      return ids.every((jobId) => declined.has(runIdOfChunkJob(jobId)));
    },
    declinedRuns() {
      return [...declined];
    },
    async close() {
      closing = true;
      if (resumeTimer) clearTimeout(resumeTimer);
      for (const timer of leaseChecks.values()) clearTimeout(timer);
      leaseChecks.clear();
      await worker.close();
      await queue.close();
      const opened = await Promise.allSettled([...sessions.values()]);
      await Promise.allSettled(
        opened.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
      );
      connection.disconnect();
    },
  };
}

function failedRecordOf(outcome: ItemOutcome<ChunkEntry, unknown>): FailedChunkRecord {
  const state: FailedChunkRecord['state'] =
    outcome.status === 'unknown'
      ? 'unknown'
      : outcome.status === 'skipped'
        ? 'skipped'
        : outcome.attempts === 0 && !outcome.resumed
          ? 'invalid'
          : 'failed';
  const record: FailedChunkRecord = {
    line: outcome.item.line,
    state,
    reason: outcome.error?.message ?? outcome.status,
    record: outcome.item.record,
  };
  if (outcome.error?.field !== undefined) record.field = outcome.error.field;
  if (outcome.error?.status !== undefined) record.status = outcome.error.status;
  return record;
}

function outcomeFromJournal(
  job: Job<ChunkJobData>,
  state: JournalState,
  entries: readonly ChunkEntry[],
  reason: string,
  worker: string,
): ChunkOutcome {
  const succeeded = new Set<number>();
  for (const [first, last] of state.succeeded) {
    for (let index = first; index <= last; index++) succeeded.add(index);
  }
  const inFlight = new Set(state.inFlight.flatMap((batch) => batch.indexes));
  const now = Date.now();
  const outcome: ChunkOutcome = {
    chunk: job.data.chunk,
    worker,
    succeeded: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    requests: 0,
    retries: 0,
    throttledMs: 0,
    startedAt: job.processedOn ?? now,
    finishedAt: now,
    attempts: job.attemptsMade + 1,
    failedRecords: [],
  };
  entries.forEach((entry, index) => {
    if (succeeded.has(index)) {
      outcome.succeeded++;
      return;
    }
    const failure = state.failed.get(index);
    const unknown = failure === undefined && inFlight.has(index);
    if (unknown) outcome.unknown++;
    else outcome.failed++;
    outcome.failedRecords.push({
      line: entry.line,
      state: unknown ? 'unknown' : 'failed',
      reason: failure
        ? failure.message
        : unknown
          ? `In flight when the chunk was given up, so the vendor may have applied it. ${reason}`
          : reason,
      record: entry.record,
    });
  });
  return outcome;
}

function definedOf<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
