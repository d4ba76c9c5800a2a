import { type Clock, systemClock } from './clock.js';
import { classifyFailure, type FailureClass } from './retry-policy.js';

/** What one status check found. */
export interface PollStatus<V> {
  /** `pending` keeps polling; `succeeded` and `failed` are terminal. */
  state: 'pending' | 'succeeded' | 'failed';
  /** The status as the vendor returned it. */
  value: V;
  /** How long the vendor asked us to wait before the next check (its `Retry-After`). */
  retryAfterMs?: number | undefined;
}

/** What a status check is told. */
export interface PollContext {
  /** 1 for the first check. */
  poll: number;
  elapsedMs: number;
  signal: AbortSignal | undefined;
}

/** Why polling stopped, and the last status seen. */
export interface PollResult<V> {
  state: 'succeeded' | 'failed' | 'timeout' | 'aborted';
  /** The last status value returned by the check (`undefined` if none succeeded). */
  last: V | undefined;
  /** Checks made, including the ones that failed with a transient error. */
  polls: number;
  elapsedMs: number;
  /** The last transient error, when the wait ended while checks were failing. */
  lastError?: unknown;
}

/** Options of {@link pollUntilDone}. */
export interface PollOptions {
  /**
   * Shortest wait between two checks.
   * @default 1000
   */
  minDelayMs?: number | undefined;
  /**
   * Longest wait between two checks (a vendor's `Retry-After` may ask for longer).
   * @default 30000
   */
  maxDelayMs?: number | undefined;
  /**
   * Caps each wait at `minDelayMs + maxDelayRatio x` the time elapsed since polling began, so
   * that a job settling at time `t` is seen at most `minDelayMs + maxDelayRatio x t` later
   * (plus one check's latency): backoff alone would let a long job's result sit unread for up
   * to `maxDelayMs`. A vendor's `Retry-After` still wins. `Infinity` turns the cap off.
   * @default 0.1
   * @example { maxDelayRatio: 0.25 } // fewer reads, a job seen within 25% of its duration
   */
  maxDelayRatio?: number | undefined;
  /**
   * Total time to wait before giving up with `timeout`. The last check happens at the deadline.
   * @default 600000
   */
  maxWaitMs?: number | undefined;
  /** Stops waiting with `aborted`. */
  signal?: AbortSignal | undefined;
  /**
   * Whether an error thrown by the check is transient (polling goes on) or not (it is thrown).
   * @default 408, 429, 5xx responses and network errors are transient
   */
  isTransient?: ((error: unknown) => boolean) | undefined;
  /** Called after every check that returned a status. */
  onPoll?: ((status: PollStatus<unknown>, ctx: PollContext) => void) | undefined;
  /**
   * Source of randomness in [0, 1) for the jitter.
   * @default Math.random
   */
  random?: (() => number) | undefined;
  /**
   * Time source; inject a fake one in tests.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** Defaults of {@link PollOptions}, merged once per call. */
export const defaultPollOptions = Object.freeze({
  minDelayMs: 1000,
  maxDelayMs: 30_000,
  maxWaitMs: 600_000,
  maxDelayRatio: 0.1,
});

/**
 * Calls `check` until the job it watches reaches a terminal state, waiting between checks with
 * exponential backoff and jitter between `minDelayMs` and `maxDelayMs`, for at most `maxWaitMs`.
 * No wait exceeds `minDelayMs + maxDelayRatio x elapsed`, which bounds how late a settled job
 * is seen relative to how long it ran.
 * Transient errors (a 503 or a dropped connection during a long job) do not end the wait; other
 * errors are thrown. A `Retry-After` (from the status or an `ApiError`) is honoured.
 *
 * @example
 * const result = await pollUntilDone(async () => {
 *   const job = await getJob(id);
 *   return { state: job.status === 'complete' ? 'succeeded' : job.status === 'failed' ? 'failed' : 'pending', value: job };
 * }, { maxWaitMs: 10 * 60_000 });
 */
export async function pollUntilDone<V>(
  check: (ctx: PollContext) => Promise<PollStatus<V>>,
  options: PollOptions = {},
): Promise<PollResult<V>> {
  if (typeof check !== 'function') throw new TypeError('Expected `check` to be a function');
  if (!options || typeof options !== 'object')
    throw new TypeError('Expected `options` to be an object');
  const minDelayMs = nonNegative('minDelayMs', options.minDelayMs, defaultPollOptions.minDelayMs);
  const maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs, defaultPollOptions.maxDelayMs);
  const maxWaitMs = nonNegative('maxWaitMs', options.maxWaitMs, defaultPollOptions.maxWaitMs);
  const maxDelayRatio = options.maxDelayRatio ?? defaultPollOptions.maxDelayRatio;
  if (typeof maxDelayRatio !== 'number' || Number.isNaN(maxDelayRatio) || maxDelayRatio < 0) {
    throw new TypeError(
      `Expected \`maxDelayRatio\` to be a non-negative number, got ${String(maxDelayRatio)}`,
    );
  }
  if (maxDelayMs < minDelayMs) {
    throw new TypeError(
      `Expected \`maxDelayMs\` (${maxDelayMs}) to be at least \`minDelayMs\` (${minDelayMs})`,
    );
  }
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const isTransient = options.isTransient ?? defaultIsTransient;
  const { signal } = options;
  const startedAt = clock.now();
  const deadline = startedAt + maxWaitMs;
  let last: V | undefined;
  let lastError: unknown;
  let polls = 0;
  const result = (state: PollResult<V>['state']): PollResult<V> => {
    const outcome: PollResult<V> = { state, last, polls, elapsedMs: clock.now() - startedAt };
    if (lastError !== undefined) outcome.lastError = lastError;
    return outcome;
  };

  for (;;) {
    if (signal?.aborted) return result('aborted');
    polls += 1;
    const ctx: PollContext = { poll: polls, elapsedMs: clock.now() - startedAt, signal };
    let askedWaitMs: number | undefined;
    try {
      const status = await check(ctx);
      last = status.value;
      lastError = undefined;
      options.onPoll?.(status, ctx);
      if (status.state === 'succeeded' || status.state === 'failed') return result(status.state);
      askedWaitMs = status.retryAfterMs;
    } catch (error) {
      if (signal?.aborted) return result('aborted');
      if (!isTransient(error)) throw error;
      lastError = error;
      askedWaitMs = (error as { retryAfterMs?: number }).retryAfterMs;
    }
    const now = clock.now();
    if (now >= deadline) return result('timeout');
    // Exponential bound from the AWS SDK waiters: jitter between min and the growing bound,
    // which never outgrows a fixed share of the time waited so far.
    const shareBound =
      maxDelayRatio === Number.POSITIVE_INFINITY
        ? maxDelayMs
        : minDelayMs + Math.floor(maxDelayRatio * (now - startedAt));
    const bound = Math.min(maxDelayMs, minDelayMs * 2 ** (polls - 1), shareBound);
    const jittered = minDelayMs + Math.floor(random() * (bound - minDelayMs + 1));
    const delay = Math.min(Math.max(jittered, askedWaitMs ?? 0), deadline - now);
    try {
      await clock.sleep(delay, signal);
    } catch {
      return result('aborted');
    }
  }
}

function defaultIsTransient(error: unknown): boolean {
  const failure: FailureClass = classifyFailure(error);
  // A status read has no side effect, so a lost answer is as good as a refusal: ask again.
  return failure.kind === 'retry' || failure.kind === 'unknown';
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number, got ${String(value)}`);
  }
  return value;
}
