import { ApiError } from './api-error.js';
import type {
  BatchItem,
  BulkAdapter,
  ItemError,
  ItemResult,
  ReconcileResult,
  SendContext,
} from './bulk-adapter.js';
import { type Clock, systemClock } from './clock.js';
import {
  type BulkJournal,
  type JournalFailure,
  type JournalState,
  RangeCursor,
  replayJournal,
  toRanges,
} from './journal.js';
import { RateLimiter } from './rate-limiter.js';
import {
  backoffDelay,
  classifyFailure,
  type FailureClass,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
} from './retry-policy.js';

/**
 * What happened to one input item:
 * - `succeeded`: the vendor applied it;
 * - `failed`: the vendor refused it for good (or kept refusing until retries ran out);
 * - `unknown`: it may or may not have been applied (the answer was lost, and the operation could
 *   not be safely re-sent or read back);
 * - `skipped`: the run stopped before it was applied: safe to send again.
 */
export type OutcomeStatus = 'succeeded' | 'failed' | 'unknown' | 'skipped';

/** The outcome of one input item. */
export interface ItemOutcome<T, R> {
  /** 0-based position in the input. */
  index: number;
  item: T;
  status: OutcomeStatus;
  /** What the vendor returned for the item, when it succeeded in this run. */
  value?: R | undefined;
  /** Why it failed, or why its outcome is unknown or it was skipped. */
  error?: ItemError | undefined;
  /** Requests that carried this item in this run (0 when it failed validation or was resumed). */
  attempts: number;
  /** `true` when an earlier run of the same journal had already settled it. */
  resumed?: boolean | undefined;
}

/** A snapshot of a run in progress. */
export interface BulkProgress {
  /** Items read from the input so far. */
  total: number;
  /** Items settled: `succeeded + failed + unknown + skipped`. */
  done: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Items in requests that have not answered yet. */
  inFlight: number;
  /** Requests sent so far. */
  requests: number;
  /** Settled items per second since the start. */
  rate: number;
  /** Milliseconds spent waiting for the rate limit or for a vendor's `Retry-After`. */
  throttledMs: number;
  elapsedMs: number;
}

/** The result of {@link runBulk}: every input item is counted exactly once. */
export interface BulkReport<T, R> {
  operation: string;
  /** Id of the run; the same across resumes of one journal. */
  runId: string;
  /** Items read from the input. After an abort, the rest of the input is not read. */
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Of the above, items settled by an earlier run of the same journal (not sent again). */
  resumed: number;
  /** Requests sent (first attempts, retries and re-sends). */
  requests: number;
  /** Requests that were retries of a failed request. */
  retries: number;
  /** 429 answers received. */
  throttled: number;
  /** Milliseconds spent waiting for the rate limit or for a vendor's `Retry-After`. */
  throttledMs: number;
  durationMs: number;
  /** Whether the caller's signal stopped the run. */
  aborted: boolean;
  /** Every outcome, ordered by index, when `collect` is set. */
  outcomes?: ItemOutcome<T, R>[] | undefined;
}

