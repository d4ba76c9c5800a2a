import { BudgetSpentError, type BudgetStop } from '@bulk-clients/core';
import { describe, expect, it } from 'vitest';
import { createRedisLimiter, type RedisLimiterOptions } from '../src/index.js';
import { busiestWindow, uniqueAccount, useRedisServer } from './redis-server.js';

const redis = useRedisServer();

/** Two processes' limiters of one account, each on its own connection. */
function pair(options: Partial<RedisLimiterOptions> = {}) {
  const account = uniqueAccount();
  const make = () =>
    createRedisLimiter({
      redis: redis.connection(),
      vendor: 'test',
      account,
      requests: 100,
      perMs: 1000,
      ...options,
    });
  return [make(), make()] as const;
}

describe('state shared by every process of an account', () => {
  it('holds every process back during a pause one of them took after a 429', async () => {
    const [first, second] = pair();
    const before = await second.acquire();
    first.pause(400);
    await first.flush();
    const after = await second.acquire();
    expect(after.at - before.at).toBeGreaterThanOrEqual(380);
    expect(first.stats.throttled).toBe(1);
    expect(second.stats.waited).toBe(1);
  });

  it('stops every process once one of them sees the daily budget spent', async () => {
    const [first, second] = pair();
    const stops: BudgetStop[] = [];
    second.onStop?.((stop) => stops.push(stop));
    const grant = await first.acquire();
    await second.acquire();
    first.observe({ daily: 250_000, dailyRemaining: 1 }, grant);
    await first.flush();
    // The second process's send came after the answer that said 1 was left: none is left now.
    expect(first.stopped?.code).toBe('daily_limit');
    const refused = second.acquire();
    await expect(refused).rejects.toBeInstanceOf(BudgetSpentError);
    await expect(refused).rejects.toThrow(/daily request limit of 250000 requests is spent/);
    expect(second.stopped?.code).toBe('daily_limit');
    expect(stops).toHaveLength(1);
    expect(first.budget.daily).toEqual({ limit: 250_000, remaining: 0 });
  });

  it('refuses waiters of every process when the stop comes while they wait', async () => {
    const [first, second] = pair({ requests: 1, perMs: 2000 });
    await second.acquire();
    const waiting = second.acquire();
    first.stop({
      code: 'daily_limit',
      message: 'the vendor refused a request for its daily request limit',
    });
    await first.flush();
    await expect(waiting).rejects.toThrow(/refused a request for its daily request limit/);
  });

  it('stops at the daily reserve counted across processes', async () => {
    const [first, second] = pair({ dailyReserve: 2 });
    const grant = await first.acquire();
    first.observe({ daily: 1000, dailyRemaining: 5 }, grant);
    await first.flush();
    await second.acquire(); // 4 left
    await first.acquire(); // 3 left
    await second.acquire(); // 2 left: the reserve, the account stops
    await expect(first.acquire()).rejects.toThrow(/down to the 2 requests kept in reserve/);
  });

  it('makes every process follow a budget one of them learned from the headers', async () => {
    const [first, second] = pair({ source: 'default', requests: 100, perMs: 1000 });
    const grant = await first.acquire();
    // The answered send counts from its answer, without the margin.
    const answeredAt = Date.now();
    first.observe({ limit: 4, intervalMs: 1000, remaining: 3 }, grant);
    await first.flush();
    await second.refresh();
    expect(second.budget).toEqual({ requests: 4, perMs: 1000, source: 'learned' });
    const times = [answeredAt];
    for (let i = 0; i < 4; i++) times.push((await second.acquire()).at);
    expect(busiestWindow(times, 1000)).toBe(4);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1000);
  });

  it('never lifts a configured budget with a learned one', async () => {
    const [first, second] = pair({ requests: 3, perMs: 1000 });
    const grant = await first.acquire();
    first.observe({ limit: 50, intervalMs: 1000 }, grant);
    await first.flush();
    await second.refresh();
    expect(second.budget).toEqual({ requests: 3, perMs: 1000, source: 'configured' });
  });

  it('counts sends of clients outside Redis that the vendor reports', async () => {
    const [first, second] = pair({ requests: 10, perMs: 1000 });
    const grant = await first.acquire();
    // The vendor saw 8 sends in its window: 7 were not ours.
    first.observe({ limit: 10, intervalMs: 1000, remaining: 2 }, grant);
    await first.flush();
    const start = Date.now();
    await second.acquire();
    await second.acquire(); // the 10th in the window
    expect(Date.now() - start).toBeLessThan(500);
    const eleventh = await second.acquire();
    expect(eleventh.at - grant.at).toBeGreaterThanOrEqual(1000);
  });

  it('holds every process until the reset when the vendor says none remain', async () => {
    const [first, second] = pair();
    const grant = await first.acquire();
    first.observe({ remaining: 0, resetInMs: 300 }, grant);
    await first.flush();
    const next = await second.acquire();
    expect(next.at - grant.at).toBeGreaterThanOrEqual(300);
  });
});
