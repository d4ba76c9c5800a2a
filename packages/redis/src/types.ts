import type { Redis } from 'ioredis';

/** The Redis connection this package talks through: an ioredis client. */
export type RedisConnection = Redis;

/** Options of {@link createRedisLimiter}. */
export interface RedisLimiterOptions {
  /**
   * The ioredis connection to keep the shared window in. The limiter does not close it.
   * @example new Redis('redis://127.0.0.1:6379')
   */
  redis: RedisConnection;
  /**
   * The vendor whose budget this is; part of the key.
   * @example 'hubspot'
   */
  vendor: string;
  /**
   * Names the account that owns the budget. Processes naming the same vendor and account share
   * one budget.
   * @default the first 16 hex digits of the SHA-256 of `token` (never the token itself)
   */
  account?: string | undefined;
  /** The API token, only to derive the account key when `account` is not given. */
  token?: string | undefined;
  /**
   * Requests allowed in any interval of `perMs` milliseconds, across every process of the
   * account. A fraction below 1 is read as one request per `perMs / requests`.
   * @example 100
   */
  requests: number;
  /**
   * Window length in milliseconds.
   * @example 10000
   */
  perMs: number;
  /**
   * A tighter budget for short bursts (as core's `RateLimitOptions.burst`).
   * @default requests (no separate burst budget)
   */
  burst?: number | undefined;
  /**
   * `configured` when the caller chose the budget (learned budgets never lift it), `default` when
   * it is the vendor's documented one, which the vendor's headers then replace.
   * @default 'configured'
   */
  source?: 'configured' | 'default' | undefined;
  /**
   * Milliseconds each window is held open for beyond `perMs`.
   * @default 2% of the window, at least 10 ms and at most 250 ms (core's rule)
   */
  safetyMarginMs?: number | undefined;
  /**
   * Daily requests to leave unspent: the account stops once the vendor's daily budget is down to
   * this many.
   * @default 0
   */
  dailyReserve?: number | undefined;
  /**
   * Prefix of every key.
   * @default 'bulk-clients'
   */
  prefix?: string | undefined;
  /**
   * How long a daily stop stays recorded for the account. Once it expires, the next response's
   * headers (or a 429 for the daily budget) stop the account again if the budget is still spent.
   * @default 3600000 (one hour)
   */
  stopTtlMs?: number | undefined;
  /**
   * Longest a Redis command may take before `acquire` rejects with a `RedisUnavailableError`.
   * @default 5000
   */
  commandTimeoutMs?: number | undefined;
  /**
   * Longest sleep between two checks while waiting, so that a budget freed elsewhere (a learned
   * budget raised, a pause lifted) is seen soon.
   * @default 1000
   */
  maxPollMs?: number | undefined;
  /**
   * How Redis is named in error messages (never with a password).
   * @default `redis://host:port/db` of the connection
   */
  label?: string | undefined;
  /**
   * Called when a background write (a pause, an observation, a stop) fails; the next `acquire`
   * then fails too when Redis stays unreachable.
   * @default ignores the error
   */
  onError?: ((error: Error) => void) | undefined;
}
