import { ApiError } from './api-error.js';
import type {
  BatchItem,
  BulkAdapter,
  ItemError,
  ItemResult,
  ReconcileResult,
  SendContext,
} from './bulk-adapter.js';
import {
  BulkInputError,
  type BulkProgress,
  type BulkReport,
  type ItemOutcome,
  type OutcomeStatus,
} from './bulk-report.js';
import { HeldTime } from './held-time.js';
import {
  type JournalFailure,
  type JournalState,
  RangeCursor,
  replayJournal,
  toRanges,
} from './journal.js';
import type { JsonValue } from './json-value.js';
import type { Grant } from './rate-limiter.js';
import { RequestDeadlines } from './request-deadlines.js';
import { backoffDelay, classifyFailure, type FailureClass } from './retry-policy.js';
import { checkAdapter, type RunBulkOptions, resolveRunBulkOptions } from './run-bulk-options.js';

interface Entry<T> extends BatchItem<T> {
  attempts: number;
  resends: number;
  size: number;
  /**
   * Set when a request carrying this item had an unknown outcome and was not read back: the
   * vendor may have applied it, whatever later attempts (or re-sends in other batches) say.
   */
  lost?: ItemError | undefined;
}

interface Batch<T> {
  key: string;
  entries: Entry<T>[];
  /** Set for items a crashed earlier run had in flight: reconcile before anything else. */
  recovery: boolean;
  /** For a recovery batch: the notes the earlier run recorded for it. */
  recorded?: readonly JsonValue[] | undefined;
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
  const settings = resolveRunBulkOptions(adapter, options);
  const { clock, retry, signal, limiter, journal } = settings;
  const startedAt = clock.now();

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
  const stats = { requests: 0, retries: 0, throttled: 0, inFlight: 0 };
  // `throttledMs`: wall-clock time the run was held, while a 429 backoff ran or while the limiter
  // held requests back and this run had a request under way (its tokens and polls pass there).
  const held = new HeldTime(clock);
  let backingOff = 0;
  let limiterHolding = limiter?.holding ?? false;
  const updateHeld = () => held.set(backingOff > 0 || (limiterHolding && stats.inFlight > 0));
  const stopWatchingLimiter = limiter?.onHoldChange((holding) => {
    limiterHolding = holding;
    updateHeld();
  });
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
  const throttledMs = () => held.ms;
  // A limiter that stopped (the daily budget is spent) ends the run like an abort that lets
  // requests in flight settle.
  const stopped = () => signal?.aborted === true || limiter?.stopped !== undefined;
  // Wakes backoff waits when the run stops, for either reason.
  const halt = new AbortController();
  const haltSignal = halt.signal;
  const onHalt = () => halt.abort();
  signal?.addEventListener('abort', onHalt, { once: true });
  const stopWatchingStop = limiter?.onStop?.(onHalt);
  const notSentError = (): ItemError => {
    const stop = signal?.aborted ? undefined : limiter?.stopped;
    return stop
      ? { code: stop.code, message: `Not sent: ${stop.message}; a resumed run sends it` }
      : ABORTED;
  };

