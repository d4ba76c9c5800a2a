import type { RateLimitDecision, RateLimiter, RateLimiterOptions } from './rate-limiter.js';

/**
 * A rolling window kept as a log of accepted request times: a request at `now` is refused when
 * the last `perMs` ms, `(now - perMs, now]`, already hold `requests` accepted requests. So no
 * interval of `perMs` ms ever holds more than `requests` accepted requests, unlike a bucket or a
 * fixed window, which let up to twice that through. An accepted request leaves the window
 * `perMs` ms after it arrived; that is when a refused client may retry.
 */
export class SlidingLog implements RateLimiter {
  readonly #requests: number;
  readonly #perMs: number;
  /** Accepted times, oldest first, from `#head` on (a queue without shifting the array). */
  #times: number[] = [];
  #head = 0;

  constructor(options: RateLimiterOptions) {
    this.#requests = options.requests;
    this.#perMs = options.perMs;
  }

  peek(now: number): RateLimitDecision {
    this.#prune(now);
    return this.#decide(now, this.#count() < this.#requests);
  }

  take(now: number): RateLimitDecision {
    this.#prune(now);
    const allowed = this.#count() < this.#requests;
    if (allowed) this.#times.push(now);
    return this.#decide(now, allowed);
  }

  #count(): number {
    return this.#times.length - this.#head;
  }

  #decide(now: number, allowed: boolean): RateLimitDecision {
    const count = this.#count();
    const oldest = this.#times[this.#head];
    const newest = this.#times[this.#times.length - 1];
    return {
      allowed,
      info: {
        limit: this.#requests,
        remaining: Math.max(0, this.#requests - count),
        windowMs: this.#perMs,
        // The whole budget is back once the newest accepted request has left the window.
        resetAt: newest === undefined ? now : newest + this.#perMs,
        retryAfterMs: allowed || oldest === undefined ? 0 : oldest + this.#perMs - now,
      },
    };
  }

  #prune(now: number): void {
    const times = this.#times;
    while (this.#head < times.length && (times[this.#head] as number) <= now - this.#perMs) {
      this.#head += 1;
    }
    if (this.#head > 1024 && this.#head * 2 > times.length) {
      this.#times = times.slice(this.#head);
      this.#head = 0;
    }
  }
}
