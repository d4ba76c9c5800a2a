import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConnection } from './types.js';

/**
 * A Redis URL for messages: scheme, host, port and database, never the user's password.
 *
 * @example redactRedisUrl('rediss://:s3cret@cache.example:6380/2') // 'rediss://cache.example:6380/2'
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const db = parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : '';
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${db}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/** Where a connection points, for messages (no password). */
export function describeConnection(redis: RedisConnection): string {
  const options = redis.options;
  const scheme = options.tls ? 'rediss' : 'redis';
  if (options.path) return `${scheme}://${options.path}`;
  const db = options.db ? `/${options.db}` : '';
  return `${scheme}://${options.host ?? 'localhost'}:${options.port ?? 6379}${db}`;
}

/**
 * The password in a Redis URL, if any, for a redactor. `rediss://user:pass@host` gives `pass`.
 */
export function redisUrlPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const password = decodeURIComponent(parsed.password || '');
    if (password) return password;
    // `redis://secret@host` (no colon) is read by ioredis as a password too.
    const user = decodeURIComponent(parsed.username || '');
    return user && !parsed.password ? user : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /**
   * Retries of a command across reconnections before it fails; BullMQ workers need `null`.
   * @default 1
   */
  maxRetriesPerRequest?: number | null | undefined;
  /**
   * Milliseconds to wait for the connection.
   * @default 5000
   */
  connectTimeoutMs?: number | undefined;
  /** Further ioredis options. */
  redisOptions?: RedisOptions | undefined;
}

/**
 * Opens an ioredis connection to `url` (`redis://` or `rediss://` for TLS, with
 * `user:password@` when the server asks for one), checks it answers, and resolves to it. A
 * failure names the URL without its password.
 */
export async function connectRedis(
  url: string,
  options: ConnectRedisOptions = {},
): Promise<RedisConnection> {
  if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
    throw new TypeError(
      `Expected \`url\` to be a redis:// or rediss:// URL, got ${typeof url === 'string' ? redactRedisUrl(url) : typeof url}`,
    );
  }
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest:
      options.maxRetriesPerRequest === undefined ? 1 : options.maxRetriesPerRequest,
    ...options.redisOptions,
  });
  // Reconnection errors are reported through the commands that fail; without a listener
  // ioredis would print each one.
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect to Redis at ${redactRedisUrl(url)}: ${detail}`);
  }
  return redis;
}