/** Options of {@link runBulk}. */
export interface RunBulkOptions<T, R> {
  /**
   * Items per request. Cannot exceed the vendor's maximum.
   * @default adapter.maxBatchSize
   */
  batchSize?: number | undefined;
  /**
   * Closes a batch before its items' serialized size (see `adapter.sizeOf`) would exceed this
   * many bytes. An item larger than this is sent alone.
   * @default no limit
   */
  maxBatchBytes?: number | undefined;
  /**
   * Requests in flight at once. Memory stays O(concurrency x batchSize) whatever the input length.
   * @default 4
   */
  concurrency?: number | undefined;
  /**
   * The rate limiter the adapter's requests pass through (see `rateLimiterOf(client)`). The run
   * holds it back after a 429 and reports the time spent waiting on it. It only takes tokens
   * itself when `acquireTokens` is set.
   * @default none
   */
  limiter?: RateLimiter | undefined;
  /**
   * Take a token from `limiter` before each request. Set it when the adapter's requests do not
   * already pass through `rateLimitMiddleware` (clients made by `createApiClient` do).
   * @default false
   */
  acquireTokens?: boolean | undefined;
  /**
   * Backoff between attempts of a batch whose request failed with a retryable error.
   * @default defaultRetryOptions: { retries: 5, minDelayMs: 500, maxDelayMs: 30000, factor: 2 }
   */
  retry?: RetryOptions | undefined;
  /**
   * Times one item may be put back into a new batch because the vendor rejected its batch for
   * other items, before it is reported failed (`resend_limit`).
   * @default 3
   */
  maxResends?: number | undefined;
  /**
   * Milliseconds before a request is abandoned; its outcome is then unknown (it may have been
   * applied), so it is only retried for idempotent operations. `0` disables the timeout.
   * @default 120000
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Stops the run: no new batch starts and no retry is scheduled; items never applied are
   * reported `skipped`. See `abortMode` for requests in flight.
   */
  signal?: AbortSignal | undefined;
  /**
   * What an abort does to requests in flight: `'abort'` cancels them (their items become
   * `unknown`, as the vendor may have applied them), `'settle'` lets them finish.
   * @default 'abort'
   */
  abortMode?: 'abort' | 'settle' | undefined;
  /**
   * Records progress durably so that a rerun with the same journal skips items already settled
   * and reconciles the batches that were in flight. See `openFileJournal`.
   * @default none
   */
  journal?: BulkJournal | undefined;
  /**
   * Id of the run, passed to the adapter (for `deriveItemId`). A journal that already has a run
   * id keeps it; a different `runId` is then an error.
   * @default the journal's run id, else a random UUID
   */
  runId?: string | undefined;
  /**
   * Keep every outcome in `report.outcomes`. Only for small runs: stream with `onItem` otherwise.
   * @default false
   */
  collect?: boolean | undefined;
  /**
   * Called once per input item with its outcome, as soon as it is settled (not in input order).
   * When it returns a promise, the run waits for it before starting more work (backpressure).
   */
  onItem?: ((outcome: ItemOutcome<T, R>) => void | Promise<void>) | undefined;
  /** Called for items that end `failed` or `unknown` (after `onItem`). */
  onDrop?: ((outcome: ItemOutcome<T, R>) => void) | undefined;
  /** Called after every request settles, and once at the end. */
  onProgress?: ((progress: BulkProgress) => void) | undefined;
  /**
   * Time source for backoff, timeouts and durations; inject a fake one in tests.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** Defaults of {@link RunBulkOptions}, merged once per run. */
export const defaultRunBulkOptions = Object.freeze({
  concurrency: 4,
  maxResends: 3,
  requestTimeoutMs: 120_000,
  abortMode: 'abort' as 'abort' | 'settle',
  collect: false,
  acquireTokens: false,
});

/** Thrown by {@link runBulk} when reading the input throws; carries the report so far. */
export class BulkInputError<T = unknown, R = unknown> extends Error {
  override readonly name = 'BulkInputError';
  readonly code = 'input_failed';
  constructor(
    message: string,
    readonly report: BulkReport<T, R>,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

interface Entry<T> extends BatchItem<T> {
  attempts: number;
  resends: number;
  size: number;
}

interface Batch<T> {
  key: string;
  entries: Entry<T>[];
  /** Set for items a crashed earlier run had in flight: reconcile before anything else. */
  recovery: boolean;
}

type Source<T> = {
  next(): IteratorResult<T> | Promise<IteratorResult<T>>;
  return?(): unknown;
};

const ABORTED: ItemError = {
  code: 'aborted',
  message: 'The run was aborted before this item was applied',
};
const ABORTED_IN_FLIGHT: ItemError = {
  code: 'aborted',
  message: 'The run was aborted while this item was in flight: the vendor may have applied it',
};

/**
 * Writes a stream of items to a vendor in batches: bounded concurrency and memory, a shared rate
 * limit, retries with backoff for failures that allow them, idempotency-aware handling of lost
 * answers, per-item outcomes, and a report that counts every input item exactly once
 * (`succeeded + failed + unknown + skipped === total`).
 *
 * @example
 * const report = await runBulk(readTickets(), adapter, { concurrency: 4, onItem: writeOutcome });
 */
export async function runBulk<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  adapter: BulkAdapter<T, R>,
  options: RunBulkOptions<T, R> = {},
): Promise<BulkReport<T, R>> {
  const source = openSource(items);
  checkAdapter(adapter);
  const settings = resolveOptions(adapter, options);
  const { clock, retry, signal, limiter, journal } = settings;
  const startedAt = clock.now();
  const limiterWaitAtStart = limiter?.stats.waitedMs ?? 0;

  let state: JournalState | undefined;
  if (journal) {
    state = replayJournal(await journal.load());
    if (state.operation !== undefined && state.operation !== adapter.operation) {
      throw new TypeError(
        `Expected \`journal\` to belong to ${adapter.operation}, but it records ${state.operation}`,
      );
    }
    if (state.runId !== undefined && options.runId !== undefined && state.runId !== options.runId) {
      throw new TypeError(`Expected \`runId\` to be ${state.runId}, the run id in the journal`);
    }
  }
  const runId = state?.runId ?? options.runId ?? globalThis.crypto.randomUUID();
  if (journal && state?.runId === undefined) {
    await journal.append([{ type: 'start', runId, operation: adapter.operation }]);
  }

  const counts = { total: 0, succeeded: 0, failed: 0, unknown: 0, skipped: 0, resumed: 0 };
  const stats = { requests: 0, retries: 0, throttled: 0, retryWaitMs: 0, inFlight: 0 };
  const outcomes: ItemOutcome<T, R>[] | undefined = settings.collect ? [] : undefined;
  let waiting: Promise<void>[] = [];

  const emit = (outcome: ItemOutcome<T, R>) => {
    counts[outcome.status] += 1;
    if (outcome.resumed) counts.resumed += 1;
    outcomes?.push(outcome);
    const result = options.onItem?.(outcome);
    if (result && typeof (result as Promise<void>).then === 'function') waiting.push(result);
    if (outcome.status === 'failed' || outcome.status === 'unknown') options.onDrop?.(outcome);
  };
  const drainCallbacks = async () => {
    while (waiting.length > 0) {
      const pending = waiting;
      waiting = [];
      await Promise.all(pending);
    }
  };
  const progress = (): BulkProgress => {
    const elapsedMs = clock.now() - startedAt;
    const done = counts.succeeded + counts.failed + counts.unknown + counts.skipped;
    return {
      total: counts.total,
      done,
      succeeded: counts.succeeded,
      failed: counts.failed,
      unknown: counts.unknown,
      skipped: counts.skipped,
      inFlight: stats.inFlight,
      requests: stats.requests,
      rate: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0,
      throttledMs: throttledMs(),
      elapsedMs,
    };
  };
  const throttledMs = () =>
    stats.retryWaitMs + (limiter ? limiter.stats.waitedMs - limiterWaitAtStart : 0);
  const stopped = () => signal?.aborted === true;

  // Resume state: cursors over what an earlier run settled, and its in-flight batches.
  const succeededCursor = state ? new RangeCursor(state.succeeded) : undefined;
  const recoveryKeyOf = new Map<number, string>();
  const recoveryGroups = new Map<string, { expected: number; entries: Entry<T>[] }>();
  // Idempotent operations simply send such items again, so only the others need grouping.
  if (state && !adapter.idempotent) {
    for (const batch of state.inFlight) {
      recoveryGroups.set(batch.key, { expected: batch.indexes.length, entries: [] });
      for (const index of batch.indexes) recoveryKeyOf.set(index, batch.key);
    }
  }
  const readyRecoveries: Batch<T>[] = [];
  const resendQueue: Entry<T>[] = [];

  let nextIndex = 0;
  let inputDone = false;
  let inputError: unknown;
  let carry: Entry<T> | undefined;

  // Routes an item read from the input; returns the entry when it should be sent now.
  const admit = (index: number, item: T): Entry<T> | undefined => {
    if (state) {
      if (succeededCursor!.has(index)) {
        emit({ index, item, status: 'succeeded', attempts: 0, resumed: true });
        return undefined;
      }
      const failure = state.failed.get(index);
      if (failure) {
        emit({ index, item, status: 'failed', error: failure, attempts: 0, resumed: true });
        return undefined;
      }
    }
    let problem: ItemError | undefined;
    try {
      problem = adapter.validate?.(item, index);
    } catch (error) {
      problem = { code: 'invalid_item', message: messageOf(error) };
    }
    if (problem) {
      emit({ index, item, status: 'failed', error: problem, attempts: 0 });
      return undefined;
    }
    const entry: Entry<T> = { index, item, attempts: 0, resends: 0, size: 0 };
    const recoveryKey = recoveryKeyOf.get(index);
    if (recoveryKey !== undefined) {
      recoveryKeyOf.delete(index);
      const group = recoveryGroups.get(recoveryKey)!;
      group.entries.push(entry);
      if (group.entries.length === group.expected) {
        recoveryGroups.delete(recoveryKey);
        readyRecoveries.push({ key: recoveryKey, entries: group.entries, recovery: true });
      }
      return undefined;
    }
    if (settings.maxBatchBytes !== undefined) entry.size = sizeOf(adapter, item);
    return entry;
  };

  const takeFromQueue = (queue: Entry<T>[]): Entry<T>[] => {
    const entries: Entry<T>[] = [];
    let bytes = 0;
    while (queue.length > 0 && entries.length < settings.batchSize) {
      const next = queue[0]!;
      if (fitsNot(entries.length, bytes, next.size)) break;
      entries.push(queue.shift()!);
      bytes += next.size;
    }
    return entries;
  };
  const fitsNot = (count: number, bytes: number, size: number) =>
    settings.maxBatchBytes !== undefined && count > 0 && bytes + size > settings.maxBatchBytes;

  const readBatch = async (): Promise<Batch<T> | undefined> => {
    const entries: Entry<T>[] = [];
    let bytes = 0;
    if (carry) {
      entries.push(carry);
      bytes = carry.size;
      carry = undefined;
    }
    while (!inputDone && entries.length < settings.batchSize && !stopped()) {
      let result: IteratorResult<T>;
      try {
        const next = source.next();
        result = isPromise(next) ? await next : next;
      } catch (error) {
        inputDone = true;
        inputError = error;
        break;
      }
      if (result.done) {
        inputDone = true;
        break;
      }
      const index = nextIndex++;
      counts.total += 1;
      const entry = admit(index, result.value);
      if (waiting.length >= settings.batchSize) await drainCallbacks();
      if (!entry) {
        if (readyRecoveries.length > 0 && entries.length === 0) break;
        continue;
      }
      if (fitsNot(entries.length, bytes, entry.size)) {
        carry = entry;
        break;
      }
      entries.push(entry);
      bytes += entry.size;
    }
    if (entries.length === 0) return undefined;
    return { key: `${runId}:${entries[0]!.index}`, entries, recovery: false };
  };

  const nextBatch = async (): Promise<Batch<T> | undefined> => {
    if (stopped()) return undefined;
    const recovery = readyRecoveries.shift();
    if (recovery) return recovery;
    if (resendQueue.length > 0) {
      const entries = takeFromQueue(resendQueue);
      const first = entries[0]!;
      return { key: `${runId}:${first.index}:r${first.resends}`, entries, recovery: false };
    }
    const batch = await readBatch();
    if (batch) return batch;
    const afterRead = readyRecoveries.shift();
    if (afterRead) return afterRead;
    if (inputDone && !stopped()) {
      // Items the earlier run had in flight but this input no longer reaches: reconcile what we have.
      for (const [key, group] of recoveryGroups) {
        recoveryGroups.delete(key);
        if (group.entries.length > 0) return { key, entries: group.entries, recovery: true };
      }
    }
    return undefined;
  };

  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<Batch<T> | undefined> => {
    const next = pulling.then(nextBatch);
    pulling = next.catch(() => undefined);
    return next;
  };

  // Journal writes and outcome emission for one settled step of a batch.
  const settleStep = async (
    key: string,
    settled: ItemOutcome<T, R>[],
    released: Entry<T>[],
    recordable = true,
  ) => {
    if (journal && recordable) {
      const succeeded: number[] = [];
      const failed: JournalFailure[] = [];
      for (const outcome of settled) {
        if (outcome.status === 'succeeded') succeeded.push(outcome.index);
        else if (outcome.status === 'failed') {
          failed.push({
            index: outcome.index,
            code: outcome.error!.code,
            message: outcome.error!.message,
          });
        }
      }
      // Skipped items were certainly not applied: released, so a resumed run sends them again.
      const releasedIndexes = released.map((entry) => entry.index);
      for (const outcome of settled)
        if (outcome.status === 'skipped') releasedIndexes.push(outcome.index);
      if (succeeded.length + failed.length + releasedIndexes.length > 0) {
        await journal.append([
          {
            type: 'acked',
            key,
            succeeded: toRanges(succeeded),
            failed,
            released: toRanges(releasedIndexes),
          },
        ]);
      }
    }
    for (const outcome of settled) emit(outcome);
    options.onProgress?.(progress());
    await drainCallbacks();
  };

  const outcomeOf = (
    entry: Entry<T>,
    status: OutcomeStatus,
    error?: ItemError,
    value?: R,
  ): ItemOutcome<T, R> => {
    const outcome: ItemOutcome<T, R> = {
      index: entry.index,
      item: entry.item,
      status,
      attempts: entry.attempts,
    };
    if (error) outcome.error = error;
    if (status === 'succeeded') outcome.value = value;
    return outcome;
  };

  const request = async <X>(
    call: (batch: readonly BatchItem<T>[], ctx: SendContext) => Promise<X[]>,
    entries: Entry<T>[],
    key: string,
    attempt: number,
  ): Promise<X[]> => {
    const controller = new AbortController();
    let rejectEarly: ((reason: unknown) => void) | undefined;
    const early = new Promise<never>((_, reject) => {
      rejectEarly = reject;
    });
    early.catch(() => undefined);
    // The adapter gets a moment to fail with its own, more precise error (a NotSentError from the
    // rate limiter says the request never left) before the abort reason is used.
    const abortWith = (reason: unknown) => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      setTimeout(() => rejectEarly?.(reason), 0);
    };
    const onUserAbort = () => abortWith(signal?.reason);
    const followUser = settings.abortMode === 'abort' && signal !== undefined;
    if (followUser) signal.addEventListener('abort', onUserAbort, { once: true });
    const timer = new AbortController();
    if (settings.requestTimeoutMs > 0) {
      clock.sleep(settings.requestTimeoutMs, timer.signal).then(
        () =>
          abortWith(
            new DOMException(
              `The request timed out after ${settings.requestTimeoutMs} ms`,
              'TimeoutError',
            ),
          ),
        () => undefined,
      );
    }
    stats.inFlight += entries.length;
    try {
      if (followUser && signal.aborted) onUserAbort();
      if (settings.acquireTokens && limiter) await limiter.acquire(controller.signal);
      stats.requests += 1;
      const results = await Promise.race([
        call(entries, { signal: controller.signal, attempt, batchKey: key, runId }),
        early,
      ]);
      if (!Array.isArray(results) || results.length !== entries.length) {
        throw new AdapterContractError(adapter.operation, entries.length, results);
      }
      return results;
    } finally {
      stats.inFlight -= entries.length;
      timer.abort();
      if (followUser) signal.removeEventListener('abort', onUserAbort);
    }
  };

