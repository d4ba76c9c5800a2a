import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from './rate-limiter.js';

/**
 * A fixed window: at most `requests` per window, the count reset at each boundary. Windows are
 * aligned to multiples of `perMs` since the Unix epoch on the sandbox clock (a one-minute window
 * turns at every whole minute, a day at midnight UTC), so `resetAt` is the same for every client
 * and a client can send up to twice the budget across a boundary, as such servers allow.
 */
export class FixedWindow implements RateLimiter {
  readonly #requests: number;
  readonly #perMs: number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(options: RateLimiterOptions) {
    this.#requests = options.requests;
    this.#perMs = options.perMs;
  }

  peek(now: number): RateLimitDecision {
    this.#roll(now);
    return this.#decide(now, this.#count < this.#requests);
  }

  take(now: number): RateLimitDecision {
    this.#roll(now);
    const allowed = this.#count < this.#requests;
    if (allowed) this.#count += 1;
    return this.#decide(now, allowed);
  }

  #decide(now: number, allowed: boolean): RateLimitDecision {
    const resetAt = this.#windowStart + this.#perMs;
    return {
      allowed,
      info: {
        limit: this.#requests,
        remaining: Math.max(0, this.#requests - this.#count),
        windowMs: this.#perMs,
        resetAt,
        retryAfterMs: allowed ? 0 : resetAt - now,
      },
    };
  }

  #roll(now: number): void {
    const start = Math.floor(now / this.#perMs) * this.#perMs;
    if (start > this.#windowStart) {
      this.#windowStart = start;
      this.#count = 0;
    }
  }
}
