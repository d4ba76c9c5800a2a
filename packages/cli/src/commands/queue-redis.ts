import { CliError } from '../errors.js';
import type { CommandContext } from './registry.js';
import {
  loadRedisPackage,
  REDIS_URL_ENV,
  type RedisSettings,
  redisSettingsOf,
} from './shared-limit.js';

/** The Redis of the run queue, as `worker` and `runs` open it. */
export async function connectQueueRedis(context: CommandContext) {
  const settings = redisSettingsOf(context);
  if (settings === undefined) {
    const name = context.parsed.command.path.join(' ');
    throw new CliError('usage', `${name} needs --redis URL (or ${REDIS_URL_ENV})`, {
      flag: '--redis',
    });
  }
  const redisPackage = await loadRedisPackage(context, settings);
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
  return {
    redisPackage,
    redis,
    label,
    settings: settings as RedisSettings,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
