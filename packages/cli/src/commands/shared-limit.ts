import type { RateLimitOptions, RequestLimiter } from '@bulk-clients/core';
import { CliError } from '../errors.js';
import type { CommandContext } from './registry.js';

/** The environment variable that stands in for `--redis URL`. */
export const REDIS_URL_ENV = 'BULK_CLIENTS_REDIS_URL';

/** The Redis options every bulk command accepts, as parsed. */
export interface RedisSettings {
  /** `--redis URL` or `$BULK_CLIENTS_REDIS_URL`. */
  url: string;
  /** `--account NAME`: the account the vendor budget belongs to (default: a hash of the token). */
  account: string | undefined;
  /** `--redis-prefix P`. */
  prefix: string;
}

/** The account's budget shared through Redis, and how to let go of it. */
export interface SharedLimit {
  limiter: RequestLimiter;
  /** Closes the Redis connection. */
  close(): Promise<void>;
}

/**
 * `--redis`, `--account` and `--redis-prefix` of a command line, or `undefined` when Redis is not
 * asked for.
 */
export function redisSettingsOf(context: CommandContext): RedisSettings | undefined {
  const { values } = context.parsed;
  const url = ((values.redis as string | undefined) ?? context.io.env[REDIS_URL_ENV] ?? '').trim();
  if (url === '') {
    for (const flag of ['account', 'redisPrefix'] as const) {
      if (values[flag] !== undefined) {
        const name = flag === 'account' ? '--account' : '--redis-prefix';
        throw new CliError('usage', `${name} needs --redis URL (or ${REDIS_URL_ENV})`, {
          flag: name,
        });
      }
    }
    return undefined;
  }
  if (!/^rediss?:\/\//.test(url)) {
    throw new CliError('usage', '--redis expects a redis:// or rediss:// URL', { flag: '--redis' });
  }
  return {
    url,
    account: values.account as string | undefined,
    prefix: (values.redisPrefix as string | undefined) ?? 'bulk-clients',
  };
}

/** The documented budget of each vendor, used when `--rate-limit` is not given. */
const DOCUMENTED_BUDGETS: Readonly<Record<string, () => Promise<RateLimitOptions>>> = {
  hubspot: async () => (await import('@bulk-clients/hubspot')).hubSpotDefaults.rateLimit,
  'thought-industries': async () =>
    (await import('@bulk-clients/thought-industries')).thoughtIndustriesDefaults.rateLimit,
  vec: async () => (await import('@bulk-clients/vec')).vecDefaults.rateLimit,
  mpdx: async () => (await import('@bulk-clients/mpdx')).mpdxDefaults.rateLimit,
};

/**
 * Loads `@bulk-clients/redis` (only when Redis is asked for) and adds the URL's password to the
 * redactor before anything can print the URL.
 */
export async function loadRedisPackage(context: CommandContext, settings: RedisSettings) {
  const redisPackage = await import('@bulk-clients/redis');
  const secret = redisPackage.redisUrlPassword(settings.url);
  if (secret) context.redactor.add(secret);
  return redisPackage;
}

/**
 * Connects to Redis and makes the account's shared limiter: the `--rate-limit` budget when given
 * (an upper bound), else the vendor's documented one (refined by its headers, for every process
 * of the account). `@bulk-clients/redis` is loaded only here, so a run without `--redis` loads
 * nothing of it.
 */
export async function openSharedLimit(
  context: CommandContext,
  settings: RedisSettings,
  vendor: string,
  token: string,
): Promise<SharedLimit> {
  const redisPackage = await loadRedisPackage(context, settings);
  const { common } = context.parsed;
  const label = redisPackage.redactRedisUrl(settings.url);
  let redis: Awaited<ReturnType<typeof redisPackage.connectRedis>>;
  try {
    redis = await redisPackage.connectRedis(settings.url);
  } catch (error) {
    throw new CliError('config', `--redis: ${(error as Error).message}`, {
      flag: '--redis',
      cause: error,
    });
  }
  const configured = common.rateLimit;
  const documented = configured ? undefined : await DOCUMENTED_BUDGETS[vendor]?.();
  const budget: RateLimitOptions = configured
    ? { requests: configured.limit, perMs: configured.intervalMs }
    : (documented ?? { requests: 10, perMs: 1000 });
  const limiter = redisPackage.createRedisLimiter({
    redis,
    vendor,
    token,
    account: settings.account,
    prefix: settings.prefix,
    requests: budget.requests,
    perMs: budget.perMs,
    burst: budget.burst,
    source: configured ? 'configured' : 'default',
    dailyReserve: common.dailyReserve,
    label,
  });
  return {
    limiter,
    async close() {
      await limiter.flush().catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
