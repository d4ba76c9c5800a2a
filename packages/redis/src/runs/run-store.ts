import type { RedisConnection } from '../types.js';
import { chunkJobId, openChunkQueue } from './chunk-queue.js';
import type {
  ChunkOutcome,
  DeclinedBy,
  FailedChunkRecord,
  RunDefinition,
  RunStatus,
} from './run-types.js';

/** How long a run's keys stay in Redis once it is settled, unless the run says otherwise. */
export const DEFAULT_KEEP_RUN_MS = 7 * 24 * 60 * 60 * 1000;

/** Where a run's keys live: `<prefix>:run:{<runId>}...` (one Redis Cluster slot per run). */
export function runKeys(prefix: string, runId: string) {
  const base = `${prefix}:run:{${runId}}`;
  return {
    definition: base,
    outcomes: `${base}:outcomes`,
    invalid: `${base}:invalid`,
    workers: `${base}:workers`,
    declined: `${base}:declined`,
    /** Held by the enqueuing process while it enqueues (a lease it renews). */
    enqueuer: `${base}:enqueuer`,
    journal: (chunk: number) => `${base}:journal:${chunk}`,
  };
}

// KEYS: definition, outcomes, invalid, workers, declined. ARGV: the default keep ms.
// Sets every key of a settled run to expire (once); answers 1 when it did, 2 when the run is
// still being enqueued (it cannot be settled yet), else 0.
const EXPIRE_IF_SETTLED = `
local text = redis.call('GET', KEYS[1])
if not text then return 0 end
local run = cjson.decode(text)
if run.enqueuing then return 2 end
if redis.call('HLEN', KEYS[2]) < tonumber(run.chunks) then return 0 end
if redis.call('PTTL', KEYS[1]) >= 0 then return 0 end
local keep = tonumber(ARGV[1])
if type(run.keepForMs) == 'number' then keep = run.keepForMs end
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, keep) end
return 1
`;

// KEYS: definition, enqueuer lease. ARGV: the definition read, the definition to write.
// Closes an enqueue whose process is gone: only if the lease is still missing and nobody wrote
// the definition since it was read.
const CLOSE_LOST_ENQUEUE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** The sorted set of run ids by creation time. */
export const runIndexKey = (prefix: string) => `${prefix}:runs`;

/**
 * Reads and writes a run's definition and its chunks' outcomes. A chunk's outcome is written
 * once (`HSETNX`): a chunk settled twice (a worker thought dead that was only slow) counts once,
 * and run totals are always the sum of the chunks' outcomes.
 */
