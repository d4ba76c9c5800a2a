import { type BulkAdapter, runBulk } from '@bulk-clients/core';
import { describe, expect, it } from 'vitest';
import {
  connectRedis,
  createRedisLimiter,
  RedisUnavailableError,
  redactRedisUrl,
  redisUrlPassword,
} from '../src/index.js';
import { startRedisServer } from '../src/testing.js';
import { uniqueAccount } from './redis-server.js';

describe('when Redis goes away', () => {
  it('refuses to send without the shared check, and the run settles every record', async () => {
    const server = await startRedisServer();
    const redis = await connectRedis(server.url);
    try {
      const limiter = createRedisLimiter({
        redis,
        vendor: 'test',
        account: uniqueAccount(),
        requests: 20,
        perMs: 200,
      });
      const sentAt: number[] = [];
      let killedAt = Number.POSITIVE_INFINITY;
      const adapter: BulkAdapter<number, number> = {
        operation: 'test write',
        maxBatchSize: 1,
        idempotent: true,
        async send(batch) {
          sentAt.push(Date.now());
          if (sentAt.length === 30) {
            killedAt = Date.now();
            void server.kill();
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
          return batch.map((item) => ({ kind: 'succeeded' as const, value: item.item }));
        },
      };
      const report = await runBulk(
        Array.from({ length: 200 }, (_, i) => i),
        adapter,
        {
          batchSize: 1,
          concurrency: 3,
          limiter,
          acquireTokens: true,
          collect: true,
          retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
        },
      );
      expect(report.total).toBe(200);
      expect(report.succeeded + report.failed).toBe(200);
      // The sends in flight when Redis died finished; nothing was sent once it was gone.
      expect(report.succeeded).toBeGreaterThanOrEqual(30);
      expect(sentAt.filter((at) => at > killedAt + 100)).toEqual([]);
      const failure = report.outcomes!.find((outcome) => outcome.status === 'failed');
      expect(failure?.error?.code).toBe('ERR_NOT_SENT');
      expect(failure?.error?.message).toMatch(
        new RegExp(
          `^The request was not sent: Redis at redis://127\\.0\\.0\\.1:${server.port} is unreachable`,
        ),
      );
      await expect(limiter.acquire()).rejects.toBeInstanceOf(RedisUnavailableError);
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });

  it('names a Redis it cannot reach without the password', async () => {
    const server = await startRedisServer({ password: 'hunter2-correct' });
    try {
      const url = `redis://:wrong-password-123@127.0.0.1:${server.port}`;
      const failure = await connectRedis(url).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain(`redis://127.0.0.1:${server.port}`);
      expect((failure as Error).message).not.toContain('wrong-password-123');
      const redis = await connectRedis(`redis://:hunter2-correct@127.0.0.1:${server.port}`);
      expect(await redis.ping()).toBe('PONG');
      redis.disconnect();
    } finally {
      await server.stop();
    }
  });

  it('redacts the password of a Redis URL', () => {
    expect(redactRedisUrl('rediss://user:s3cret@cache.example:6380/2')).toBe(
      'rediss://cache.example:6380/2',
    );
    expect(redisUrlPassword('rediss://user:s%40cret@cache.example:6380')).toBe('s@cret');
    expect(redisUrlPassword('redis://127.0.0.1:6379')).toBeUndefined();
  });
});
