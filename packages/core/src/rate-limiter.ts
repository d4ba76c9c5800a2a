import type { Middleware } from 'openapi-fetch';
import { type Clock, systemClock } from './clock.js';
import { HeldTime } from './held-time.js';
import type { RateLimitObservation } from './rate-limit-headers.js';
import { parseRetryAfter } from './retry-after.js';
import { NotSentError } from './retry-policy.js';
import { SendLog, type SendWindow } from './send-log.js';

/** Options of a {@link RateLimiter}. */
export interface RateLimitOptions {
  /**
   * Requests allowed in any interval of `perMs` milliseconds. A fraction below 1 is read as one
   * request per `perMs / requests`; a fraction above 1 is rounded down.
   * @example 120
   */
  requests: number;
  /**
   * Length of the window in milliseconds.
   * @example 60000
   */
  perMs: number;
  /**
   * A tighter budget for short bursts, for vendors that document one (a token bucket of this
   * capacity refilled at `requests` per `perMs`): at most `burst` requests in any interval of
   * `burst * perMs / requests`.
   * @default requests (no separate burst budget)
   */
  burst?: number | undefined;
  /**
   * Extra milliseconds each window is held open for, so that the latency jitter between our send
   * and the vendor's receipt cannot squeeze `requests + 1` sends into one of the vendor's windows.
   * @default 2% of the window, at least 10 ms and at most 250 ms
   */
  safetyMarginMs?: number | undefined;
  /**
   * Daily requests to leave unspent: once the vendor's daily budget (learned from its headers)
   * is down to this many, the limiter stops, as if the budget were spent.
   * @default 0
   */
  dailyReserve?: number | undefined;
}

/** Where the budget in force comes from. */
export type BudgetSource = 'configured' | 'learned' | 'default';

/** The budget a limiter holds requests to right now (its tightest window). */
export interface RateLimitBudget {
  /** Requests per `perMs`. */
  requests: number;
  /** Window length in milliseconds. */
  perMs: number;
  /** `configured` (the caller's), `learned` (the vendor's headers) or `default` (documented). */
  source: BudgetSource;
  /** The vendor's daily budget, when its headers state one. */
  daily?: { limit: number | undefined; remaining: number } | undefined;
}

