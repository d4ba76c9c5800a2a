import { FixedWindow } from './fixed-window.js';
import type { RateLimiter, RateLimiterOptions } from './rate-limiter.js';
import { SlidingLog } from './sliding-log.js';
import { TokenBucket } from './token-bucket.js';
import type { RateLimitMode } from './types.js';

export const RATE_LIMIT_MODES: readonly RateLimitMode[] = ['bucket', 'fixed', 'rolling'];

/** The limiter of a mode; `now` starts a bucket full. */
export function createRateLimiter(
  mode: RateLimitMode,
  options: RateLimiterOptions,
  now: number,
): RateLimiter {
  switch (mode) {
    case 'bucket':
      return new TokenBucket(options, now);
    case 'fixed':
      return new FixedWindow(options);
    case 'rolling':
      return new SlidingLog(options);
  }
}
