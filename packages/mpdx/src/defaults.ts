import { type RateLimitHeaderNames, retryAfterFromRateLimitHeaders } from '@bulk-clients/core';
import type { RateLimit } from './types.js';

/** Facts about the MPDX API that the client and the bulk layer plan with. */
export interface MpdxDefaults {
  /** Production host; paths in the spec are absolute (`/api/v2/...`). */
  readonly baseUrl: 'https://api.mpdx.org';
  /** JSON:API media type of every request and response body. */
  readonly mediaType: 'application/vnd.api+json';
  /** Largest bulk request the vendor accepts; it documents no limit. */
  readonly maxBatchSize: undefined;
  /** Preferences sent per bulk request unless the caller chooses otherwise. */
  readonly chunkSize: number;
  /** The vendor documents no limit; this budget is our own, conservative choice. */
  readonly rateLimit: Readonly<RateLimit>;
  /** Page size of the list endpoints unless the caller asks for another one. */
  readonly pageSize: number;
  /** Largest page size the list endpoints accept. */
  readonly maxPageSize: number;
  /** Statuses worth retrying: the request was not applied and may succeed later. */
  readonly retryableStatuses: readonly number[];
}

export const mpdxDefaults: MpdxDefaults = Object.freeze({
  baseUrl: 'https://api.mpdx.org',
  mediaType: 'application/vnd.api+json',
  maxBatchSize: undefined,
  chunkSize: 100,
  rateLimit: Object.freeze({ requests: 60, perMs: 60_000 }),
  pageSize: 25,
  maxPageSize: 100,
  retryableStatuses: Object.freeze([429, 500, 502, 503, 504]),
});

/**
 * Where MPDX states its budget, for the client's limiter to follow: `X-RateLimit-Remaining` and
 * the window's end in `X-RateLimit-Reset`. MPDX documents no window length, so the limit header
 * alone is not read as a budget (our default holds).
 */
export const rateLimitHeaders = Object.freeze({
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
}) satisfies RateLimitHeaderNames;

/**
 * How long MPDX asks us to wait, in ms: `Retry-After` when sent, else the end of the rate-limit
 * window (`X-RateLimit-Reset`, Unix seconds) once `X-RateLimit-Remaining` is 0 or the answer is
 * a 429. Returns `undefined` when the headers say nothing.
 *
 * @param now Current time in Unix ms; inject it in tests.
 * @example unwrap(result, { retryAfter: retryAfterFromHeaders })
 */
export function retryAfterFromHeaders(
  response: Response,
  now: number = Date.now(),
): number | undefined {
  return retryAfterFromRateLimitHeaders(response, rateLimitHeaders, now);
}