/** Counters of a {@link RateLimiter}, cumulative since it was created. */
export interface RateLimiterStats {
  /** Requests let through. */
  granted: number;
  /** Requests that had to wait for the budget or for a pause to end. */
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

/** Why a limiter stopped letting requests through for good. */
export interface BudgetStop {
  /** `daily_limit`: the vendor's daily budget (or all but the reserve) is spent. */
  code: 'daily_limit';
  message: string;
}

/** What {@link RateLimiter.acquire} hands out: the order and time of one send. */
export interface Grant {
  /** 1 for the first request let through, 2 for the next, and so on. */
  seq: number;
  /** When it was let through, on the limiter's clock. */
  at: number;
}

/**
 * What bulk runs and clients need of a rate limiter; {@link RateLimiter} is the in-process one. A
 * limiter shared between processes implements the same interface.
 */
export interface RequestLimiter {
  acquire(signal?: AbortSignal): Promise<Grant | undefined>;
  pause(ms: number): void;
  holdFor(ms: number): void;
  observe(observation: RateLimitObservation, grant?: Grant): void;
  /** Says the request sent under `grant` was answered or failed (see `RateLimiter.answered`). */
  answered?(grant: Grant | undefined): void;
  stop(stop: BudgetStop): void;
  readonly stopped: BudgetStop | undefined;
  readonly budget: RateLimitBudget;
  readonly stats: RateLimiterStats;
  readonly holding: boolean;
  onHoldChange(listener: (holding: boolean) => void): () => void;
  /** Calls `listener` once when the limiter stops; returns the function that removes it. */
  onStop?(listener: (stop: BudgetStop) => void): () => void;
}

/** Thrown by {@link RateLimiter.acquire} once the limiter has stopped: nothing was sent. */
export class BudgetSpentError extends NotSentError {
  override readonly name: string = 'BudgetSpentError';
  readonly stop: BudgetStop;
  constructor(stop: BudgetStop) {
    super(`The request was not sent: ${stop.message}`);
    this.stop = stop;
  }
}

interface Waiter {
  resolve(grant: Grant): void;
  reject(error: unknown): void;
  since: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Window extends SendWindow {
  source: BudgetSource;
  /** `main`: the window budget; `burst`: its short-burst budget; `secondly`: a per-second one. */
  kind: 'main' | 'burst' | 'secondly';
}

/**
 * A rate limiter shared by every request of one client, bulk sends and polls alike. It keeps a
 * log of recent sends and lets a request through only when no interval of `perMs` (plus a small
 * safety margin) would then hold more than `requests` sends: exact against a vendor that counts
 * in fixed windows, rolling windows or a token bucket alike, whatever the concurrency.
 *
 * The budget can be learned: {@link RateLimiter.observe} takes what the vendor's headers state
 * (limit, remaining, per-second and daily budgets) and the limiter follows it, up or down, never
 * above a budget the caller configured. When the vendor answers 429 {@link RateLimiter.pause}
 * holds every request back; when its daily budget is spent {@link RateLimiter.stop} refuses every
 * further request with a {@link BudgetSpentError}.
 *
 * @example
 * const limiter = new RateLimiter({ requests: 190, perMs: 10_000 });
 * await limiter.acquire(signal);
 */
export class RateLimiter implements RequestLimiter {
  readonly #clock: Clock;
  readonly #log = new SendLog();
  readonly #marginOption: number | undefined;
  readonly #dailyReserve: number;
  /** The caller's budget (an upper bound that learning never lifts), or the vendor default. */
  readonly #base: Window[];
  #learned: Window[] = [];
  #windows: Window[];
  #seq = 0;
  #pausedUntil = 0;
  #dailyLimit: number | undefined;
  #dailyLeft: number | undefined;
  #stopped: BudgetStop | undefined;
  readonly #queue: Waiter[] = [];
  #pumping = false;
  #wake: AbortController | undefined;
  readonly #stats: Omit<RateLimiterStats, 'heldMs'> = {
    granted: 0,
    waited: 0,
    waitedMs: 0,
    throttled: 0,
  };
  readonly #held: HeldTime;
  readonly #holdListeners = new Set<(holding: boolean) => void>();
  readonly #stopListeners = new Set<(stop: BudgetStop) => void>();

  /**
   * @param source `configured` (the default) when the caller chose the budget, `default` when it
   *   is the vendor's documented one, which the vendor's headers then replace.
   */
  constructor(
    options: RateLimitOptions,
    clock: Clock = systemClock,
    source: 'configured' | 'default' = 'configured',
  ) {
    if (!options || typeof options !== 'object') {
      throw new TypeError('Expected `options` of the rate limiter to be an object');
    }
    const { requests, perMs } = options;
    const burst = options.burst ?? Math.max(1, requests);
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
    const margin = options.safetyMarginMs;
    if (margin !== undefined && (typeof margin !== 'number' || !(margin >= 0) || margin > perMs)) {
      throw new TypeError(
        `Expected \`safetyMarginMs\` of the rate limiter to be a number from 0 to perMs, got ${String(margin)}`,
      );
    }
    const reserve = options.dailyReserve ?? 0;
    if (typeof reserve !== 'number' || !Number.isInteger(reserve) || reserve < 0) {
      throw new TypeError(
        `Expected \`dailyReserve\` of the rate limiter to be a whole number >= 0, got ${String(reserve)}`,
      );
    }
    this.#marginOption = margin;
    this.#dailyReserve = reserve;
    this.#clock = clock;
    this.#base = windowsOf(requests, perMs, burst, source);
    this.#windows = this.#base;
    this.#held = new HeldTime(clock);
  }

