import type { Middleware } from 'openapi-fetch';
import { type Clock, systemClock } from './clock.js';
import { HeldTime } from './held-time.js';
import { parseRetryAfter } from './retry-after.js';
import { NotSentError } from './retry-policy.js';

/** Options of a {@link RateLimiter}. */
export interface RateLimitOptions {
  /**
   * Requests allowed per `perMs` window, on average.
   * @example 120
   */
  requests: number;
  /**
   * Length of the window in milliseconds.
   * @example 60000
   */
  perMs: number;
  /**
   * Requests that may be sent back to back after a quiet period (the bucket's capacity).
   * @default requests
   */
  burst?: number | undefined;
}

/** Counters of a {@link RateLimiter}, cumulative since it was created. */
export interface RateLimiterStats {
  /** Tokens handed out (requests let through). */
  granted: number;
  /** Requests that had to wait for a token or for a pause to end. */
  waited: number;
  /**
   * Milliseconds requests spent waiting, summed over requests: ten requests held back together
   * for 1 s add 10 s. See `heldMs` for the wall-clock time.
   */
  waitedMs: number;
  /**
   * Wall-clock milliseconds during which at least one request was waiting (the union of the
   * waits, never more than the time elapsed).
   */
  heldMs: number;
  /** Pauses asked for by the vendor (429 responses, `Retry-After` on 503). */
  throttled: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  since: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * A token bucket shared by every request of one client, bulk sends and polls alike: it lets
 * `burst` requests through at once, then `requests` per `perMs` on average, in arrival order.
 * When the vendor answers 429, {@link RateLimiter.pause} holds every request back until the
 * vendor is ready again, instead of letting the others hit the same wall.
 *
 * @example
 * const limiter = new RateLimiter({ requests: 120, perMs: 60_000, burst: 20 });
 * await limiter.acquire(signal);
 */
export class RateLimiter {
  readonly requests: number;
  readonly perMs: number;
  readonly burst: number;
  readonly #clock: Clock;
  readonly #ratePerMs: number;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  readonly #queue: Waiter[] = [];
  #pumping = false;
  readonly #stats: Omit<RateLimiterStats, 'heldMs'> = {
    granted: 0,
    waited: 0,
    waitedMs: 0,
    throttled: 0,
  };
  readonly #held: HeldTime;
  readonly #holdListeners = new Set<(holding: boolean) => void>();

  constructor(options: RateLimitOptions, clock: Clock = systemClock) {
    if (!options || typeof options !== 'object') {
      throw new TypeError('Expected `options` of the rate limiter to be an object');
    }
    const { requests, perMs } = options;
    const burst = options.burst ?? requests;
    for (const [name, value] of [
      ['requests', requests],
      ['perMs', perMs],
      ['burst', burst],
    ] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new TypeError(
          `Expected \`${name}\` of the rate limiter to be a positive number, got ${String(value)}`,
        );
      }
    }
    if (burst < 1)
      throw new TypeError(`Expected \`burst\` of the rate limiter to be at least 1, got ${burst}`);
    this.requests = requests;
    this.perMs = perMs;
    this.burst = burst;
    this.#clock = clock;
    this.#ratePerMs = requests / perMs;
    this.#tokens = burst;
    this.#refilledAt = clock.now();
    this.#held = new HeldTime(clock);
  }

  /** A copy of the counters. */
  get stats(): RateLimiterStats {
    return { ...this.#stats, heldMs: this.#held.ms };
  }

  /** Whether a request is waiting for a token or for a pause to end right now. */
  get holding(): boolean {
    return this.#queue.length > 0;
  }

  /**
   * Calls `listener` each time the limiter starts holding requests back (`true`: the first one
   * queues) and stops (`false`: the queue is empty again). Returns the function that removes it.
   * `runBulk` uses it to report the wall-clock time its run was held.
   */
  onHoldChange(listener: (holding: boolean) => void): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError('Expected `listener` to be a function');
    }
    this.#holdListeners.add(listener);
    return () => {
      this.#holdListeners.delete(listener);
    };
  }

  #holdChanged(): void {
    const holding = this.#queue.length > 0;
    this.#held.set(holding);
    for (const listener of this.#holdListeners) listener(holding);
  }

  /** Milliseconds until the current pause ends (0 when not paused). */
  get pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#clock.now());
  }

  /**
   * Waits for a token. Rejects with a {@link NotSentError} (its `cause` is the abort reason) when
   * `signal` aborts first: the request was never sent, so it is safe to send again.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(notSent(signal));
    if (this.#queue.length === 0 && this.#waitMs() === 0) {
      this.#take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        since: this.#clock.now(),
        signal,
        onAbort: undefined,
      };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) {
            this.#queue.splice(at, 1);
            if (this.#queue.length === 0) this.#holdChanged();
          }
          reject(notSent(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      if (this.#queue.length === 1) this.#holdChanged();
      this.#stats.waited += 1;
      void this.#pump();
    });
  }

  /**
   * Holds every request back for `ms` milliseconds from now (a longer pause already in place
   * wins), and counts one throttle. Call it when the vendor answers 429.
   */
  pause(ms: number): void {
    this.holdFor(ms);
    this.#stats.throttled += 1;
  }

  /**
   * Like {@link RateLimiter.pause} without counting a throttle: for pauses we take before the
   * vendor refuses anything (its "remaining" header reached 0).
   */
  holdFor(ms: number): void {
    if (typeof ms !== 'number' || Number.isNaN(ms)) {
      throw new TypeError(`Expected \`ms\` to be a number, got ${String(ms)}`);
    }
    this.#refill();
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + Math.max(0, ms));
    // The vendor's window restarts when the pause ends: no tokens pile up meanwhile, so a full
    // burst cannot hit it the moment the pause is over.
    this.#tokens = Math.min(this.#tokens, 1);
    this.#refilledAt = Math.max(this.#refilledAt, this.#pausedUntil);
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#refilledAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.burst, this.#tokens + elapsed * this.#ratePerMs);
      this.#refilledAt = now;
    }
  }

  #waitMs(): number {
    this.#refill();
    const paused = this.#pausedUntil - this.#clock.now();
    const forToken = this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#ratePerMs);
    return Math.max(0, paused, forToken);
  }

  #take(): void {
    this.#tokens -= 1;
    this.#stats.granted += 1;
  }

  // One loop serves the queue in order; it sleeps only as long as the head must wait.
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const wait = this.#waitMs();
        if (wait > 0) {
          await this.#clock.sleep(wait);
          continue;
        }
        const waiter = this.#queue.shift()!;
        if (waiter.signal && waiter.onAbort)
          waiter.signal.removeEventListener('abort', waiter.onAbort);
        this.#take();
        this.#stats.waitedMs += this.#clock.now() - waiter.since;
        if (this.#queue.length === 0) this.#holdChanged();
        waiter.resolve();
      }
    } finally {
      this.#pumping = false;
    }
  }
}

