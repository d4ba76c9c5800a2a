/**
 * The limiter core had before its sliding-window log, kept here only to compare against: a token
 * bucket of `burst` tokens (default `requests`) refilled at `requests` per `perMs`, first come
 * first served. It learns nothing from the vendor's headers (`observe` does nothing) and never
 * looks back at the sends it made, so after its initial burst it keeps sending at the refill
 * rate: up to `burst + requests` sends in one window of `perMs`, which a vendor counting fixed or
 * rolling windows refuses. It honours the pauses the client asks for after a 429, as before.
 */
import {
  BudgetSpentError,
  type BudgetStop,
  type Grant,
  NotSentError,
  type RateLimitBudget,
  type RateLimiterStats,
  type RequestLimiter,
} from '@bulk-clients/core';

interface Waiter {
  resolve(grant: Grant): void;
  reject(error: unknown): void;
  since: number;
}

export class LegacyTokenBucket implements RequestLimiter {
  readonly #requests: number;
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #refilledAt = performance.now();
  #pausedUntil = 0;
  #seq = 0;
  #stopped: BudgetStop | undefined;
  readonly #queue: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;
  #holdingSince: number | undefined;
  readonly #stats: RateLimiterStats = {
    granted: 0,
    waited: 0,
    waitedMs: 0,
    heldMs: 0,
    throttled: 0,
  };
  readonly #holdListeners = new Set<(holding: boolean) => void>();

  constructor(options: { requests: number; perMs: number; burst?: number }) {
    if (!(options.requests > 0) || !(options.perMs > 0)) {
      throw new TypeError('Expected `requests` and `perMs` of the token bucket to be positive');
    }
    this.#requests = options.requests;
    this.#perMs = options.perMs;
    this.#burst = options.burst ?? options.requests;
    this.#tokens = this.#burst;
  }

  get budget(): RateLimitBudget {
    return { requests: this.#requests, perMs: this.#perMs, source: 'configured' };
  }

  get stats(): RateLimiterStats {
    const now = performance.now();
    const open = this.#holdingSince === undefined ? 0 : now - this.#holdingSince;
    return { ...this.#stats, heldMs: this.#stats.heldMs + open };
  }

  get holding(): boolean {
    return this.#queue.length > 0;
  }

  get stopped(): BudgetStop | undefined {
    return this.#stopped;
  }

  acquire(signal?: AbortSignal): Promise<Grant> {
    if (signal?.aborted) return Promise.reject(notSent(signal));
    if (this.#stopped) return Promise.reject(new BudgetSpentError(this.#stopped));
    return new Promise<Grant>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, since: performance.now() };
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.#queue.indexOf(waiter);
          if (at === -1) return;
          this.#queue.splice(at, 1);
          this.#holdChanged();
          reject(notSent(signal));
        },
        { once: true },
      );
      this.#queue.push(waiter);
      this.#holdChanged();
      this.#pump();
    });
  }

  pause(ms: number): void {
    this.holdFor(ms);
    this.#stats.throttled += 1;
  }

  holdFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + Math.max(0, ms));
    this.#pump();
  }

  /** The previous limiter learned nothing from responses. */
  observe(): void {}

  stop(stop: BudgetStop): void {
    if (this.#stopped) return;
    this.#stopped = stop;
    for (const waiter of this.#queue.splice(0)) waiter.reject(new BudgetSpentError(stop));
    this.#holdChanged();
    clearTimeout(this.#timer);
  }

  onHoldChange(listener: (holding: boolean) => void): () => void {
    this.#holdListeners.add(listener);
    return () => {
      this.#holdListeners.delete(listener);
    };
  }

  #holdChanged(): void {
    const holding = this.#queue.length > 0;
    if (holding === (this.#holdingSince !== undefined)) return;
    const now = performance.now();
    if (holding) this.#holdingSince = now;
    else {
      this.#stats.heldMs += now - (this.#holdingSince ?? now);
      this.#holdingSince = undefined;
    }
    for (const listener of this.#holdListeners) listener(holding);
  }

  #pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const now = performance.now();
      this.#tokens = Math.min(
        this.#burst,
        this.#tokens + ((now - this.#refilledAt) * this.#requests) / this.#perMs,
      );
      this.#refilledAt = now;
      const waitMs = Math.max(
        this.#pausedUntil - now,
        this.#tokens >= 1 ? 0 : ((1 - this.#tokens) * this.#perMs) / this.#requests,
      );
      if (waitMs > 0) {
        this.#timer = setTimeout(() => this.#pump(), Math.ceil(waitMs));
        return;
      }
      this.#tokens -= 1;
      const waiter = this.#queue.shift() as Waiter;
      this.#seq += 1;
      this.#stats.granted += 1;
      if (now > waiter.since) {
        this.#stats.waited += 1;
        this.#stats.waitedMs += now - waiter.since;
      }
      waiter.resolve({ seq: this.#seq, at: now });
    }
    this.#holdChanged();
  }
}

function notSent(signal: AbortSignal): NotSentError {
  return new NotSentError('The request was not sent: aborted while waiting for the token bucket', {
    cause: signal.reason,
  });
}
