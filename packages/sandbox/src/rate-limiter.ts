/**
 * What every rate-limit algorithm of the sandbox offers the fault layer: one module per algorithm
 * (`token-bucket.ts`, `fixed-window.ts`, `sliding-log.ts`), picked by `create-rate-limiter.ts`.
 */
import type { RateLimitInfo } from './types.js';

export type { RateLimitMode } from './types.js';

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
