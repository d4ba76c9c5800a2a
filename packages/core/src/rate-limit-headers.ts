import { parseRetryAfter } from './retry-after.js';

/**
 * Where a vendor states its request budget in its response headers. Every field is optional: a
 * vendor names the headers it sends. Names are matched case-insensitively (as `Headers` does).
 *
 * @example
 * // HubSpot
 * { limit: 'x-hubspot-ratelimit-max', intervalMs: 'x-hubspot-ratelimit-interval-milliseconds',
 *   remaining: 'x-hubspot-ratelimit-remaining', daily: 'x-hubspot-ratelimit-daily',
 *   dailyRemaining: 'x-hubspot-ratelimit-daily-remaining' }
 */
export interface RateLimitHeaderNames {
  /** Requests allowed per window. */
  limit?: string | undefined;
  /** Requests left in the current window. */
  remaining?: string | undefined;
  /** Length of the window in milliseconds, when the vendor states it in a header. */
  intervalMs?: string | undefined;
  /**
   * Length of the window in milliseconds when no header states it (the vendor's documented
   * window), so that a `limit` header alone still says a budget.
   */
  windowMs?: number | undefined;
  /** When the current window ends, as Unix seconds. */
  reset?: string | undefined;
  /** Requests allowed per second, a second limit beside the window's. */
  secondly?: string | undefined;
  /** Requests left in the current second. */
  secondlyRemaining?: string | undefined;
  /** Requests allowed per day. */
  daily?: string | undefined;
  /** Requests left today. */
  dailyRemaining?: string | undefined;
}

/**
 * What one response says about the vendor's budget, every value checked: a header that is
 * missing, blank, negative, non-numeric or beyond any plausible budget is left out.
 */
export interface RateLimitObservation {
  /** Requests allowed per `intervalMs`. Present only with `intervalMs`. */
  limit?: number;
  /** Window length in milliseconds. Present only with `limit`. */
  intervalMs?: number;
  /** Requests left in the window when the vendor answered. */
  remaining?: number;
  /** Milliseconds until the window ends, counted from when the response was read. */
  resetInMs?: number;
  /** Requests allowed per second. */
  secondly?: number;
  /** Requests left in the current second. */
  secondlyRemaining?: number;
  /** Requests allowed per day. */
  daily?: number;
  /** Requests left today. */
  dailyRemaining?: number;
}

/** Bounds beyond which a header value is taken for noise rather than a budget. */
const BOUNDS = {
  limit: 1_000_000,
  intervalMs: 86_400_000,
  secondly: 100_000,
  daily: 1_000_000_000,
  resetInMs: 86_400_000,
} as const;

/**
 * Reads a header as a non-negative number, or `undefined` when it is missing, blank, not a plain
 * decimal number, negative or above `max`. The one place header numbers are parsed.
 */
export function headerNumber(
  headers: Headers,
  name: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (!name) return undefined;
  const raw = headers.get(name)?.trim();
  if (!raw || !/^\d+(\.\d+)?$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value <= max ? value : undefined;
}

/**
 * Reads the budget a response states in the headers `names` lists. Values that make no sense
 * together (a `remaining` above its `limit`) are dropped.
 *
 * @param nowUnixMs The current time in Unix ms, to turn a `reset` header into a delay.
 */
export function readRateLimitHeaders(
  headers: Headers,
  names: RateLimitHeaderNames,
  nowUnixMs: number = Date.now(),
): RateLimitObservation {
  const observation: RateLimitObservation = {};
  const limit = whole(headerNumber(headers, names.limit, BOUNDS.limit));
  const interval =
    headerNumber(headers, names.intervalMs, BOUNDS.intervalMs) ??
    (names.windowMs !== undefined && names.windowMs > 0 ? names.windowMs : undefined);
  if (limit !== undefined && limit >= 1 && interval !== undefined && interval >= 1) {
    observation.limit = limit;
    observation.intervalMs = interval;
  }
  const remaining = whole(headerNumber(headers, names.remaining, BOUNDS.limit));
  if (remaining !== undefined && (limit === undefined || remaining <= limit)) {
    observation.remaining = remaining;
  }
  const reset = headerNumber(headers, names.reset);
  if (reset !== undefined) {
    const inMs = Math.ceil(reset * 1000 - nowUnixMs);
    if (inMs <= BOUNDS.resetInMs) observation.resetInMs = Math.max(0, inMs);
  }
  const secondly = whole(headerNumber(headers, names.secondly, BOUNDS.secondly));
  if (secondly !== undefined && secondly >= 1) observation.secondly = secondly;
  const secondlyRemaining = whole(headerNumber(headers, names.secondlyRemaining, BOUNDS.secondly));
  if (
    secondlyRemaining !== undefined &&
    (secondly === undefined || secondlyRemaining <= secondly)
  ) {
    observation.secondlyRemaining = secondlyRemaining;
  }
  const daily = whole(headerNumber(headers, names.daily, BOUNDS.daily));
  if (daily !== undefined && daily >= 1) observation.daily = daily;
  const dailyRemaining = whole(headerNumber(headers, names.dailyRemaining, BOUNDS.daily));
  if (dailyRemaining !== undefined && (daily === undefined || dailyRemaining <= daily)) {
    observation.dailyRemaining = dailyRemaining;
  }
  return observation;
}

function whole(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.floor(value);
}

/**
 * How long to wait before sending again, in ms, from `Retry-After` and the budget headers:
 * `Retry-After` when sent; else the end of the window (`reset`) once `remaining` is 0; else, when
 * only the window's length is known, one whole window after a 429 or `remaining` 0 (the headers
 * do not say when the current window started). `undefined` when there is nothing to wait for,
 * and when only the daily budget is spent (waiting cannot help within a run).
 */
export function retryAfterFromRateLimitHeaders(
  response: Response,
  names: RateLimitHeaderNames,
  nowUnixMs: number = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), nowUnixMs);
  if (retryAfter !== undefined) return retryAfter;
  const seen = readRateLimitHeaders(response.headers, names, nowUnixMs);
  if (seen.dailyRemaining === 0) return undefined;
  if (seen.remaining === 0 && seen.resetInMs !== undefined) return seen.resetInMs;
  if (response.status === 429 || seen.remaining === 0) {
    const interval = headerNumber(response.headers, names.intervalMs, BOUNDS.intervalMs);
    if (interval !== undefined && interval > 0) return interval;
  }
  return undefined;
}
