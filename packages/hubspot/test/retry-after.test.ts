import { describe, expect, it } from 'vitest';
import { hubSpotDefaults, rateLimitHeaders, retryAfterFromHeaders } from '../src/index.js';

function response(status: number, headers: Record<string, string>): Response {
  return new Response(null, { status, headers });
}

const window = { [rateLimitHeaders.intervalMs]: '10000', [rateLimitHeaders.limit]: '100' };

interface Case {
  when: string;
  status: number;
  headers: Record<string, string>;
  expected: number | undefined;
}

describe('retryAfterFromHeaders', () => {
  it.each<Case>([
    {
      when: 'a 429 reports the window length',
      status: 429,
      headers: { ...window, [rateLimitHeaders.remaining]: '0' },
      expected: 10_000,
    },
    {
      when: 'a 429 reports budget left (another limit hit)',
      status: 429,
      headers: { ...window, [rateLimitHeaders.remaining]: '3' },
      expected: 10_000,
    },
    {
      when: 'a success has spent the window',
      status: 200,
      headers: { ...window, [rateLimitHeaders.remaining]: '0' },
      expected: 10_000,
    },
    {
      when: 'a success has budget left',
      status: 200,
      headers: { ...window, [rateLimitHeaders.remaining]: '57' },
      expected: undefined,
    },
    { when: 'the headers are absent', status: 429, headers: {}, expected: undefined },
    {
      when: 'the interval is not a number',
      status: 429,
      headers: { [rateLimitHeaders.intervalMs]: 'soon' },
      expected: undefined,
    },
    {
      when: 'only the daily budget is spent',
      status: 429,
      headers: { ...window, [rateLimitHeaders.dailyRemaining]: '0' },
      expected: undefined,
    },
  ])('returns $expected when $when', ({ status, headers, expected }) => {
    expect(retryAfterFromHeaders(response(status, headers))).toBe(expected);
  });

  it('reads header names case-insensitively', () => {
    const headers = { 'X-HubSpot-RateLimit-Interval-Milliseconds': '2500' };
    expect(retryAfterFromHeaders(response(429, headers))).toBe(2500);
  });
});

describe('hubSpotDefaults', () => {
  it('splits jobs into batches HubSpot accepts', () => {
    expect(hubSpotDefaults.chunkSize).toBeLessThanOrEqual(hubSpotDefaults.maxBatchSize);
    expect(hubSpotDefaults.maxBatchReadWithHistory).toBeLessThan(hubSpotDefaults.maxBatchSize);
  });

  it('retries rate limits and server failures but never client mistakes', () => {
    const retryable: readonly number[] = hubSpotDefaults.retryableStatuses;
    expect(retryable).toContain(429);
    expect(retryable.filter((status) => status >= 400 && status < 500 && status !== 429)).toEqual(
      [],
    );
  });
});
