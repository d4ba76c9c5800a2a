import type { RedisConnection } from '../types.js';

// KEYS[1]: the account's slots (a sorted set of holders by lease end, on Redis's clock).
// ARGV: holder, lease ms, most holders. Answers 1 when the holder has a slot (new or renewed).
const TAKE_SLOT = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local leaseMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], nowMs + leaseMs, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], leaseMs * 2)
  return 1
end
return 0
`;

/**
 * A per-account semaphore with leases: at most `limit` chunks of one account are processed at
 * once, across every worker, so that an account held back by its vendor budget occupies a few
 * worker slots and never all of them. A worker that dies loses its slot when the lease ends.
 */
export class AccountSlots {
  readonly #redis: RedisConnection;
  readonly #leaseMs: number;
  constructor(redis: RedisConnection, leaseMs: number) {
    this.#redis = redis;
    this.#leaseMs = leaseMs;
  }

  /** Takes (or renews) `holder`'s slot of `key`; resolves to whether it holds one. */
  async take(key: string, holder: string, limit: number): Promise<boolean> {
    const answer = await this.#redis.eval(TAKE_SLOT, 1, key, holder, this.#leaseMs, limit);
    return answer === 1;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.#redis.zrem(key, holder);
  }
}
