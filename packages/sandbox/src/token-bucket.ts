import type { RateLimitInfo } from './types.js';

/**
 * A token bucket: `requests` tokens, refilled continuously at `requests` per `perMs`. A full
 * bucket lets a burst of `requests` through; after that requests pass at the refill rate.
 */
export class TokenBucket {
  readonly #requests: number;
  readonly #perMs: number;
  #tokens: number;
  #updatedAt: number;

  constructor(requests: number, perMs: number, now: number) {
    this.#requests = requests;
    this.#perMs = perMs;
    this.#tokens = requests;
    this.#updatedAt = now;
  }

  /** Takes one token if there is one. Returns whether it did, and the limiter's state after. */
  take(now: number): { allowed: boolean; info: RateLimitInfo } {
    this.#refill(now);
    const allowed = this.#tokens >= 1;
    if (allowed) this.#tokens -= 1;
    const msPerToken = this.#perMs / this.#requests;
    const missing = this.#requests - this.#tokens;
    return {
      allowed,
      info: {
        limit: this.#requests,
        remaining: Math.floor(this.#tokens),
        windowMs: this.#perMs,
        resetAt: Math.ceil(now + missing * msPerToken),
        retryAfterMs: allowed ? 0 : Math.ceil((1 - this.#tokens) * msPerToken),
      },
    };
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(
      this.#requests,
      this.#tokens + (elapsed * this.#requests) / this.#perMs,
    );
    this.#updatedAt = now;
  }
}