  const classify = (error: unknown): FailureClass => {
    if (error instanceof AdapterContractError) return { kind: 'unknown', reason: error.code };
    return adapter.classifyError?.(error) ?? classifyFailure(error);
  };

  /** Waits before a retry; returns false when the run was aborted meanwhile. */
  const backoff = async (retryNumber: number, failure: FailureClass): Promise<boolean> => {
    const delay = backoffDelay(retryNumber, retry, failure.retryAfterMs);
    if (failure.reason === 'http_429') {
      stats.throttled += 1;
      stats.retryWaitMs += delay;
      // Middleware may already have paused it; holding again for the same time is harmless.
      if (failure.retryAfterMs !== undefined) limiter?.holdFor(failure.retryAfterMs);
    }
    try {
      await clock.sleep(delay, signal);
    } catch {
      return false;
    }
    if (stopped()) return false;
    stats.retries += 1;
    return true;
  };

  /** Reads back items whose outcome is unknown; read errors are retried like any read. */
  const reconcile = async (
    entries: Entry<T>[],
    key: string,
  ): Promise<ReconcileResult<R>[] | undefined> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(adapter.reconcile!.bind(adapter), entries, key, attempt);
      } catch (error) {
        const failure = classify(error);
        const again =
          (failure.kind === 'retry' || failure.kind === 'unknown') && attempt <= retry.retries;
        if (!again || stopped() || !(await backoff(attempt, failure))) return undefined;
      }
    }
  };

  const processBatch = async (batch: Batch<T>): Promise<void> => {
    const { key } = batch;
    let pending = batch.entries;
    if (journal && !batch.recovery) {
      await journal.append([
        { type: 'sent', key, ranges: toRanges(pending.map((entry) => entry.index)) },
      ]);
    }
    if (batch.recovery) {
      if (adapter.idempotent) {
        // Sending again is harmless: it goes out as a fresh batch.
        resendQueue.push(...pending);
        return;
      }
      if (!adapter.reconcile) {
        const error: ItemError = {
          code: 'unknown_after_crash',
          message: 'An earlier run sent this item but stopped before the vendor answered',
        };
        await settleStep(
          key,
          pending.map((entry) => outcomeOf(entry, 'unknown', error)),
          [],
          false,
        );
        return;
      }
      pending = await applyReconcile(key, pending, undefined);
      if (pending.length > 0) resendQueue.push(...pending);
      return;
    }
    let lastUnknown = false;
    let lastError: ItemError | undefined;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (stopped()) {
        const status = lastUnknown ? 'unknown' : 'skipped';
        const error = lastUnknown ? lastError : ABORTED;
        await settleStep(
          key,
          pending.map((entry) => outcomeOf(entry, status, error)),
          [],
        );
        return;
      }
      for (const entry of pending) entry.attempts += 1;
      let results: ItemResult<R>[];
      try {
        results = await request(adapter.send.bind(adapter), pending, key, attempt);
      } catch (error) {
        const failure = classify(error);
        const itemError = itemErrorOf(error, failure);
        // Cancelled by the caller's abort while in flight: the vendor may have applied it.
        if (failure.kind === 'aborted' || (stopped() && error === signal?.reason)) {
          await settleStep(
            key,
            pending.map((entry) => outcomeOf(entry, 'unknown', ABORTED_IN_FLIGHT)),
            [],
          );
          return;
        }
        if (failure.kind === 'fatal') {
          await settleStep(
            key,
            pending.map((entry) => outcomeOf(entry, 'failed', itemError)),
            [],
          );
          return;
        }
        if (failure.kind === 'unknown' && !adapter.idempotent) {
          if (!adapter.reconcile) {
            await settleStep(
              key,
              pending.map((entry) => outcomeOf(entry, 'unknown', itemError)),
              [],
            );
            return;
          }
          pending = await applyReconcile(key, pending, itemError);
          lastUnknown = false;
          if (pending.length === 0) return;
        } else if (failure.kind === 'unknown') {
          // Sticky: a later refusal does not undo what this attempt may have applied.
          lastUnknown = true;
        }
        lastError = itemError;
        if (attempt > retry.retries) {
          const status = lastUnknown ? 'unknown' : 'failed';
          await settleStep(
            key,
            pending.map((entry) => outcomeOf(entry, status, itemError)),
            [],
          );
          return;
        }
        // When the run was aborted during the wait, the next turn settles the items.
        await backoff(attempt, failure);
        continue;
      }
      const settled: ItemOutcome<T, R>[] = [];
      const resend: Entry<T>[] = [];
      results.forEach((result, position) => {
        const entry = pending[position]!;
        if (result.kind === 'succeeded')
          settled.push(outcomeOf(entry, 'succeeded', undefined, result.value));
        else if (result.kind === 'failed') settled.push(outcomeOf(entry, 'failed', result.error));
        else if (entry.resends >= settings.maxResends) {
          settled.push(
            outcomeOf(entry, 'failed', {
              code: 'resend_limit',
              message: `The vendor rejected this item's batch ${entry.resends + 1} times because of other items`,
            }),
          );
        } else {
          entry.resends += 1;
          resend.push(entry);
        }
      });
      await settleStep(key, settled, resend);
      resendQueue.push(...resend);
      return;
    }
  };

  /** Settles what a read-back found; returns the items to send again. */
  const applyReconcile = async (
    key: string,
    entries: Entry<T>[],
    cause: ItemError | undefined,
  ): Promise<Entry<T>[]> => {
    const found = await reconcile(entries, key);
    if (!found) {
      const error = cause ?? { code: 'reconcile_failed', message: 'Reading back the batch failed' };
      await settleStep(
        key,
        entries.map((entry) => outcomeOf(entry, 'unknown', error)),
        [],
        !stopped(),
      );
      return [];
    }
    const settled: ItemOutcome<T, R>[] = [];
    const absent: Entry<T>[] = [];
    found.forEach((result, position) => {
      const entry = entries[position]!;
      if (result.kind === 'succeeded')
        settled.push(outcomeOf(entry, 'succeeded', undefined, result.value));
      else if (result.kind === 'failed') settled.push(outcomeOf(entry, 'failed', result.error));
      else if (result.kind === 'absent' || result.kind === 'resend') absent.push(entry);
      else
        settled.push(
          outcomeOf(
            entry,
            'unknown',
            cause ?? { code: 'unknown', message: 'The vendor could not say' },
          ),
        );
    });
    await settleStep(key, settled, []);
    return absent;
  };

  const worker = async () => {
    for (;;) {
      const batch = await pull();
      if (!batch) return;
      await processBatch(batch);
    }
  };

  try {
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    // Workers stop when there is nothing to pull; another worker may have re-queued items since.
    while (!stopped() && (resendQueue.length > 0 || readyRecoveries.length > 0)) await worker();
    // Items read but never sent because the run stopped.
    const leftover: ItemOutcome<T, R>[] = [];
    const skip = (entry: Entry<T>) => {
      leftover.push(outcomeOf(entry, 'skipped', ABORTED));
    };
    if (carry) skip(carry);
    carry = undefined;
    resendQueue.splice(0).forEach(skip);
    for (const batch of readyRecoveries.splice(0)) batch.entries.forEach(skip);
    for (const group of recoveryGroups.values()) group.entries.forEach(skip);
    recoveryGroups.clear();
    for (const outcome of leftover) emit(outcome);
    await drainCallbacks();
  } finally {
    if (!inputDone) await source.return?.();
  }

  const report: BulkReport<T, R> = {
    operation: adapter.operation,
    runId,
    ...counts,
    requests: stats.requests,
    retries: stats.retries,
    throttled: stats.throttled,
    throttledMs: throttledMs(),
    durationMs: clock.now() - startedAt,
    aborted: stopped(),
  };
  if (outcomes) report.outcomes = outcomes.sort((a, b) => a.index - b.index);
  options.onProgress?.(progress());
  if (inputError !== undefined) {
    throw new BulkInputError(
      `Reading the input of ${adapter.operation} failed after ${counts.total} items`,
      report,
      {
        cause: inputError,
      },
    );
  }
  return report;
}

