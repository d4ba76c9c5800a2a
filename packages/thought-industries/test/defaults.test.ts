import { describe, expect, it } from 'vitest';
import { retryAfterFromHeaders, thoughtIndustriesDefaults } from '../src/index.js';

const now = Date.UTC(2025, 2, 4, 10, 0, 0);
const nowSeconds = now / 1000;

const cases: { name: string; headers: Record<string, string>; expected: number | undefined }[] = [
  { name: 'Retry-After in seconds', headers: { 'Retry-After': '32' }, expected: 32_000 },
  {
    name: 'Retry-After as an HTTP date',
    headers: { 'Retry-After': new Date(now + 5_000).toUTCString() },
    expected: 5_000,
  },
  {
    name: 'Retry-After over the rate-limit reset',
    headers: {
      'Retry-After': '2',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(nowSeconds + 40),
    },
    expected: 2_000,
  },
  {
    name: 'an exhausted window',
    headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(nowSeconds + 40) },
    expected: 40_000,
  },
  {
    name: 'a window that has already reset',
    headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(nowSeconds - 5) },
    expected: 0,
  },
  {
    name: 'requests left in the window',
    headers: { 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': String(nowSeconds + 40) },
    expected: undefined,
  },
  {
    name: 'a reset that is not a number',
    headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': 'soon' },
    expected: undefined,
  },
  { name: 'no rate-limit headers', headers: {}, expected: undefined },
];

describe.each(cases)('retryAfterFromHeaders with $name', ({ headers, expected }) => {
  it(`returns ${expected}`, () => {
    expect(retryAfterFromHeaders(new Response(null, { status: 429, headers }), now)).toBe(expected);
  });
});

describe('thoughtIndustriesDefaults', () => {
  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(thoughtIndustriesDefaults)).toBe(true);
    expect(Object.isFrozen(thoughtIndustriesDefaults.rateLimit)).toBe(true);
  });

  it('retries the statuses that carry Retry-After', () => {
    expect(thoughtIndustriesDefaults.retryableStatuses).toEqual(expect.arrayContaining([429, 503]));
  });
});
