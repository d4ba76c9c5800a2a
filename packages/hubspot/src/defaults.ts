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

/** Names of HubSpot's rate-limit response headers. */
export const RATE_LIMIT_HEADERS = {
  max: 'x-hubspot-ratelimit-max',
  remaining: 'x-hubspot-ratelimit-remaining',
  intervalMs: 'x-hubspot-ratelimit-interval-milliseconds',
  daily: 'x-hubspot-ratelimit-daily',
  dailyRemaining: 'x-hubspot-ratelimit-daily-remaining',
} as const;

/**
 * How long to wait before retrying, in milliseconds, read from HubSpot's rate-limit headers.
 * HubSpot does not document `Retry-After`; it reports the window instead. When the window's
 * budget is spent (a 429, or `Remaining: 0`) the safe wait is one whole window, because the
 * headers do not say when the current one started.
 *
 * Returns `undefined` when there is nothing to wait for, when the headers are absent, or when
 * only the daily budget is spent (it resets at midnight in the account's time zone, which the
 * response does not say; retrying sooner cannot help).
 *
 * @example unwrap(result, { retryAfter: retryAfterFromHeaders })
 */
export function retryAfterFromHeaders(response: Response): number | undefined {
  const intervalMs = headerNumber(response, RATE_LIMIT_HEADERS.intervalMs);
  if (intervalMs === undefined || intervalMs <= 0) return undefined;
  const dailyRemaining = headerNumber(response, RATE_LIMIT_HEADERS.dailyRemaining);
  if (dailyRemaining === 0) return undefined;
  const remaining = headerNumber(response, RATE_LIMIT_HEADERS.remaining);
  if (response.status === 429 || remaining === 0) return intervalMs;
  return undefined;
}

function headerNumber(response: Response, name: string): number | undefined {
  const raw = response.headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
