export { createRedisJournal, type RedisJournalOptions } from './redis-journal.js';
export {
  accountKeyOf,
  createRedisLimiter,
  defaultRedisLimiterOptions,
  type RedisLimiter,
} from './redis-limiter.js';
export { RedisUnavailableError } from './redis-unavailable-error.js';
export {
  type ConnectRedisOptions,
  connectRedis,
  describeConnection,
  redactRedisUrl,
  redisUrlPassword,
} from './redis-url.js';
export type { RedisConnection, RedisLimiterOptions } from './types.js';
