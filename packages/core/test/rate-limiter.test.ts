import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { RateLimiter, rateLimitMiddleware, resolveRateLimiter } from '../src/rate-limiter.js';
import { NotSentError } from '../src/retry-policy.js';
import { createTestClock } from './helpers.js';

/** Acquires `count` tokens in order and records the virtual time each was granted at. */
async function grantTimes(
  limiter: RateLimiter,
  clock: { now(): number },
  count: number,
): Promise<number[]> {
  const start = clock.now();
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      limiter.acquire().then(() => times.push(clock.now() - start)),
    ),
  );
  return times;
}

describe('RateLimiter', () => {
  it('lets a window of requests through, then the next as the first leaves the window', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 3, perMs: 1000, safetyMarginMs: 0 }, clock);
    expect(await grantTimes(limiter, clock, 7)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    expect(limiter.stats).toMatchObject({ granted: 7, waited: 4, throttled: 0 });
  });

  it('holds each window open for a safety margin of 2% by default', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 2, perMs: 1000 }, clock);
    expect(await grantTimes(limiter, clock, 5)).toEqual([0, 0, 1020, 1020, 2040]);
  });

  it('keeps a documented burst budget beside the window', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter(
      { requests: 10, perMs: 1000, burst: 2, safetyMarginMs: 0 },
      clock,
    );
    expect(await grantTimes(limiter, clock, 6)).toEqual([0, 0, 200, 200, 400, 400]);
  });

  it('reads a budget below one request per window as one per longer window', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 0.5, perMs: 1000, safetyMarginMs: 0 }, clock);
    expect(await grantTimes(limiter, clock, 3)).toEqual([0, 2000, 4000]);
  });

  it('frees the window after a quiet period', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 2, perMs: 1000, safetyMarginMs: 0 }, clock);
    await grantTimes(limiter, clock, 2);
    await clock.sleep(10_000);
    expect(await grantTimes(limiter, clock, 3)).toEqual([0, 0, 1000]);
  });

  it('holds every request back during a pause', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    limiter.pause(5000);
    expect(limiter.pausedForMs).toBe(5000);
    expect(await grantTimes(limiter, clock, 3)).toEqual([5000, 5000, 5000]);
    expect(limiter.stats.throttled).toBe(1);
  });

  it('keeps the longer of two pauses', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    limiter.pause(3000);
    limiter.holdFor(1000);
    expect(limiter.pausedForMs).toBe(3000);
    expect(limiter.stats.throttled).toBe(1);
  });

  it('grants in arrival order', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1, perMs: 100, burst: 1 }, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => limiter.acquire().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('rejects an aborted wait with NotSentError and serves the next waiter', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 1, perMs: 1000, burst: 1 }, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const abandoned = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('stop'));
    await expect(abandoned).rejects.toBeInstanceOf(NotSentError);
    await next;
    expect(clock.now()).toBeGreaterThan(0);
    expect(limiter.stats.granted).toBe(2);
  });

  it.each([
    [{ requests: 0, perMs: 1000 }, /requests/],
    [{ requests: 10, perMs: -1 }, /perMs/],
    [{ requests: 10, perMs: 1000, burst: 0.5 }, /burst/],
    [{ requests: 10, perMs: 1000, safetyMarginMs: -1 }, /safetyMarginMs/],
    [{ requests: 10, perMs: 1000, dailyReserve: 1.5 }, /dailyReserve/],
  ])('rejects %o', (options, message) => {
    expect(() => new RateLimiter(options)).toThrow(message);
  });
});

