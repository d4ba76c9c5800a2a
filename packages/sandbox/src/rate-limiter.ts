/**
 * What every rate-limit algorithm of the sandbox offers the fault layer. One module per
 * algorithm (`token-bucket.ts`, `fixed-window.ts`, `sliding-log.ts`); `createRateLimiter` picks one.
 */
import { FixedWindow } from './fixed-window.js';
import { SlidingLog } from './sliding-log.js';
import { TokenBucket } from './token-bucket.js';
import type { RateLimitInfo, RateLimitMode } from './types.js';

export type { RateLimitMode } from './types.js';

export const RATE_LIMIT_MODES: readonly RateLimitMode[] = ['bucket', 'fixed', 'rolling'];

/** Whether a request would pass now, and the limiter's state as a client should see it. */
export interface RateLimitDecision {
  allowed: boolean;
  info: RateLimitInfo;
}

export interface RateLimiter {
  /** What a request arriving at `now` would get, without counting it. */
  peek(now: number): RateLimitDecision;
  /** Counts one request if it is allowed; `info` is the state after it. */
  take(now: number): RateLimitDecision;
}

export interface RateLimiterOptions {
  /** Requests allowed per `perMs` (for `bucket`, the refill: `requests` tokens per `perMs`). */
  requests: number;
  perMs: number;
  /** `bucket` only: the bucket's size. @default requests */
  burst?: number | undefined;
}

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
