import { ApiError } from './api-error.js';

/**
 * How a failed request is treated:
 * - `retry`: the vendor did not apply it (429, 503, connection refused...): safe to send again;
 * - `unknown`: it may have been applied (connection reset after the body was sent, timeout,
 *   500/502/504, unreadable response): send again only when the operation is idempotent;
 * - `fatal`: the vendor rejected it for good (validation, auth...): never retried;
 * - `aborted`: the caller's signal stopped it.
 */
export type FailureKind = 'retry' | 'unknown' | 'fatal' | 'aborted';

export interface FailureClass {
  kind: FailureKind;
  /** Short machine-readable reason, e.g. `http_503`, `ECONNRESET`, `timeout`. */
  reason: string;
  /** How long the vendor asked us to wait before the next request, if it said. */
  retryAfterMs?: number | undefined;
}

/** Options of the exponential backoff with full jitter used between attempts. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (so at most `retries + 1` requests per batch).
   * @default 5
   */
  retries?: number | undefined;
  /**
   * Upper bound of the first delay; each next bound is multiplied by `factor`.
   * @default 500
   */
  minDelayMs?: number | undefined;
  /**
   * Upper bound of any delay (a `Retry-After` from the vendor may ask for longer and is honoured).
   * @default 30000
   */
  maxDelayMs?: number | undefined;
  /**
   * Growth of the delay bound per attempt.
   * @default 2
   */
  factor?: number | undefined;
  /**
   * Source of randomness in [0, 1) for the jitter; inject a constant in tests.
   * @default Math.random
   */
  random?: (() => number) | undefined;
}

export type ResolvedRetryOptions = Required<{
  [K in keyof RetryOptions]: NonNullable<RetryOptions[K]>;
}>;

/** Default retry options, merged once with what the caller gives. */
export const defaultRetryOptions: Readonly<ResolvedRetryOptions> = Object.freeze({
  retries: 5,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  random: Math.random,
});

/** Merges `options` over {@link defaultRetryOptions} and checks every value. */
export function resolveRetryOptions(
  options: RetryOptions | undefined,
  argument = 'retry',
): ResolvedRetryOptions {
  const merged = { ...defaultRetryOptions };
  if (options === undefined) return merged;
  if (!options || typeof options !== 'object') {
    throw new TypeError(`Expected \`${argument}\` to be an object`);
  }
  for (const key of ['retries', 'minDelayMs', 'maxDelayMs', 'factor'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(
        `Expected \`${argument}.${key}\` to be a non-negative number, got ${String(value)}`,
      );
    }
    merged[key] = value;
  }
  if (!Number.isInteger(merged.retries)) {
    throw new TypeError(`Expected \`${argument}.retries\` to be an integer, got ${merged.retries}`);
  }
  if (merged.factor < 1) {
    throw new TypeError(`Expected \`${argument}.factor\` to be at least 1, got ${merged.factor}`);
  }
  if (options.random !== undefined) {
    if (typeof options.random !== 'function') {
      throw new TypeError(`Expected \`${argument}.random\` to be a function`);
    }
    merged.random = options.random;
  }
  return merged;
}

/**
 * Delay before retry number `retry` (1-based): a uniformly random value between 0 and
 * `min(maxDelayMs, minDelayMs * factor^(retry - 1))` ("full jitter"), so that many clients that
 * failed together do not retry together. A vendor's `retryAfterMs` is a floor.
 */
export function backoffDelay(
  retry: number,
  options: ResolvedRetryOptions,
  retryAfterMs?: number,
): number {
  const bound = Math.min(
    options.maxDelayMs,
    options.minDelayMs * options.factor ** Math.max(0, retry - 1),
  );
  const jittered = Math.floor(options.random() * bound);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** HTTP statuses after which the request was certainly not applied. */
const NOT_APPLIED_STATUSES = new Set([408, 429, 503]);
/** HTTP statuses after which the request may or may not have been applied. */
const MAYBE_APPLIED_STATUSES = new Set([500, 502, 504]);

/** Error codes raised before any byte of the request left: always safe to send again. */
const BEFORE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_NOT_SENT',
]);
/** Error codes raised once the request may have reached the vendor. */
const AFTER_SEND_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_ABORTED',
]);

/**
 * Thrown when a request was given up before it was sent (for example while it waited for the rate
 * limiter): the vendor never saw it, so it is always safe to send again.
 */
export class NotSentError extends Error {
  override readonly name: string = 'NotSentError';
  readonly code = 'ERR_NOT_SENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Classifies the failure of one whole request. Walks `error.cause` (undici wraps socket errors
 * in `TypeError('fetch failed')`) and `AggregateError.errors` (connection attempts to several
 * addresses).
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof ApiError) {
    const reason = `http_${error.status}`;
    if (NOT_APPLIED_STATUSES.has(error.status)) {
      return { kind: 'retry', reason, retryAfterMs: error.retryAfterMs };
    }
    if (MAYBE_APPLIED_STATUSES.has(error.status)) {
      return { kind: 'unknown', reason, retryAfterMs: error.retryAfterMs };
    }
    return { kind: 'fatal', reason };
  }
  const code = errorCodeOf(error);
  if (code !== undefined) {
    if (BEFORE_SEND_CODES.has(code)) return { kind: 'retry', reason: code };
    if (AFTER_SEND_CODES.has(code)) return { kind: 'unknown', reason: code };
  }
  const name = errorName(error);
  if (name === 'TimeoutError') return { kind: 'unknown', reason: 'timeout' };
  if (name === 'AbortError') return { kind: 'aborted', reason: 'aborted' };
  // A 2xx whose body could not be read or parsed: the write happened, its result is lost.
  if (error instanceof SyntaxError) return { kind: 'unknown', reason: 'invalid_response' };
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return { kind: 'unknown', reason: code ?? 'network_error' };
  }
  return { kind: 'fatal', reason: code ?? 'error' };
}

/** The first `code` found on the error, its causes or its aggregated errors. */
export function errorCodeOf(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  // undici's own errors carry the most precise code, so look at the cause first.
  const fromCause = errorCodeOf(record.cause, depth + 1);
  if (fromCause !== undefined) return fromCause;
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const code = errorCodeOf(inner, depth + 1);
      if (code !== undefined) return code;
    }
  }
  return typeof record.code === 'string' ? record.code : undefined;
}

function errorName(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
