import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { readRateLimitHeaders, retryAfterFromRateLimitHeaders } from '../src/rate-limit-headers.js';
import { BudgetSpentError, RateLimiter, rateLimitMiddleware } from '../src/rate-limiter.js';
import { NotSentError } from '../src/retry-policy.js';
import { createTestClock } from './helpers.js';

async function grantTimes(limiter: RateLimiter, clock: { now(): number }, count: number) {
  const start = clock.now();
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      limiter.acquire().then(() => times.push(clock.now() - start)),
    ),
  );
  return times;
}

const HUBSPOT_LIKE = {
  limit: 'x-max',
  intervalMs: 'x-interval',
  remaining: 'x-remaining',
  secondly: 'x-secondly',
  secondlyRemaining: 'x-secondly-remaining',
  daily: 'x-daily',
  dailyRemaining: 'x-daily-remaining',
};

describe('learned budgets', () => {
  it('replaces the vendor default with the budget the headers state, up', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter(
      { requests: 2, perMs: 1000, safetyMarginMs: 0 },
      clock,
      'default',
    );
    limiter.observe({ limit: 4, intervalMs: 1000 });
    expect(limiter.budget).toEqual({ requests: 4, perMs: 1000, source: 'learned' });
    expect(await grantTimes(limiter, clock, 5)).toEqual([0, 0, 0, 0, 1000]);
  });

  it('and down', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter(
      { requests: 4, perMs: 1000, safetyMarginMs: 0 },
      clock,
      'default',
    );
    limiter.observe({ limit: 1, intervalMs: 500 });
    expect(await grantTimes(limiter, clock, 3)).toEqual([0, 500, 1000]);
  });

  it('keeps a configured budget as the upper bound', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 2, perMs: 1000, safetyMarginMs: 0 }, clock);
    limiter.observe({ limit: 100, intervalMs: 1000 });
    expect(limiter.budget.source).toBe('configured');
    expect(await grantTimes(limiter, clock, 3)).toEqual([0, 0, 1000]);
    limiter.observe({ limit: 1, intervalMs: 1000 });
    expect(limiter.budget).toEqual({ requests: 1, perMs: 1000, source: 'learned' });
  });

  it('scales a documented burst budget with the learned window', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter(
      { requests: 120, perMs: 60_000, burst: 20, safetyMarginMs: 0 },
      clock,
      'default',
    );
    limiter.observe({ limit: 600, intervalMs: 60_000 });
    const times = await grantTimes(limiter, clock, 101);
    // Enterprise: 600 a minute with a burst of 100, one more as the first leaves its 10 s.
    expect(times.filter((t) => t === 0)).toHaveLength(100);
    expect(times.at(-1)).toBe(10_000);
  });

  it('adds a per-second budget', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 100, perMs: 10_000, safetyMarginMs: 0 }, clock);
    limiter.observe({ secondly: 2 });
    expect(await grantTimes(limiter, clock, 5)).toEqual([0, 0, 1000, 1000, 2000]);
    expect(limiter.budget).toEqual({ requests: 2, perMs: 1000, source: 'learned' });
  });

  it('counts sends of other clients that the remaining count reveals', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 10, perMs: 1000, safetyMarginMs: 0 }, clock);
    const grant = await limiter.acquire();
    // The vendor counted 8 sends in its window; only one was ours.
    limiter.observe({ limit: 10, intervalMs: 1000, remaining: 2 }, grant);
    expect(await grantTimes(limiter, clock, 3)).toEqual([0, 0, 1000]);
  });

  it('does not mistake its own sends for other clients', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 3, perMs: 1000, safetyMarginMs: 0 }, clock);
    const grants = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    limiter.observe({ limit: 3, intervalMs: 1000, remaining: 0 }, grants[2]);
    expect(await grantTimes(limiter, clock, 1)).toEqual([1000]);
  });

  it('holds until the reset when the window is spent and the vendor says when it ends', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 10, perMs: 60_000 }, clock);
    limiter.observe({ remaining: 0, resetInMs: 4000 });
    const [first] = await grantTimes(limiter, clock, 1);
    expect(first).toBeGreaterThanOrEqual(4000);
    expect(limiter.stats.throttled).toBe(0);
  });
});