export class RunStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  constructor(redis: RedisConnection, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  get prefix(): string {
    return this.#prefix;
  }

  keys(runId: string) {
    return runKeys(this.#prefix, runId);
  }

  /** Writes a run's definition (the enqueuer's first write, and its last). */
  async define(run: RunDefinition): Promise<void> {
    await this.#redis
      .multi()
      .set(this.keys(run.runId).definition, JSON.stringify(run))
      .zadd(runIndexKey(this.#prefix), run.createdAt, run.runId)
      .exec();
  }

  async definition(runId: string): Promise<RunDefinition | undefined> {
    const text = await this.#redis.get(this.keys(runId).definition);
    return text === null ? undefined : (JSON.parse(text) as RunDefinition);
  }

  async addInvalid(runId: string, records: readonly FailedChunkRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#redis.rpush(
      this.keys(runId).invalid,
      ...records.map((record) => JSON.stringify(record)),
    );
  }

  /** Records a worker as working on the run (it no longer declines it). */
  async seenWorker(runId: string, worker: string): Promise<void> {
    const keys = this.keys(runId);
    await this.#redis.multi().sadd(keys.workers, worker).hdel(keys.declined, worker).exec();
  }

  /** Records that `worker` leaves the run's chunks to others, and why (shown by `status`). */
  async declined(runId: string, worker: string, reason: string): Promise<void> {
    const keys = this.keys(runId);
    const entry: Omit<DeclinedBy, 'worker'> = { reason, at: Date.now() };
    await this.#redis
      .multi()
      .hset(keys.declined, worker, JSON.stringify(entry))
      .pexpire(keys.declined, DEFAULT_KEEP_RUN_MS)
      .exec();
  }

  /**
   * Sets every key of the run to expire after its `keepForMs` once every record is settled
   * (called by whoever writes last: the worker settling the last chunk, or the enqueuer).
   * Resolves to whether this call set them.
   */
  async expireIfSettled(runId: string): Promise<boolean> {
    return (await this.#expireIfSettled(runId)) === 1;
  }

  /**
   * What a worker does after settling one of the run's chunks: sets the run to expire when that
   * was its last record, or, while the run is still being enqueued, closes it if its enqueuer is
   * gone ({@link RunStore.closeIfEnqueuerLost}, whose answer it resolves to). One round trip
   * unless the run is still being enqueued.
   */
  async chunkSettled(runId: string): Promise<number | undefined> {
    if ((await this.#expireIfSettled(runId)) !== 2) return undefined;
    return this.closeIfEnqueuerLost(runId);
  }

  async #expireIfSettled(runId: string): Promise<unknown> {
    const keys = this.keys(runId);
    return this.#redis.eval(
      EXPIRE_IF_SETTLED,
      5,
      keys.definition,
      keys.outcomes,
      keys.invalid,
      keys.workers,
      keys.declined,
      DEFAULT_KEEP_RUN_MS,
    );
  }

  /** Deletes a settled chunk's journal: its outcome is written, nothing will replay it. */
  async dropJournal(runId: string, chunk: number): Promise<void> {
    await this.#redis.del(this.keys(runId).journal(chunk));
  }

  async hasOutcome(runId: string, chunk: number): Promise<boolean> {
    return (await this.#redis.hexists(this.keys(runId).outcomes, String(chunk))) === 1;
  }

  /** Writes a chunk's outcome unless one is there; resolves to whether this one was written. */
  async settleChunk(runId: string, outcome: ChunkOutcome): Promise<boolean> {
    const keys = this.keys(runId);
    const written = await this.#redis.hsetnx(
      keys.outcomes,
      String(outcome.chunk),
      JSON.stringify(outcome),
    );
    return written === 1;
  }

  async outcomes(runId: string): Promise<ChunkOutcome[]> {
    const all = await this.#redis.hvals(this.keys(runId).outcomes);
    return all.map((text) => JSON.parse(text) as ChunkOutcome).sort((a, b) => a.chunk - b.chunk);
  }

  async invalidRecords(runId: string): Promise<FailedChunkRecord[]> {
    const all = await this.#redis.lrange(this.keys(runId).invalid, 0, -1);
    return all.map((text) => JSON.parse(text) as FailedChunkRecord);
  }

  /**
   * The run's totals, summed from its chunks' outcomes; `undefined` for an unknown (or expired)
   * run. A run whose enqueuing process died (its lease ran out) is closed here: it holds the
   * records enqueued until then, and says so in `run.interrupted`.
   */
  async status(runId: string): Promise<RunStatus | undefined> {
    const keys = this.keys(runId);
    let text = await this.#redis.get(keys.definition);
    if (text === null) return undefined;
    let run = JSON.parse(text) as RunDefinition;
    if (run.enqueuing && (await this.#closeIfLost(run, text)).closed) {
      text = await this.#redis.get(keys.definition);
      if (text === null) return undefined;
      run = JSON.parse(text) as RunDefinition;
    }
    const [outcomes, workers, declined] = await Promise.all([
      this.outcomes(runId),
      this.#redis.smembers(keys.workers),
      this.#redis.hgetall(keys.declined),
    ]);
    const status = summarize(run, outcomes, workers.sort());
    if (!status.settled) {
      status.declinedBy = Object.entries(declined)
        .map(([worker, entry]) => ({
          worker,
          ...(JSON.parse(entry) as Omit<DeclinedBy, 'worker'>),
        }))
        .sort((a, b) => a.worker.localeCompare(b.worker));
    }
    return status;
  }

  /**
   * Closes the run if its enqueuing process is gone, as {@link RunStore.status} does, without
   * reading its outcomes; a closed run whose chunks are all settled then starts to expire.
   * Resolves to how long the enqueuer's lease has left when the run is still being enqueued and
   * every chunk counted so far is settled (the caller may check again then), else `undefined`.
   */
  async closeIfEnqueuerLost(runId: string): Promise<number | undefined> {
    const keys = this.keys(runId);
    const text = await this.#redis.get(keys.definition);
    if (text === null) return undefined;
    const run = JSON.parse(text) as RunDefinition;
    if (!run.enqueuing) return undefined;
    return (await this.#closeIfLost(run, text)).leaseLeft;
  }

  /** For a run still being enqueued: closes it if the lease is gone (see `closeIfEnqueuerLost`). */
  async #closeIfLost(
    run: RunDefinition,
    text: string,
  ): Promise<{ closed: boolean; leaseLeft?: number }> {
    const keys = this.keys(run.runId);
    const [leaseLeft, settled] = await Promise.all([
      this.#redis.pttl(keys.enqueuer),
      this.#redis.hlen(keys.outcomes),
    ]);
    // -2: no lease; -1 cannot happen (the lease is always set with an expiry).
    if (leaseLeft === -2) {
      await this.#closeLostEnqueue(run, text);
      return { closed: true };
    }
    return leaseLeft >= 0 && settled >= run.chunks
      ? { closed: false, leaseLeft }
      : { closed: false };
  }

  /**
   * Closes a run whose enqueuer is gone. Chunks are queued one at a time after the definition
   * counts them, so only the last one counted may be missing from the queue: it is taken back
   * unless it is queued or settled.
   */
  async #closeLostEnqueue(run: RunDefinition, text: string): Promise<void> {
    const closed: RunDefinition = {
      ...run,
      enqueuing: false,
      interrupted:
        'The process enqueuing the run stopped before the end of its input (its lease ran out): ' +
        'the records it had not enqueued are not part of the run',
    };
    const last = run.chunks - 1;
    if (last >= 0 && !(await this.hasOutcome(run.runId, last))) {
      const queue = openChunkQueue(this.#redis, this.#prefix);
      try {
        if ((await queue.getJob(chunkJobId(run.runId, last))) === undefined) {
          closed.chunks = last;
          closed.enqueued = Math.max(0, run.enqueued - (run.lastChunkRecords ?? 0));
        }
      } finally {
        await queue.close();
      }
    }
    const keys = this.keys(run.runId);
    await this.#redis.eval(
      CLOSE_LOST_ENQUEUE,
      2,
      keys.definition,
      keys.enqueuer,
      text,
      JSON.stringify(closed),
    );
    await this.expireIfSettled(run.runId);
  }

  /** Run ids, newest first; runs whose keys expired are dropped from the index. */
  async list(limit = 100): Promise<string[]> {
    const index = runIndexKey(this.#prefix);
    const ids = await this.#redis.zrevrange(index, 0, limit - 1);
    if (ids.length === 0) return ids;
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.exists(this.keys(id).definition);
    const found = (await pipeline.exec()) ?? [];
    const gone = ids.filter((_, position) => found[position]?.[1] === 0);
    if (gone.length > 0) await this.#redis.zrem(index, ...gone);
    return ids.filter((_, position) => found[position]?.[1] !== 0);
  }
}

/** Sums the outcomes of a run's chunks into its totals. */
export function summarize(
  run: RunDefinition,
  outcomes: readonly ChunkOutcome[],
  workers: string[],
): RunStatus {
  const status: RunStatus = {
    run,
    total: run.enqueued + run.invalid,
    succeeded: 0,
    failed: run.invalid,
    unknown: 0,
    skipped: 0,
    requests: 0,
    retries: 0,
    throttledMs: 0,
    durationMs: 0,
    chunksSettled: outcomes.length,
    chunksPending: Math.max(0, run.chunks - outcomes.length),
    workers,
    settled: false,
    declinedBy: [],
  };
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const outcome of outcomes) {
    status.succeeded += outcome.succeeded;
    status.failed += outcome.failed;
    status.unknown += outcome.unknown;
    status.skipped += outcome.skipped;
    status.requests += outcome.requests;
    status.retries += outcome.retries;
    status.throttledMs += outcome.throttledMs;
    first = Math.min(first, outcome.startedAt);
    last = Math.max(last, outcome.finishedAt);
  }
  if (outcomes.length > 0) status.durationMs = Math.max(0, last - first);
  status.settled = !run.enqueuing && status.chunksPending === 0;
  return status;
}
