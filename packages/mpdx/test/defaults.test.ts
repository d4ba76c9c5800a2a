import { describe, expect, it } from 'vitest';
import { mpdxDefaults, retryAfterFromHeaders } from '../src/index.js';

const NOW = Date.UTC(2022, 0, 12, 17, 18, 31);
const NOW_SECONDS = NOW / 1000;

describe('retryAfterFromHeaders', () => {
  it.each([
    ['Retry-After in seconds', { 'Retry-After': '12' }, 12_000],
    ['Retry-After as an HTTP date', { 'Retry-After': new Date(NOW + 5_000).toUTCString() }, 5_000],
    [
      'Retry-After over the window end',
      {
        'Retry-After': '3',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': `${NOW_SECONDS + 40}`,
      },
      3_000,
    ],
    [
      'the window end once the budget is spent',
      { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': `${NOW_SECONDS + 40}` },
      40_000,
    ],
    [
      'no wait for a window that already ended',
      { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': `${NOW_SECONDS - 10}` },
      0,
    ],
    [
      'nothing while budget remains',
      { 'X-RateLimit-Remaining': '4', 'X-RateLimit-Reset': `${NOW_SECONDS + 40}` },
      undefined,
    ],
    ['nothing without a reset time', { 'X-RateLimit-Remaining': '0' }, undefined],
    ['nothing for garbage', { 'Retry-After': 'soon', 'X-RateLimit-Reset': 'later' }, undefined],
    ['nothing without headers', {}, undefined],
  ])('reads %s', (_name, headers, expected) => {
    const response = new Response(null, { status: 429, headers });
    expect(retryAfterFromHeaders(response, NOW)).toBe(expected);
  });
});

describe('mpdxDefaults', () => {
  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(mpdxDefaults)).toBe(true);
    expect(Object.isFrozen(mpdxDefaults.rateLimit)).toBe(true);
    expect(Object.isFrozen(mpdxDefaults.retryableStatuses)).toBe(true);
  });

  it('keeps chunks within the largest accepted batch', () => {
    const max = mpdxDefaults.maxBatchSize ?? Number.POSITIVE_INFINITY;
    expect(mpdxDefaults.chunkSize).toBeLessThanOrEqual(max);
    expect(mpdxDefaults.pageSize).toBeLessThanOrEqual(mpdxDefaults.maxPageSize);
  });
});
