import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '@bulk-clients/core';
import { describe, expect, it, vi } from 'vitest';
import { accountKeyOf, createRedisLimiter } from '../src/index.js';
import { busiestWindow, uniqueAccount, useRedisServer } from './redis-server.js';

const redis = useRedisServer();
const CHILD = fileURLToPath(new URL('./limiter-child.ts', import.meta.url));

describe('the shared window', () => {
  it('keeps every interval of perMs + margin within budget across connections', async () => {
    const account = uniqueAccount();
    const limiters = Array.from({ length: 4 }, () =>
      createRedisLimiter({
        redis: redis.connection(),
        vendor: 'test',
        account,
        requests: 10,
        perMs: 300,
      }),
    );
    const times: number[] = [];
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: 3 }, async () => {
          for (let i = 0; i < 4; i++) {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
            times.push((await limiter.acquire()).at);
          }
        }),
      ),
    );
    expect(times).toHaveLength(48);
    // Margin for a 300 ms window: 2% is 6 ms, raised to the 10 ms floor.
    expect(busiestWindow(times, 310)).toBe(10);
    // The budget is used, not merely respected: 48 sends need at least 4 whole windows.
    const span = Math.max(...times) - Math.min(...times);
    expect(span).toBeGreaterThanOrEqual(4 * 310);
    expect(span).toBeLessThan(8 * 310);
    expect(limiters.reduce((sum, l) => sum + l.stats.granted, 0)).toBe(48);
  });

  it('keeps the window across processes', async () => {
    const account = uniqueAccount();
    const outputs = await Promise.all(
      Array.from({ length: 3 }, () => runChild([redis.server.url, account, '8', '250', '12'])),
    );
    const times = outputs.flatMap((output) => JSON.parse(output) as number[]);
    expect(times).toHaveLength(36);
    expect(busiestWindow(times, 260)).toBe(8);
  });

  it('counts an answered send from its answer, without the margin, as core does', async () => {
    const limiter = createRedisLimiter({
      redis: redis.connection(),
      vendor: 'test',
      account: uniqueAccount(),
      requests: 2,
      perMs: 1000,
      safetyMarginMs: 200,
    });
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    const answeredAt = Date.now();
    limiter.observe({}, first);
    await limiter.flush();
    const third = await limiter.acquire();
    // The first send ends at its answer + 1000 ms; the second, unanswered, at its send + 1200.
    expect(third.at).toBeGreaterThanOrEqual(answeredAt + 1000);
    expect(third.at - first.at).toBeLessThan(1150);
    // Unanswered, the second keeps its margin: the next waits for its send + 1200 ms.
    const fourth = await limiter.acquire();
    expect(fourth.at - second.at).toBeGreaterThanOrEqual(1200);
  });

  it('counts a send answered without an observation from its answer too', async () => {
    // Vendors whose responses state no budget, and requests that fail in flight, are only
    // answered: the send still moves to its answer, for every process.
    const account = uniqueAccount();
    const options = { vendor: 'test', account, requests: 1, perMs: 1000, safetyMarginMs: 200 };
    const limiter = createRedisLimiter({ redis: redis.connection(), ...options });
    const other = createRedisLimiter({ redis: redis.connection(), ...options });
    const first = await limiter.acquire();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answeredAt = Date.now();
    limiter.answered(first);
    await limiter.flush();
    // Left where it was let through, the send would end at its send + 1200 ms, 100 ms before its
    // answer + 1000 ms.
    const second = await other.acquire();
    expect(second.at).toBeGreaterThanOrEqual(answeredAt + 1000);
    expect(second.at - answeredAt).toBeLessThan(1150);
    // Unanswered, the second keeps its margin.
    const third = await other.acquire();
    expect(third.at - second.at).toBeGreaterThanOrEqual(1200);
  });

  it("moves a client's send to its answer when the vendor states no budget", async () => {
    const account = uniqueAccount();
    const options = { vendor: 'test', account, requests: 1, perMs: 1000, safetyMarginMs: 200 };
    const limiter = createRedisLimiter({ redis: redis.connection(), ...options });
    const other = createRedisLimiter({ redis: redis.connection(), ...options });
    let answeredAt = 0;
    const client = createApiClient<Record<string, never>>(
      {
        token: 'test-token',
        baseUrl: 'http://127.0.0.1:9',
        rateLimit: limiter,
        // The vendor answers 300 ms after the send, with no rate-limit header.
        fetch: async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          answeredAt = Date.now();
          return new Response('{}', { headers: { 'content-type': 'application/json' } });
        },
      },
      { name: 'Test' },
    );
    const sent = Date.now();
    // biome-ignore lint/suspicious/noExplicitAny: a path outside the (empty) typed paths
    await (client as any).GET('/things');
    await limiter.flush();
    const next = await other.acquire();
    expect(answeredAt - sent).toBeGreaterThanOrEqual(290);
    expect(next.at).toBeGreaterThanOrEqual(answeredAt + 1000);
    expect(next.at - answeredAt).toBeLessThan(1150);
  });

  it('writes an answer and the observation that follows it in one script call', async () => {
    const connection = redis.connection();
    const limiter = createRedisLimiter({
      redis: connection,
      vendor: 'test',
      account: uniqueAccount(),
      requests: 5,
      perMs: 1000,
    });
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    const calls = vi.spyOn(connection, 'evalsha');
    const operations = () => calls.mock.calls.map((args) => String(args[5]));
    limiter.answered(first);
    limiter.observe({}, first);
    await limiter.flush();
    expect(operations()).toEqual(['observe']);
    limiter.answered(second);
    await limiter.flush();
    expect(operations()).toEqual(['observe', 'answer']);
    // An answer without a grant (the request never acquired one) writes nothing.
    limiter.answered(undefined);
    await limiter.flush();
    expect(operations()).toHaveLength(2);
  });

  it('honours a burst budget beside the window', async () => {
    const limiter = createRedisLimiter({
      redis: redis.connection(),
      vendor: 'test',
      account: uniqueAccount(),
      requests: 20,
      perMs: 1000,
      burst: 5,
    });
    const times = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    const at = times.map((grant) => grant.at);
    // 5 per 250 ms (+10 ms margin).
    expect(busiestWindow(at, 260)).toBe(5);
  });

  it('keys the budget by vendor and a hash of the token, never the token', () => {
    const token = 'pat-na1-0123456789abcdef';
    const limiter = createRedisLimiter({
      redis: redis.connection(),
      vendor: 'hubspot',
      token,
      requests: 100,
      perMs: 10_000,
    });
    expect(limiter.key).toBe(`bulk-clients:limiter:{hubspot:${accountKeyOf(token)}}`);
    expect(limiter.key).not.toContain(token);
    expect(accountKeyOf(token)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects a waiter whose signal aborts, as not sent', async () => {
    const limiter = createRedisLimiter({
      redis: redis.connection(),
      vendor: 'test',
      account: uniqueAccount(),
      requests: 1,
      perMs: 5000,
    });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(waiting).rejects.toMatchObject({ name: 'NotSentError', code: 'ERR_NOT_SENT' });
    expect(limiter.holding).toBe(false);
  });

  it('names the argument at fault', () => {
    const connection = redis.connection();
    expect(() =>
      createRedisLimiter({ redis: connection, vendor: 'test', requests: 1, perMs: 1 }),
    ).toThrow(/`account` or `token`/);
    expect(() =>
      createRedisLimiter({
        redis: connection,
        vendor: 'test',
        account: 'a',
        requests: 0,
        perMs: 1,
      }),
    ).toThrow(/`requests`/);
  });
});

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}