describe('sends counted from their answers', () => {
  it('counts an answered send from its answer, without the margin', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 2, perMs: 1000, safetyMarginMs: 20 }, clock);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    await clock.sleep(50);
    limiter.answered(first);
    await clock.sleep(10);
    limiter.answered(second);
    const times = await grantTimes(limiter, clock, 2);
    // From the answers at 50 and 60 ms (the grant times would have allowed 1020).
    expect(times.map((t) => t + 60)).toEqual([1050, 1060]);
  });

  it('keeps the margin for a send still awaiting its answer', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 1, perMs: 1000, safetyMarginMs: 20 }, clock);
    await limiter.acquire();
    expect(await grantTimes(limiter, clock, 1)).toEqual([1020]);
  });

  it('hears of answers and failures through the middleware', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 1, perMs: 1000, safetyMarginMs: 20 }, clock);
    const middleware = rateLimitMiddleware(limiter);
    const request = new Request('http://127.0.0.1:9/items');
    const context = { request, schemaPath: '/items', params: {}, id: '1', options: {} } as never;
    await middleware.onRequest?.(context);
    await clock.sleep(100);
    await middleware.onError?.({ ...(context as object), error: new Error('reset') } as never);
    // The failed send counts from its failure at 100 ms.
    expect(limiter.nextFreeInMs).toBe(1000);
  });
});

describe('daily budget', () => {
  it('stops once the daily budget is spent, refusing waiting and later requests', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 1, perMs: 1000 }, clock);
    const grant = await limiter.acquire();
    limiter.observe({ daily: 1000, dailyRemaining: 2 }, grant);
    const results = await Promise.allSettled([
      limiter.acquire(),
      limiter.acquire(),
      limiter.acquire(),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = (results[2] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(BudgetSpentError);
    expect(refused).toBeInstanceOf(NotSentError);
    expect(refused.message).toMatch(/daily request limit of 1000 requests is spent/);
    expect(limiter.stopped?.code).toBe('daily_limit');
    expect(limiter.budget.daily).toEqual({ limit: 1000, remaining: 0 });
  });

  it('keeps the daily reserve unspent', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 100, perMs: 1000, dailyReserve: 3 }, clock);
    limiter.observe({ dailyRemaining: 5 });
    await limiter.acquire();
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toThrow(/kept in reserve/);
  });

  it('counts sends made after the observed request against the daily budget', async () => {
    const clock = createTestClock(0);
    const limiter = new RateLimiter({ requests: 100, perMs: 1000 }, clock);
    const first = await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    // The answer to the first request arrives after two more were sent.
    limiter.observe({ dailyRemaining: 3 }, first);
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toBeInstanceOf(BudgetSpentError);
  });
});

describe('rateLimitMiddleware with budget headers', () => {
  type Paths = {
    '/items': { get: { responses: { 200: { content: { 'application/json': unknown } } } } };
  };
  const clientWith = (limiter: RateLimiter, answers: Response[]) => {
    const client = createClient<Paths>({
      baseUrl: 'http://127.0.0.1:9',
      fetch: async () => answers.shift() ?? Response.json({}),
    });
    client.use(
      rateLimitMiddleware(limiter, {
        budget: (response) => readRateLimitHeaders(response.headers, HUBSPOT_LIKE),
        retryAfter: (response) => retryAfterFromRateLimitHeaders(response, HUBSPOT_LIKE),
        isDailyRefusal: (_response, body) =>
          (body as { policyName?: string } | undefined)?.policyName === 'DAILY',
      }),
    );
    return client;
  };

  it('learns the budget from every response', async () => {
    const limiter = new RateLimiter({ requests: 100, perMs: 10_000 }, createTestClock(), 'default');
    const client = clientWith(limiter, [
      Response.json(
        {},
        { headers: { 'X-Max': '190', 'X-Interval': '10000', 'X-Remaining': '189' } },
      ),
    ]);
    await client.GET('/items');
    expect(limiter.budget).toEqual({ requests: 190, perMs: 10_000, source: 'learned' });
  });

  it('stops at a 429 for the daily budget instead of pausing', async () => {
    const limiter = new RateLimiter({ requests: 100, perMs: 10_000 }, createTestClock());
    const client = clientWith(limiter, [
      Response.json(
        { status: 'error', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
        { status: 429 },
      ),
    ]);
    const result = await client.GET('/items');
    expect(result.response.status).toBe(429);
    // The body is still readable by the caller.
    expect(result.error).toMatchObject({ policyName: 'DAILY' });
    expect(limiter.stopped?.code).toBe('daily_limit');
    expect(limiter.stats.throttled).toBe(0);
    await expect(client.GET('/items')).rejects.toBeInstanceOf(BudgetSpentError);
  });

  it('pauses one interval at a 429 for the window', async () => {
    const limiter = new RateLimiter({ requests: 100, perMs: 10_000 }, createTestClock());
    const client = clientWith(limiter, [
      Response.json(
        { policyName: 'TEN_SECONDLY_ROLLING' },
        { status: 429, headers: { 'X-Max': '100', 'X-Interval': '10000', 'X-Remaining': '0' } },
      ),
    ]);
    await client.GET('/items');
    expect(limiter.stopped).toBeUndefined();
    expect(limiter.pausedForMs).toBe(10_000);
    expect(limiter.stats.throttled).toBe(1);
  });
});