  // Resume state: cursors over what an earlier run settled, and its in-flight batches.
  const succeededCursor = state ? new RangeCursor(state.succeeded) : undefined;
  const recoveryKeyOf = new Map<number, string>();
  const recoveryGroups = new Map<
    string,
    { expected: number; entries: Entry<T>[]; recorded: readonly JsonValue[] }
  >();
  // Idempotent operations simply send such items again, so only the others need grouping.
  if (state && !adapter.idempotent) {
    for (const batch of state.inFlight) {
      recoveryGroups.set(batch.key, {
        expected: batch.indexes.length,
        entries: [],
        recorded: batch.notes ?? [],
      });
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
        readyRecoveries.push({
          key: recoveryKey,
          entries: group.entries,
          recovery: true,
          recorded: group.recorded,
        });
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
        if (group.entries.length > 0) {
          return { key, entries: group.entries, recovery: true, recorded: group.recorded };
        }
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

  /**
   * An item the vendor refused (or that ran out of retries): `failed`, unless an earlier request
   * carrying it had an unknown outcome and the refusal does not prove that request wrote nothing.
   */
  const refused = (entry: Entry<T>, error: ItemError): ItemOutcome<T, R> => {
    if (!entry.lost || error.definite === true) return outcomeOf(entry, 'failed', error);
    if (error === entry.lost) return outcomeOf(entry, 'unknown', error);
    return outcomeOf(entry, 'unknown', {
      ...error,
      message: `${error.message}; an earlier request carrying this item lost its answer and may have applied it`,
    });
  };

  // Requests in flight that follow the caller's abort: one listener for the run, not one each.
  const followUser = settings.abortMode === 'abort' && signal !== undefined;
  const abortInFlight = new Set<(reason: unknown) => void>();
  const onUserAbort = () => {
    for (const abort of abortInFlight) abort(signal?.reason);
  };
  if (followUser) signal.addEventListener('abort', onUserAbort, { once: true });
  const deadlines =
    settings.requestTimeoutMs > 0
      ? new RequestDeadlines(clock, settings.requestTimeoutMs)
      : undefined;
  const timeoutMessage = `The request timed out after ${settings.requestTimeoutMs} ms`;

  // Durable before it resolves, like `sent`: the adapter's next request may apply the batch.
  const noteFor =
    (key: string) =>
    async (data: JsonValue): Promise<void> => {
      if (!isJson(data)) {
        throw new TypeError(`Expected the note of batch ${key} to be a JSON value`);
      }
      if (journal) await journal.append([{ type: 'note', key, data }]);
    };

  const request = async <X>(
    call: (batch: readonly BatchItem<T>[], ctx: SendContext) => Promise<X[]>,
    entries: Entry<T>[],
    key: string,
    attempt: number,
    recorded?: readonly JsonValue[],
  ): Promise<X[]> => {
    const controller = new AbortController();
    let rejectEarly: ((reason: unknown) => void) | undefined;
    let earlyReason: { reason: unknown } | undefined;
    // The adapter gets a moment to fail with its own, more precise error (a NotSentError from the
    // rate limiter says the request never left) before the abort reason is used.
    const abortWith = (reason: unknown) => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      setTimeout(() => {
        earlyReason = { reason };
        rejectEarly?.(reason);
      }, 0);
    };
    if (followUser) abortInFlight.add(abortWith);
    const deadline = deadlines?.add(() =>
      abortWith(new DOMException(timeoutMessage, 'TimeoutError')),
    );
    stats.inFlight += entries.length;
    updateHeld();
    let grant: Grant | undefined;
    try {
      if (followUser && signal.aborted) abortWith(signal.reason);
      if (settings.acquireTokens && limiter) grant = await limiter.acquire(controller.signal);
      stats.requests += 1;
      const ctx: SendContext = {
        signal: controller.signal,
        attempt,
        batchKey: key,
        runId,
        note: noteFor(key),
      };
      if (recorded) ctx.recorded = recorded;
      const sent = call(entries, ctx);
      const results = await new Promise<X[]>((resolve, reject) => {
        rejectEarly = reject;
        if (earlyReason) reject(earlyReason.reason);
        if (isPromise(sent)) sent.then(resolve, reject);
        else resolve(sent);
      });
      if (!Array.isArray(results) || results.length !== entries.length) {
        throw new AdapterContractError(adapter.operation, entries.length, results);
      }
      return results;
    } finally {
      if (grant) limiter?.answered?.(grant);
      stats.inFlight -= entries.length;
      updateHeld();
      if (deadline) deadlines?.cancel(deadline);
      if (followUser) abortInFlight.delete(abortWith);
    }
  };

  const sendBatch = adapter.send.bind(adapter);
  const reconcileBatch = (batch: readonly BatchItem<T>[], ctx: SendContext) =>
    adapter.reconcile!(batch, ctx);

  const classify = (error: unknown): FailureClass => {
    if (error instanceof AdapterContractError) return { kind: 'unknown', reason: error.code };
    return adapter.classifyError?.(error) ?? classifyFailure(error);
  };

  /** Waits before a retry; returns false when the run was aborted meanwhile. */
  const backoff = async (retryNumber: number, failure: FailureClass): Promise<boolean> => {
    const delay = backoffDelay(retryNumber, retry, failure.retryAfterMs);
    const throttled = failure.reason === 'http_429';
    if (throttled) {
      stats.throttled += 1;
      // Middleware may already have paused it; holding again for the same time is harmless.
      if (failure.retryAfterMs !== undefined) limiter?.holdFor(failure.retryAfterMs);
      backingOff += 1;
      updateHeld();
    }
    try {
      if (stopped()) return false;
      await clock.sleep(delay, haltSignal);
    } catch {
      return false;
    } finally {
      if (throttled) {
        backingOff -= 1;
        updateHeld();
      }
    }
    if (stopped()) return false;
    stats.retries += 1;
    return true;
  };

  /** Reads back items whose outcome is unknown; read errors are retried like any read. */
  const reconcile = async (
    entries: Entry<T>[],
    key: string,
    recorded: readonly JsonValue[] | undefined,
  ): Promise<ReconcileResult<R>[] | undefined> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(reconcileBatch, entries, key, attempt, recorded);
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
      // Only non-idempotent operations get here: the others simply send such items again.
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
      pending = await applyReconcile(key, pending, undefined, batch.recorded ?? []);
      if (pending.length > 0) resendQueue.push(...pending);
      return;
    }
    let lastError: ItemError | undefined;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (stopped()) {
        await settleStep(
          key,
          pending.map((entry) =>
            entry.lost
              ? outcomeOf(entry, 'unknown', lastError ?? entry.lost)
              : outcomeOf(entry, 'skipped', notSentError()),
          ),
          [],
        );
        return;
      }
      for (const entry of pending) entry.attempts += 1;
      let results: ItemResult<R>[];
      try {
        results = await request(sendBatch, pending, key, attempt);
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
            pending.map((entry) => refused(entry, itemError)),
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
          // What the read-back found absent was not applied: a later refusal is the whole story.
          pending = await applyReconcile(key, pending, itemError, undefined);
          for (const entry of pending) entry.lost = undefined;
          if (pending.length === 0) return;
        } else if (failure.kind === 'unknown') {
          // Sticky: a later refusal does not undo what this attempt may have applied.
          for (const entry of pending) entry.lost = itemError;
        }
        lastError = itemError;
        if (attempt > retry.retries) {
          await settleStep(
            key,
            pending.map((entry) => refused(entry, itemError)),
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
        else if (result.kind === 'failed') settled.push(refused(entry, result.error));
        else if (result.kind === 'unknown') settled.push(outcomeOf(entry, 'unknown', result.error));
        else if (entry.resends >= settings.maxResends) {
          settled.push(
            refused(entry, {
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
    recorded: readonly JsonValue[] | undefined,
  ): Promise<Entry<T>[]> => {
    const found = await reconcile(entries, key, recorded);
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
            result.error ?? cause ?? { code: 'unknown', message: 'The vendor could not say' },
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
      leftover.push(outcomeOf(entry, 'skipped', notSentError()));
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
    stopWatchingLimiter?.();
    stopWatchingStop?.();
    signal?.removeEventListener('abort', onHalt);
    deadlines?.close();
    if (followUser) signal.removeEventListener('abort', onUserAbort);
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
    aborted: signal?.aborted === true,
    // Only when the stop left something unsent: a budget spent by the last request stops nothing.
    dailyStop:
      !signal?.aborted &&
      limiter?.stopped?.code === 'daily_limit' &&
      (counts.skipped > 0 || !inputDone),
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

/** Whether `value` survives `JSON.stringify` and `JSON.parse` unchanged. */
function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every(isJson);
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
