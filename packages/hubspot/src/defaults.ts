import { type RateLimitHeaderNames, retryAfterFromRateLimitHeaders } from '@bulk-clients/core';

/**
 * Facts about HubSpot's API that the client and the bulk layer build on. Values come from
 * HubSpot's public documentation (see `specs/hubspot/openapi.yaml`).
 */
export const hubSpotDefaults = {
  /** Production API host; paths in the spec are absolute. */
  baseUrl: 'https://api.hubapi.com',
  /** Media type of every request and response body. */
  mediaType: 'application/json',
  /** Most inputs one batch request accepts. */
  maxBatchSize: 100,
  /** Most inputs of a batch read that asks for `propertiesWithHistory`. */
  maxBatchReadWithHistory: 50,
  /** Inputs per request when splitting a large job: the largest batch HubSpot takes. */
  chunkSize: 100,
  /**
   * Requests per window. HubSpot grants 100 (or 190, depending on the plan) per 10 seconds;
   * the lower figure is safe for every account.
   */
  rateLimit: { requests: 100, perMs: 10_000 },
  /** Statuses worth retrying: the request was not applied and may succeed later. */
  retryableStatuses: [429, 500, 502, 503, 504],
} as const;

/** The type of {@link hubSpotDefaults}. */
export type HubSpotDefaults = typeof hubSpotDefaults;

/**
 * Where HubSpot states its budget, for the client's limiter to learn it: the rolling window
 * (`Max` per `Interval-Milliseconds`, `Remaining`), the per-second limit and the daily one. The
 * daily headers are absent on OAuth calls; the limiter then knows no daily budget. Names are lower
 * case, as `Headers` reads them.
 */
export const rateLimitHeaders = Object.freeze({
  limit: 'x-hubspot-ratelimit-max',
  remaining: 'x-hubspot-ratelimit-remaining',
  intervalMs: 'x-hubspot-ratelimit-interval-milliseconds',
  secondly: 'x-hubspot-ratelimit-secondly',
  secondlyRemaining: 'x-hubspot-ratelimit-secondly-remaining',
  daily: 'x-hubspot-ratelimit-daily',
  dailyRemaining: 'x-hubspot-ratelimit-daily-remaining',
}) satisfies RateLimitHeaderNames;

/**
 * How long to wait before retrying, in milliseconds, read from HubSpot's rate-limit headers.
 * HubSpot does not document `Retry-After` (one sent anyway is honoured); it reports the window
 * instead. When the window's budget is spent (a 429, or `Remaining: 0`) the safe wait is one
 * whole window, because the headers do not say when the current one started.
 *
 * Returns `undefined` when there is nothing to wait for, when the headers are absent, or when
 * only the daily budget is spent (it resets at midnight in the account's time zone, which the
 * response does not say; retrying sooner cannot help).
 *
 * @example unwrap(result, { retryAfter: retryAfterFromHeaders })
 */
export function retryAfterFromHeaders(response: Response): number | undefined {
  return retryAfterFromRateLimitHeaders(response, rateLimitHeaders);
}

/**
 * Whether a 429 is HubSpot's refusal for the daily budget: its body names the policy `DAILY`
 * (the window's refusals name `TEN_SECONDLY_ROLLING` or `SECONDLY`).
 */
export function isDailyRefusal(_response: Response, body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { policyName?: unknown }).policyName === 'DAILY'
  );
}
