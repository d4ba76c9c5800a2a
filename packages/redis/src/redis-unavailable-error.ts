import { NotSentError } from '@bulk-clients/core';

/**
 * Thrown by the shared limiter when Redis does not answer: the request was not sent (the shared
 * budget could not be checked, and sending anyway could overrun it), so a bulk run retries it and
 * in the end settles it as failed, never as sent.
 */
export class RedisUnavailableError extends NotSentError {
  override readonly name: string = 'RedisUnavailableError';
  /** Where Redis was expected, without a password. */
  readonly redis: string;
  /**
   * What the Redis client reported. Kept out of `cause` on purpose: a socket error code there
   * (ETIMEDOUT) would read as "the request may have been sent".
   */
  readonly redisError: unknown;
  constructor(redis: string, redisError: unknown) {
    const detail = redisError instanceof Error ? redisError.message : String(redisError);
    super(
      `The request was not sent: Redis at ${redis} is unreachable (${detail}), so the shared rate limit cannot be checked`,
    );
    this.redis = redis;
    this.redisError = redisError;
  }
}
