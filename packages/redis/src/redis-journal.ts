import type { BulkJournal, JournalRecord } from '@bulk-clients/core';
import { RedisUnavailableError } from './redis-unavailable-error.js';
import { describeConnection } from './redis-url.js';
import type { RedisConnection } from './types.js';

/** Options of {@link createRedisJournal}. */
export interface RedisJournalOptions {
  /** The ioredis connection; the journal does not close it. */
  redis: RedisConnection;
  /**
   * The Redis list that holds the journal, one JSON record per element.
   * @example 'bulk-clients:run:3f0c...:journal'
   */
  key: string;
  /**
   * Expiry of the journal, set by the first append of each journal opened on the key (each
   * attempt at a chunk), so that a journal nobody settles (a run abandoned mid-way) does not
   * stay in Redis for ever.
   * @default no expiry
   */
  ttlMs?: number | undefined;
}

/**
 * A `BulkJournal` kept in a Redis list, so that a run (or a part of one) resumed by another
 * process or machine finds what the first one recorded: the same reconcile-before-resend and
 * deterministic create ids as with a journal file. `append` resolves once Redis has the records
 * (as durable as the server's persistence settings make them); a Redis that does not answer
 * rejects with a {@link RedisUnavailableError}, so the engine sends nothing it could not record.
 *
 * @example
 * const report = await runBulk(items, adapter, { journal: createRedisJournal({ redis, key }) });
 */
export function createRedisJournal(options: RedisJournalOptions): BulkJournal {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` of the Redis journal to be an object');
  }
  const { redis, key, ttlMs } = options;
  if (!redis || typeof (redis as { rpush?: unknown }).rpush !== 'function') {
    throw new TypeError('Expected `redis` to be an ioredis connection');
  }
  if (typeof key !== 'string' || key === '') {
    throw new TypeError('Expected `key` to be a non-empty string');
  }
  if (ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs < 1)) {
    throw new TypeError(`Expected \`ttlMs\` to be a positive integer, got ${ttlMs}`);
  }
  let expirySet = false;
  const failed = (error: unknown) => new RedisUnavailableError(describeConnection(redis), error);
  return {
    async load() {
      let lines: string[];
      try {
        lines = await redis.lrange(key, 0, -1);
      } catch (error) {
        throw failed(error);
      }
      return lines.map((line) => JSON.parse(line) as JournalRecord);
    },
    async append(records) {
      if (records.length === 0) return;
      try {
        const lines = records.map((record) => JSON.stringify(record));
        if (ttlMs === undefined || expirySet) {
          await redis.rpush(key, ...lines);
        } else {
          // One round trip; the expiry is set again by the next journal opened on the key.
          const answers = await redis
            .pipeline()
            .rpush(key, ...lines)
            .pexpire(key, ttlMs)
            .exec();
          const failure = answers?.find(([error]) => error)?.[0];
          if (failure) throw failure;
          expirySet = true;
        }
      } catch (error) {
        throw failed(error);
      }
    },
  };
}
