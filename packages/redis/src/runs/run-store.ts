import type { RedisConnection } from '../types.js';
import type { ChunkOutcome, FailedChunkRecord, RunDefinition, RunStatus } from './run-types.js';

/** Where a run's keys live: `<prefix>:run:{<runId>}...` (one Redis Cluster slot per run). */
export function runKeys(prefix: string, runId: string) {
  const base = `${prefix}:run:{${runId}}`;
  return {
    definition: base,
    outcomes: `${base}:outcomes`,
    invalid: `${base}:invalid`,
    workers: `${base}:workers`,
    journal: (chunk: number) => `${base}:journal:${chunk}`,
  };
}

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

  /** Records a worker as working on the run. */
  async seenWorker(runId: string, worker: string): Promise<void> {
    await this.#redis.sadd(this.keys(runId).workers, worker);
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

  /** The run's totals, summed from its chunks' outcomes; `undefined` for an unknown run. */
  async status(runId: string): Promise<RunStatus | undefined> {
    const run = await this.definition(runId);
    if (run === undefined) return undefined;
    const [outcomes, workers] = await Promise.all([
      this.outcomes(runId),
      this.#redis.smembers(this.keys(runId).workers),
    ]);
    return summarize(run, outcomes, workers.sort());
  }

  /** Run ids, newest first. */
  async list(limit = 100): Promise<string[]> {
    return this.#redis.zrevrange(runIndexKey(this.#prefix), 0, limit - 1);
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
