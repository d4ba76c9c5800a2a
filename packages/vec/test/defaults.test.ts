import { describe, expect, it } from 'vitest';
import { retryAfterFromHeaders, vecDefaults } from '../src/index.js';

const now = Date.UTC(2025, 5, 1, 9, 30, 0);

function responseWith(headers: Record<string, string>): Response {
  return new Response(null, { status: 429, headers });
}

describe('retryAfterFromHeaders', () => {
  it.each([
    ['Retry-After in seconds', { 'Retry-After': '30' }, 30_000],
    ['Retry-After as an HTTP date', { 'Retry-After': new Date(now + 5_000).toUTCString() }, 5_000],
    [
      'the window reset once nothing remains',
      { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now / 1000 + 42) },
      42_000,
    ],
    [
      'Retry-After before the window reset',
      {
        'Retry-After': '3',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(now / 1000 + 42),
      },
      3_000,
    ],
    [
      'a reset already past as no wait',
      { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now / 1000 - 10) },
      0,
    ],
    [
      'requests still remaining as nothing',
      { 'X-RateLimit-Remaining': '5', 'X-RateLimit-Reset': String(now / 1000 + 42) },
      undefined,
    ],
    [
      'a reset that is not a number as nothing',
      { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': 'soon' },
      undefined,
    ],
    ['no headers as nothing', {}, undefined],
  ])('reads %s', (_label, headers, expected) => {
    expect(retryAfterFromHeaders(responseWith(headers), now)).toBe(expected);
  });
});

describe('vecDefaults', () => {
  it('holds the vendor facts the bulk layer plans with', () => {
    expect(vecDefaults).toMatchObject({
      baseUrl: 'https://api.vec.digital',
      maxBatchSize: undefined,
      chunkSize: 100,
      rateLimit: { requests: 60, perMs: 60_000 },
      maxUploadBytes: 20_971_520,
      listPageSize: { default: 15, max: 100 },
    });
    expect(vecDefaults.retryableStatuses).toContain(429);
    expect(Object.isFrozen(vecDefaults)).toBe(true);
  });
});
