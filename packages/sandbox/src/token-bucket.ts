import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from './rate-limiter.js';

/**
 * A token bucket holding `burst` tokens (default `requests`), refilled continuously at
 * `requests` per `perMs`. A full bucket lets a burst through; after that requests pass at the
 * refill rate. Over any interval of length T at most `burst + T * requests / perMs` pass.
 *
 * The level is kept in units of `1 / perMs` token so that integer settings never accumulate
 * rounding errors: a token is `perMs` units and a millisecond refills `requests` units.
 */
export class TokenBucket implements RateLimiter {
  readonly #requests: number;
  readonly #perMs: number;
  readonly #capacity: number;
  #level: number;
  #updatedAt: number;

  constructor(options: RateLimiterOptions, now: number) {
    this.#requests = options.requests;
    this.#perMs = options.perMs;
    this.#capacity = (options.burst ?? options.requests) * options.perMs;
    this.#level = this.#capacity;
    this.#updatedAt = now;
  }

  peek(now: number): RateLimitDecision {
    this.#refill(now);
    return this.#decide(now, this.#level >= this.#perMs);
  }

  take(now: number): RateLimitDecision {
    this.#refill(now);
    const allowed = this.#level >= this.#perMs;
    if (allowed) this.#level -= this.#perMs;
    return this.#decide(now, allowed);
  }

  #decide(now: number, allowed: boolean): RateLimitDecision {
    const msUntil = (level: number) => Math.ceil(Math.max(0, level - this.#level) / this.#requests);
    return {
      allowed,
      info: {
        limit: this.#requests,
        remaining: Math.floor(this.#level / this.#perMs),
        windowMs: this.#perMs,
        resetAt: now + msUntil(this.#capacity),
        retryAfterMs: allowed ? 0 : msUntil(this.#perMs),
      },
    };
  }

  #refill(now: number): void {
    // A clock that steps back refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#level = Math.min(this.#capacity, this.#level + elapsed * this.#requests);
    this.#updatedAt = Math.max(this.#updatedAt, now);
  }
}