  /** Requests per `perMs` of the budget in force (see {@link RateLimiter.budget}). */
  get requests(): number {
    return this.budget.requests;
  }

  /** Window length of the budget in force. */
  get perMs(): number {
    return this.budget.perMs;
  }

  /** The budget in force: the tightest of the windows that apply, and where it comes from. */
  get budget(): RateLimitBudget {
    let tightest: Window = this.#windows[0]!;
    for (const window of this.#windows) {
      if (window.kind === 'burst') continue;
      if (window.requests / window.perMs < tightest.requests / tightest.perMs) tightest = window;
    }
    const budget: RateLimitBudget = {
      requests: tightest.requests,
      perMs: tightest.perMs,
      source: tightest.source,
    };
    if (this.#dailyLeft !== undefined) {
      budget.daily = { limit: this.#dailyLimit, remaining: Math.max(0, this.#dailyLeft) };
    }
    return budget;
  }

  /** A copy of the counters. */
  get stats(): RateLimiterStats {
    return { ...this.#stats, heldMs: this.#held.ms };
  }

  /** Whether a request is waiting for the budget or for a pause to end right now. */
  get holding(): boolean {
    return this.#queue.length > 0;
  }

  /** Why the limiter stopped for good, or `undefined` while it lets requests through. */
  get stopped(): BudgetStop | undefined {
    return this.#stopped;
  }

  /**
   * Milliseconds until one more request could be let through (0: now), by the budget and any
   * pause, ignoring requests already waiting.
   */
  get nextFreeInMs(): number {
    return this.#stopped ? Number.POSITIVE_INFINITY : this.#waitMs();
  }

  /** Milliseconds until the current pause ends (0 when not paused). */
  get pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#clock.now());
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

  /** Calls `listener` once when the limiter stops (see {@link RateLimiter.stop}). */
  onStop(listener: (stop: BudgetStop) => void): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError('Expected `listener` to be a function');
    }
    this.#stopListeners.add(listener);
    return () => {
      this.#stopListeners.delete(listener);
    };
  }

  #holdChanged(): void {
    const holding = this.#queue.length > 0;
    this.#held.set(holding);
    for (const listener of this.#holdListeners) listener(holding);
  }

