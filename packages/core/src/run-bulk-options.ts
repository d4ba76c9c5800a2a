import type { BulkAdapter } from './bulk-adapter.js';
import type { BulkProgress, ItemOutcome } from './bulk-report.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { BulkJournal } from './journal.js';
import { isRequestLimiter, type RequestLimiter } from './rate-limiter.js';
import {
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
} from './retry-policy.js';

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
   * holds it back after a 429 and reports the wall-clock time it held the run. It only takes tokens
   * itself when `acquireTokens` is set. When the limiter stops (the vendor's daily budget is
   * spent), the run stops sending: requests in flight settle, the items not sent are `skipped`
   * (code `daily_limit`) and the report says `dailyStop: true`.
   * @default none
   */
  limiter?: RequestLimiter | undefined;
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

/** Checks the parts of an adapter the engine relies on; throws a `TypeError` naming the bad one. */
export function checkAdapter(adapter: BulkAdapter<unknown, unknown>): void {
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

/** {@link RunBulkOptions} merged with the defaults and checked. */
export interface ResolvedRunBulkOptions {
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
  limiter: RequestLimiter | undefined;
  journal: BulkJournal | undefined;
}

/** Merges `options` over {@link defaultRunBulkOptions}; throws a `TypeError` naming a bad option. */
export function resolveRunBulkOptions<T, R>(
  adapter: BulkAdapter<T, R>,
  options: RunBulkOptions<T, R>,
): ResolvedRunBulkOptions {
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
  if (options.limiter !== undefined && !isRequestLimiter(options.limiter)) {
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
