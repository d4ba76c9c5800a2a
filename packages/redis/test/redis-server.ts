import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../src/testing.js';

/**
 * Starts one redis-server for the calling test file (stopped by PID in afterAll) and hands out
 * connections to it, all closed in afterAll too.
 */
export function useRedisServer(): {
  readonly server: TestRedisServer;
  connection(): Redis;
} {
  let server: TestRedisServer | undefined;
  const connections: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('The Redis server is not started yet');
      return server;
    },
    connection() {
      if (!server) throw new Error('The Redis server is not started yet');
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      redis.on('error', () => {});
      connections.push(redis);
      return redis;
    },
  };
}

/** The largest number of `times` (sorted) that fall in any interval of `spanMs`. */
export function busiestWindow(times: readonly number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= spanMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** A vendor name unique to one test, so tests do not share a budget. */
export function uniqueAccount(): string {
  return `test-${globalThis.crypto.randomUUID()}`;
}
