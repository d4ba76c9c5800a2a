import { type RateLimitHeaderNames, retryAfterFromRateLimitHeaders } from '@bulk-clients/core';
import type { BackgroundJobStatus, RateLimit } from './types.js';

/** Facts about the Thought Industries API that the bulk layer plans with. */
export interface ThoughtIndustriesDefaults {
  /**
   * Production base URL. Thought Industries has none shared by all customers: every customer
   * has an own host, built from {@link ThoughtIndustriesDefaults.hostTemplate}.
   */
  readonly baseUrl: undefined;
  /** Host of a customer instance; `{instance}` is the customer's subdomain. */
  readonly hostTemplate: 'https://{instance}.thoughtindustries.com';
  /** Largest batch the vendor accepts in one call; it documents no limit. */
  readonly maxBatchSize: undefined;
  /** Records sent per bulk call unless the caller chooses otherwise. */
  readonly chunkSize: number;
  /** The standard plan's documented limit. */
  readonly rateLimit: Readonly<RateLimit & { burst: number }>;
  /** The enterprise plan's documented limit. */
  readonly enterpriseRateLimit: Readonly<RateLimit & { burst: number }>;
  /** Statuses worth retrying after a wait: the documented 429 and 503, and other gateway errors. */
  readonly retryableStatuses: readonly number[];
  /** Background job statuses after which the status no longer changes. */
  readonly terminalJobStatuses: readonly BackgroundJobStatus[];
}

export const thoughtIndustriesDefaults: ThoughtIndustriesDefaults = Object.freeze({
  baseUrl: undefined,
  hostTemplate: 'https://{instance}.thoughtindustries.com',
  maxBatchSize: undefined,
  chunkSize: 100,
  rateLimit: Object.freeze({ requests: 120, perMs: 60_000, burst: 20 }),
  enterpriseRateLimit: Object.freeze({ requests: 600, perMs: 60_000, burst: 100 }),
  retryableStatuses: Object.freeze([429, 500, 502, 503, 504]),
  terminalJobStatuses: Object.freeze(['complete', 'failed'] as const),
});

/**
 * Where Thought Industries states its budget, for the client's limiter to follow:
 * `X-RateLimit-Remaining` and the window's end in `X-RateLimit-Reset` (Unix seconds). Its
 * `X-RateLimit-Limit` is not read as a budget: the documented limit is a token bucket (a rate
 * and a burst), and one number cannot say which of the two it counts. Enterprise accounts pass
 * `rateLimit: thoughtIndustriesDefaults.enterpriseRateLimit`.
 */
export const rateLimitHeaders = Object.freeze({
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
}) satisfies RateLimitHeaderNames;

/**
 * How long Thought Industries asks us to wait, in ms, read from its headers: `Retry-After`
 * when sent, else the end of the rate-limit window (`X-RateLimit-Reset`, Unix seconds) once
 * `X-RateLimit-Remaining` is 0 or the answer is a 429. Returns `undefined` when the headers say
 * nothing.
 *
 * @example unwrap(result, { retryAfter: retryAfterFromHeaders })
 */
export function retryAfterFromHeaders(
  response: Response,
  now: number = Date.now(),
): number | undefined {
  return retryAfterFromRateLimitHeaders(response, rateLimitHeaders, now);
}