describe('resolveRateLimiter', () => {
  const fallback = { requests: 60, perMs: 60_000 };
  it('uses the vendor default when the option is absent, marked as such', () => {
    expect(resolveRateLimiter(undefined, fallback)?.budget).toEqual({
      requests: 60,
      perMs: 60_000,
      source: 'default',
    });
  });
  it('marks a budget the caller gives as configured', () => {
    expect(resolveRateLimiter({ requests: 5, perMs: 1000 }, fallback)?.budget).toEqual({
      requests: 5,
      perMs: 1000,
      source: 'configured',
    });
  });
  it('turns limiting off with false', () => {
    expect(resolveRateLimiter(false, fallback)).toBeUndefined();
  });
  it('shares a given limiter', () => {
    const limiter = new RateLimiter(fallback);
    expect(resolveRateLimiter(limiter, undefined)).toBe(limiter);
  });
  it('rejects other values', () => {
    expect(() => resolveRateLimiter('fast' as never, undefined)).toThrow(/rateLimit/);
  });
});

describe('rateLimitMiddleware', () => {
  type Paths = {
    '/items': { get: { responses: { 200: { content: { 'application/json': unknown } } } } };
  };
  const respond = (status: number, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify({ ok: status < 400 }), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });

  const clientWith = (limiter: RateLimiter, answers: Response[], options = {}) => {
    const log: string[] = [];
    const client = createClient<Paths>({
      baseUrl: 'http://127.0.0.1:9',
      fetch: async (request: Request) => {
        log.push(`${request.method} ${new URL(request.url).pathname}`);
        return answers.shift() ?? respond(200);
      },
    });
    client.use(rateLimitMiddleware(limiter, options));
    return { client, log };
  };

  it('passes every request through the limiter', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 2, perMs: 1000, safetyMarginMs: 0 }, clock);
    const { client } = clientWith(limiter, []);
    await Promise.all([client.GET('/items'), client.GET('/items'), client.GET('/items')]);
    expect(limiter.stats.granted).toBe(3);
    expect(clock.now() - 1_000_000).toBe(1000);
  });

  it.each([
    ['Retry-After in seconds', respond(429, { 'Retry-After': '7' }), 7000],
    ['Retry-After as an HTTP date', undefined, 30_000],
    ['no header (default pause)', respond(429), 1000],
    ['a 503 with Retry-After', respond(503, { 'Retry-After': '2' }), 2000],
  ])('pauses the limiter after %s', async (_name, answer, expectedMs) => {
    const clock = createTestClock(Date.parse('2026-01-01T00:00:00Z'));
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    // An HTTP date 30 s ahead of the wall clock; parseRetryAfter reads it against Date.now().
    const dated = respond(429, { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() });
    const { client } = clientWith(limiter, [answer ?? dated]);
    await client.GET('/items');
    expect(limiter.pausedForMs).toBeGreaterThan(expectedMs - 1500);
    expect(limiter.pausedForMs).toBeLessThanOrEqual(expectedMs);
  });

  it('reads vendor headers when a 429 has no Retry-After', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    const { client } = clientWith(
      limiter,
      [respond(429, { 'X-RateLimit-Interval-Milliseconds': '10000' })],
      {
        retryAfter: (response: Response) =>
          Number(response.headers.get('X-RateLimit-Interval-Milliseconds')),
      },
    );
    await client.GET('/items');
    expect(limiter.pausedForMs).toBe(10_000);
    expect(limiter.stats.throttled).toBe(1);
  });

  it('holds back before the vendor refuses, without counting a throttle', async () => {
    const clock = createTestClock();
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, clock);
    const { client } = clientWith(limiter, [respond(200, { 'X-RateLimit-Remaining': '0' })], {
      pauseAfter: (response: Response) =>
        response.headers.get('X-RateLimit-Remaining') === '0' ? 4000 : undefined,
    });
    await client.GET('/items');
    expect(limiter.pausedForMs).toBe(4000);
    expect(limiter.stats.throttled).toBe(0);
  });

  it('does not pause after a 200', async () => {
    const limiter = new RateLimiter({ requests: 10, perMs: 1000 }, createTestClock());
    const { client } = clientWith(limiter, [respond(200, { 'Retry-After': '9' })]);
    await client.GET('/items');
    expect(limiter.pausedForMs).toBe(0);
  });

  it('rejects something that is not a RateLimiter', () => {
    expect(() => rateLimitMiddleware({} as RateLimiter)).toThrow(TypeError);
  });
});