function notSent(signal: AbortSignal): NotSentError {
  return new NotSentError(
    'The request was not sent: it was aborted while waiting for the rate limiter',
    {
      cause: signal.reason,
    },
  );
}

/** Resolves the `rateLimit` option of a client into a limiter, or `undefined` for none. */
export function resolveRateLimiter(
  option: RateLimiter | RateLimitOptions | false | undefined,
  fallback: RateLimitOptions | undefined,
  argument = 'rateLimit',
): RateLimiter | undefined {
  if (option === false) return undefined;
  if (option instanceof RateLimiter) return option;
  if (option === undefined) return fallback ? new RateLimiter(fallback) : undefined;
  if (!option || typeof option !== 'object') {
    throw new TypeError(
      `Expected \`${argument}\` to be a RateLimiter, { requests, perMs, burst? } or false`,
    );
  }
  return new RateLimiter(option);
}

/** Options of {@link rateLimitMiddleware}. */
export interface RateLimitMiddlewareOptions {
  /**
   * Reads how long to wait from vendor-specific headers when a 429 has no `Retry-After`.
   * @default reads nothing
   */
  retryAfter?: ((response: Response) => number | undefined) | undefined;
  /**
   * Reads, from any response, how long to hold requests back before the vendor would refuse them
   * (for example when its "remaining" header reaches 0). Return `undefined` for no pause.
   * @default reads nothing
   */
  pauseAfter?: ((response: Response) => number | undefined) | undefined;
  /**
   * Pause after a 429 that says nothing about when to come back.
   * @default 1000
   */
  defaultPauseMs?: number | undefined;
}

/**
 * An openapi-fetch middleware that makes every request of a client take a token from `limiter`
 * first, and pauses the limiter when the vendor answers 429 (for `Retry-After`, given in seconds
 * or as an HTTP date, or what `retryAfter` reads from the vendor's headers) or 503 with a
 * `Retry-After`.
 */
export function rateLimitMiddleware(
  limiter: RateLimiter,
  options: RateLimitMiddlewareOptions = {},
): Middleware {
  if (!(limiter instanceof RateLimiter)) {
    throw new TypeError('Expected `limiter` to be a RateLimiter');
  }
  const defaultPauseMs = options.defaultPauseMs ?? 1000;
  return {
    async onRequest({ request }) {
      await limiter.acquire(request.signal);
      return undefined;
    },
    onResponse({ response }) {
      const header = parseRetryAfter(response.headers.get('retry-after'));
      if (response.status === 429) {
        limiter.pause(header ?? options.retryAfter?.(response) ?? defaultPauseMs);
      } else if (response.status === 503 && header !== undefined) {
        limiter.pause(header);
      } else {
        const ms = options.pauseAfter?.(response);
        if (ms !== undefined && ms > 0) limiter.holdFor(ms);
      }
      return undefined;
    },
  };
}