  /**
   * Waits until the budget allows one more request and resolves with its {@link Grant}. Rejects
   * with a {@link NotSentError} (its `cause` is the abort reason) when `signal` aborts first, and
   * with a {@link BudgetSpentError} once the limiter has stopped: either way nothing was sent.
   */
  acquire(signal?: AbortSignal): Promise<Grant> {
    if (signal?.aborted) return Promise.reject(notSent(signal));
    if (this.#stopped) return Promise.reject(new BudgetSpentError(this.#stopped));
    if (this.#queue.length === 0 && this.#waitMs() === 0) return Promise.resolve(this.#take());
    return new Promise<Grant>((resolve, reject) => {
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
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + Math.max(0, ms));
  }

  /**
   * Stops the limiter for good: every waiting and every later {@link RateLimiter.acquire} is
   * refused with a {@link BudgetSpentError}. Requests already let through are not affected.
   */
  stop(stop: BudgetStop): void {
    if (this.#stopped) return;
    this.#stopped = stop;
    const waiters = this.#queue.splice(0);
    for (const waiter of waiters) {
      if (waiter.signal && waiter.onAbort)
        waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new BudgetSpentError(stop));
    }
    if (waiters.length > 0) this.#holdChanged();
    this.#wake?.abort();
    for (const listener of this.#stopListeners) listener(stop);
  }

  /**
   * Follows what a response said about the vendor's budget. `grant` is the one the request that
   * brought the response was sent under; without it the observation is read as of now.
   *
   * - A window (`limit` per `intervalMs`) replaces the vendor default, or adds to the caller's
   *   budget (both then apply); `secondly` adds a one-second window.
   * - `remaining` lower than our own sends explain (other clients share the budget) counts the
   *   difference as sends made now; `remaining` 0 with a known `reset` holds until the reset.
   * - The daily budget is tracked from `dailyRemaining`, and the limiter stops when it is spent
   *   (down to `dailyReserve`).
   */
  observe(observation: RateLimitObservation, grant?: Grant): void {
    if (!observation || typeof observation !== 'object') return;
    const now = this.#clock.now();
    const sentAt = grant?.at ?? now;
    const sentSince = grant ? this.#seq - grant.seq : 0;
    const { limit, intervalMs } = observation;
    if (limit !== undefined && intervalMs !== undefined) this.#learn('main', limit, intervalMs);
    if (observation.secondly !== undefined) this.#learn('secondly', observation.secondly, 1000);
    if (observation.remaining !== undefined) {
      if (limit !== undefined && intervalMs !== undefined && observation.resetInMs === undefined) {
        this.#accountForOthers(limit - observation.remaining, intervalMs, sentAt);
      }
      if (observation.remaining === 0 && observation.resetInMs !== undefined) {
        this.holdFor(observation.resetInMs + this.#margin(intervalMs ?? 1000));
      }
    }
    if (observation.secondly !== undefined && observation.secondlyRemaining !== undefined) {
      this.#accountForOthers(observation.secondly - observation.secondlyRemaining, 1000, sentAt);
    }
    if (observation.daily !== undefined) this.#dailyLimit = observation.daily;
    if (observation.dailyRemaining !== undefined) {
      const left = observation.dailyRemaining - sentSince;
      this.#dailyLeft = this.#dailyLeft === undefined ? left : Math.min(this.#dailyLeft, left);
      this.#checkDaily();
    }
    this.#wake?.abort();
  }

  /**
   * Tells the limiter that the request sent under `grant` was answered (or failed): its send is
   * counted from now on, the latest the vendor can have received it, instead of from when it was
   * let through. A request that left late (a new connection, a busy event loop) then cannot put
   * one send too many into the vendor's next window.
   */
  answered(grant: Grant | undefined): void {
    if (!grant || typeof grant.seq !== 'number') return;
    this.#log.answer(grant.seq, this.#clock.now());
    this.#wake?.abort();
  }

  // The vendor counted `used` sends in the window that ended when it answered; any it counted
  // beyond ours came from other clients, so they are logged as made now (the latest they can
  // leave the vendor's window).
  #accountForOthers(used: number, perMs: number, sentAt: number): void {
    const ours = this.#log.countSince(sentAt - perMs - this.#margin(perMs));
    const others = used - ours;
    if (others > 0) this.#log.add(this.#clock.now(), undefined, others);
  }

  #learn(kind: 'main' | 'secondly', requests: number, perMs: number): void {
    const current = this.#learned.find((window) => window.kind === kind);
    if (current && current.requests === requests && current.perMs === perMs) return;
    const learned: Window = { requests, perMs, source: 'learned', kind };
    this.#learned = [...this.#learned.filter((window) => window.kind !== kind), learned];
    const base = this.#base[0]!;
    if (base.source === 'configured') {
      this.#windows = [...this.#base, ...this.#learned];
      return;
    }
    // A documented default is only a starting point: the vendor's own figures replace it, and a
    // documented burst budget scales with the window it belongs to.
    const main = this.#learned.find((window) => window.kind === 'main');
    const kept = main ? [] : this.#base.filter((window) => window.kind === 'main');
    const burst = this.#base.find((window) => window.kind === 'burst');
    const scaled: Window[] = [];
    if (burst && main) {
      const ratio = burst.requests / base.requests;
      const requestsInBurst = Math.max(1, Math.floor(main.requests * ratio));
      if (requestsInBurst < main.requests) {
        scaled.push({
          requests: requestsInBurst,
          perMs: (requestsInBurst * main.perMs) / main.requests,
          source: 'learned',
          kind: 'burst',
        });
      }
    } else if (burst) scaled.push(burst);
    this.#windows = [...kept, ...scaled, ...this.#learned];
  }

  #checkDaily(): void {
    if (this.#dailyLeft === undefined || this.#stopped) return;
    if (this.#dailyLeft > this.#dailyReserve) return;
    const limit = this.#dailyLimit === undefined ? '' : ` of ${this.#dailyLimit} requests`;
    const reserve =
      this.#dailyReserve > 0 ? ` (down to the ${this.#dailyReserve} requests kept in reserve)` : '';
    this.stop({
      code: 'daily_limit',
      message: `the vendor's daily request limit${limit} is spent${reserve}`,
    });
  }

  #margin(perMs: number): number {
    if (this.#marginOption !== undefined) return Math.min(this.#marginOption, perMs);
    return Math.min(250, Math.max(10, Math.round(perMs * 0.02)));
  }

  #waitMs(): number {
    const now = this.#clock.now();
    const free = this.#log.nextFreeAt(now, this.#windows, (perMs) => this.#margin(perMs));
    return Math.max(0, this.#pausedUntil - now, free - now);
  }

  #take(): Grant {
    const now = this.#clock.now();
    this.#seq += 1;
    this.#log.add(now, this.#seq);
    let longest = 0;
    for (const window of this.#windows)
      longest = Math.max(longest, window.perMs + this.#margin(window.perMs));
    this.#log.prune(now - longest);
    this.#stats.granted += 1;
    if (this.#dailyLeft !== undefined) {
      this.#dailyLeft -= 1;
      this.#checkDaily();
    }
    return { seq: this.#seq, at: now };
  }

  // One loop serves the queue in order; it sleeps only as long as the head must wait, and wakes
  // early when an observation or a stop may change that.
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const wait = this.#waitMs();
        if (wait > 0) {
          this.#wake = new AbortController();
          await this.#clock.sleep(wait, this.#wake.signal).catch(() => undefined);
          this.#wake = undefined;
          continue;
        }
        const waiter = this.#queue.shift()!;
        if (waiter.signal && waiter.onAbort)
          waiter.signal.removeEventListener('abort', waiter.onAbort);
        const grant = this.#take();
        this.#stats.waitedMs += this.#clock.now() - waiter.since;
        if (this.#queue.length === 0) this.#holdChanged();
        waiter.resolve(grant);
      }
    } finally {
      this.#pumping = false;
    }
  }
}

function windowsOf(requests: number, perMs: number, burst: number, source: BudgetSource): Window[] {
  // Fewer than one request per window: one request per proportionally longer window.
  const main: Window =
    requests < 1
      ? { requests: 1, perMs: perMs / requests, source, kind: 'main' }
      : { requests: Math.floor(requests), perMs, source, kind: 'main' };
  const windows = [main];
  const burstRequests = Math.floor(burst);
  if (burstRequests < main.requests) {
    windows.push({
      requests: burstRequests,
      perMs: (burstRequests * main.perMs) / main.requests,
      source,
      kind: 'burst',
    });
  }
  return windows;
}

function notSent(signal: AbortSignal): NotSentError {
  return new NotSentError(
    'The request was not sent: it was aborted while waiting for the rate limiter',
    {
      cause: signal.reason,
    },
  );
}

/** Whether `value` has the methods of a {@link RequestLimiter}. */
export function isRequestLimiter(value: unknown): value is RequestLimiter {
  if (!value || typeof value !== 'object') return false;
  const limiter = value as Record<string, unknown>;
  return (
    typeof limiter.acquire === 'function' &&
    typeof limiter.pause === 'function' &&
    typeof limiter.holdFor === 'function' &&
    typeof limiter.observe === 'function' &&
    typeof limiter.onHoldChange === 'function'
  );
}

/**
 * Resolves the `rateLimit` option of a client into a limiter, or `undefined` for none: a given
 * limiter is shared as it is, options make a limiter of the caller's budget, and `undefined`
 * makes one of the vendor's documented budget (`fallback`), which the vendor's headers refine.
 */
export function resolveRateLimiter(
  option: RequestLimiter | RateLimitOptions | false | undefined,
  fallback: RateLimitOptions | undefined,
  argument = 'rateLimit',
  extra: Pick<RateLimitOptions, 'dailyReserve'> = {},
): RequestLimiter | undefined {
  if (option === false) return undefined;
  if (isRequestLimiter(option)) return option;
  if (option === undefined) {
    return fallback
      ? new RateLimiter({ ...fallback, ...extra }, systemClock, 'default')
      : undefined;
  }
  if (!option || typeof option !== 'object') {
    throw new TypeError(
      `Expected \`${argument}\` to be a RateLimiter, { requests, perMs, burst? } or false`,
    );
  }
  return new RateLimiter({ ...extra, ...option });
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
   * Reads what a response states about the vendor's budget (see `readRateLimitHeaders`), for the
   * limiter to learn from.
   * @default reads nothing
   */
  budget?: ((response: Response) => RateLimitObservation) | undefined;
  /**
   * Tells, from a 429 and its parsed body, that the refusal is for the daily budget: the limiter
   * then stops instead of pausing.
   * @default no 429 is a daily one
   */
  isDailyRefusal?: ((response: Response, body: unknown) => boolean) | undefined;
  /**
   * Pause after a 429 that says nothing about when to come back.
   * @default 1000
   */
  defaultPauseMs?: number | undefined;
}

/**
 * An openapi-fetch middleware that makes every request of a client wait for `limiter` first,
 * feeds the limiter what each response says about the vendor's budget, pauses it when the
 * vendor answers 429 (for `Retry-After`, given in seconds or as an HTTP date, or what
 * `retryAfter` reads from the vendor's headers) or 503 with a `Retry-After`, and stops it when a
 * 429 is for the daily budget.
 */
export function rateLimitMiddleware(
  limiter: RequestLimiter,
  options: RateLimitMiddlewareOptions = {},
): Middleware {
  if (!isRequestLimiter(limiter)) {
    throw new TypeError('Expected `limiter` to be a RateLimiter');
  }
  const defaultPauseMs = options.defaultPauseMs ?? 1000;
  const grants = new WeakMap<Request, Grant>();
  return {
    async onRequest({ request }) {
      const grant = await limiter.acquire(request.signal);
      if (grant) grants.set(request, grant);
      return undefined;
    },
    async onResponse({ request, response }) {
      const grant = grants.get(request);
      limiter.answered?.(grant);
      const seen = options.budget?.(response);
      if (seen) limiter.observe(seen, grant);
      const header = parseRetryAfter(response.headers.get('retry-after'));
      if (response.status === 429) {
        if (options.isDailyRefusal && (await isDaily(response, options.isDailyRefusal))) {
          limiter.stop({
            code: 'daily_limit',
            message: 'the vendor refused a request for its daily request limit',
          });
          return undefined;
        }
        limiter.pause(header ?? options.retryAfter?.(response) ?? defaultPauseMs);
      } else if (response.status === 503 && header !== undefined) {
        limiter.pause(header);
      } else {
        const ms = options.pauseAfter?.(response);
        if (ms !== undefined && ms > 0) limiter.holdFor(ms);
      }
      return undefined;
    },
    onError({ request }) {
      // Failed in flight: it may have reached the vendor at any time until now.
      limiter.answered?.(grants.get(request));
      return undefined;
    },
  };
}

async function isDaily(
  response: Response,
  test: (response: Response, body: unknown) => boolean,
): Promise<boolean> {
  let body: unknown;
  try {
    const text = await response.clone().text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  try {
    return test(response, body) === true;
  } catch {
    return false;
  }
}