/** The adapter broke its contract (wrong number of results): the batch's fate is unknown. */
class AdapterContractError extends Error {
  override readonly name = 'AdapterContractError';
  readonly code = 'adapter_contract';
  constructor(operation: string, expected: number, results: unknown) {
    super(
      `${operation} returned ${Array.isArray(results) ? results.length : typeof results} results for a batch of ${expected} items`,
    );
  }
}

function itemErrorOf(error: unknown, failure: FailureClass): ItemError {
  if (error instanceof ApiError) {
    return { code: error.code, message: error.message, status: error.status, vendor: error.body };
  }
  return { code: failure.reason, message: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sizeOf<T>(adapter: BulkAdapter<T, unknown>, item: T): number {
  if (adapter.sizeOf) return adapter.sizeOf(item);
  return JSON.stringify(item)?.length ?? 0;
}

function isPromise<X>(value: X | Promise<X>): value is Promise<X> {
  return typeof (value as Promise<X> | undefined)?.then === 'function';
}

function openSource<T>(items: Iterable<T> | AsyncIterable<T>): Source<T> {
  if (items && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
    return (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  }
  if (items && typeof (items as Iterable<T>)[Symbol.iterator] === 'function') {
    return (items as Iterable<T>)[Symbol.iterator]();
  }
  throw new TypeError('Expected `items` to be an Iterable or an AsyncIterable');
}

function checkAdapter(adapter: BulkAdapter<unknown, unknown>): void {
  if (!adapter || typeof adapter !== 'object')
    throw new TypeError('Expected `adapter` to be an object');
  if (typeof adapter.operation !== 'string' || adapter.operation === '') {
    throw new TypeError('Expected `adapter.operation` to be a non-empty string');
  }
  if (!Number.isInteger(adapter.maxBatchSize) || adapter.maxBatchSize < 1) {
    throw new TypeError(
      `Expected \`adapter.maxBatchSize\` to be a positive integer, got ${String(adapter.maxBatchSize)}`,
    );
  }
  if (typeof adapter.idempotent !== 'boolean')
    throw new TypeError('Expected `adapter.idempotent` to be a boolean');
  if (typeof adapter.send !== 'function')
    throw new TypeError('Expected `adapter.send` to be a function');
}

interface Settings {
  batchSize: number;
  maxBatchBytes: number | undefined;
  concurrency: number;
  maxResends: number;
  requestTimeoutMs: number;
  abortMode: 'abort' | 'settle';
  collect: boolean;
  acquireTokens: boolean;
  retry: ResolvedRetryOptions;
  clock: Clock;
  signal: AbortSignal | undefined;
  limiter: RateLimiter | undefined;
  journal: BulkJournal | undefined;
}

function resolveOptions<T, R>(adapter: BulkAdapter<T, R>, options: RunBulkOptions<T, R>): Settings {
  if (!options || typeof options !== 'object')
    throw new TypeError('Expected `options` to be an object');
  const positiveInteger = (
    name: string,
    value: number | undefined,
    fallback: number,
    min = 1,
  ): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) {
      throw new TypeError(
        `Expected \`${name}\` to be an integer of at least ${min}, got ${String(value)}`,
      );
    }
    return value;
  };
  const batchSize = positiveInteger('batchSize', options.batchSize, adapter.maxBatchSize);
  if (batchSize > adapter.maxBatchSize) {
    throw new TypeError(
      `Expected \`batchSize\` to be at most ${adapter.maxBatchSize}, the maximum of ${adapter.operation}, got ${batchSize}`,
    );
  }
  const abortMode = options.abortMode ?? defaultRunBulkOptions.abortMode;
  if (abortMode !== 'abort' && abortMode !== 'settle') {
    throw new TypeError(
      `Expected \`abortMode\` to be 'abort' or 'settle', got ${String(abortMode)}`,
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError('Expected `signal` to be an AbortSignal');
  }
  if (options.limiter !== undefined && !(options.limiter instanceof RateLimiter)) {
    throw new TypeError('Expected `limiter` to be a RateLimiter');
  }
  const journal = options.journal;
  if (
    journal !== undefined &&
    (typeof journal.load !== 'function' || typeof journal.append !== 'function')
  ) {
    throw new TypeError('Expected `journal` to have load() and append()');
  }
  for (const name of ['onItem', 'onDrop', 'onProgress'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new TypeError(`Expected \`${name}\` to be a function`);
    }
  }
  return {
    batchSize,
    maxBatchBytes:
      options.maxBatchBytes === undefined
        ? undefined
        : positiveInteger('maxBatchBytes', options.maxBatchBytes, 0),
    concurrency: positiveInteger(
      'concurrency',
      options.concurrency,
      defaultRunBulkOptions.concurrency,
    ),
    maxResends: positiveInteger(
      'maxResends',
      options.maxResends,
      defaultRunBulkOptions.maxResends,
      0,
    ),
    requestTimeoutMs: positiveInteger(
      'requestTimeoutMs',
      options.requestTimeoutMs,
      defaultRunBulkOptions.requestTimeoutMs,
      0,
    ),
    abortMode,
    collect: options.collect ?? defaultRunBulkOptions.collect,
    acquireTokens: options.acquireTokens ?? defaultRunBulkOptions.acquireTokens,
    retry: resolveRetryOptions(options.retry),
    clock: options.clock ?? systemClock,
    signal: options.signal,
    limiter: options.limiter,
    journal,
  };
}
