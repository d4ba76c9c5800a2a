import { createHash } from 'node:crypto';
import {
  type BudgetSource,
  BudgetSpentError,
  type BudgetStop,
  type Grant,
  NotSentError,
  type RateLimitBudget,
  type RateLimiterStats,
  type RateLimitObservation,
  type RequestLimiter,
} from '@bulk-clients/core';
import { ACQUIRE_SCRIPT, READ_SCRIPT, UPDATE_SCRIPT } from './limiter-scripts.js';
import { RedisUnavailableError } from './redis-unavailable-error.js';
import { describeConnection } from './redis-url.js';
import type { RedisConnection, RedisLimiterOptions } from './types.js';

/** Defaults of {@link createRedisLimiter}'s optional settings. */
export const defaultRedisLimiterOptions = Object.freeze({
  prefix: 'bulk-clients',
  stopTtlMs: 3_600_000,
  commandTimeoutMs: 5000,
  maxPollMs: 1000,
  dailyReserve: 0,
  source: 'configured' as const,
});

/** A {@link RequestLimiter} whose budget lives in Redis, shared by every process of an account. */
export interface RedisLimiter extends RequestLimiter {
  /** The Redis key prefix of this account's budget (`<prefix>:limiter:{<vendor>:<account>}`). */
  readonly key: string;
  /**
   * Waits until the shared budget allows one more request. Rejects with a `NotSentError` when
   * `signal` aborts first, a `BudgetSpentError` once the account is stopped, and a
   * {@link RedisUnavailableError} when Redis does not answer: in every case nothing was sent.
   */
  acquire(signal?: AbortSignal): Promise<Grant>;
  /**
   * Says the request sent under `grant` was answered or failed in flight: for every process, its
   * send counts from now on instead of from when it was let through (written to Redis in the
   * background, with the response's observation when one follows at once).
   */
  answered(grant: Grant | undefined): void;
  /** Reads the shared state again (learned budget, daily budget, stop) into `budget`/`stopped`. */
  refresh(): Promise<void>;
  /**
   * Waits for the background writes (answers, pauses, observations, stops) sent so far; rejects
   * with the first that failed.
   */
  flush(): Promise<void>;
}

interface Waiter {
  resolve(grant: Grant): void;
  reject(error: unknown): void;
  since: number;
  waited: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface WindowSpec {
  requests: number;
  perMs: number;
}

type SharedState = [
  main: string | null,
  secondly: string | null,
  dailyLimit: string | null,
  dailyLeft: string | null,
  stop: string | null,
];

/**
 * The account key of a token: the first 16 hex digits of its SHA-256, so that processes holding
 * the same token share a budget while the key reveals nothing of the token.
 */
export function accountKeyOf(token: string): string {
  if (typeof token !== 'string' || token === '') {
    throw new TypeError('Expected `token` to be a non-empty string');
  }
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * A rate limiter shared through Redis by every process that names the same vendor and account:
 * a sliding-window log in a sorted set, checked and appended by one Lua script on Redis's clock,
 * so that no interval of `perMs` (plus core's safety margin) holds more than `requests` sends
 * across all of them. Budgets learned from the vendor's headers, 429 pauses and the daily stop
 * are kept in Redis too, so every process follows them. When Redis does not answer, `acquire`
 * rejects with a {@link RedisUnavailableError} (nothing is sent without the shared check).
 *
 * @example
 * const limiter = createRedisLimiter({ redis, vendor: 'hubspot', token, requests: 100, perMs: 10_000 });
 * const client = createHubSpotClient({ token, rateLimit: limiter });
 */
export function createRedisLimiter(options: RedisLimiterOptions): RedisLimiter {
  return new SharedLimiter(options);
}

class SharedLimiter implements RedisLimiter {
  readonly key: string;
  readonly #redis: RedisConnection;
  readonly #keys: [string, string, string];
  readonly #label: string;
  readonly #source: 'configured' | 'default';
  readonly #main: WindowSpec;
  readonly #burst: WindowSpec | undefined;
  readonly #marginArg: string;
  readonly #reserve: number;
  readonly #stopTtlMs: number;
  readonly #timeoutMs: number;
  readonly #maxPollMs: number;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #queue: Waiter[] = [];
  #pumping = false;
  #wake: AbortController | undefined;
  #pausedUntil = 0;
  #stopped: BudgetStop | undefined;
  #shared: SharedState = [null, null, null, null, null];
  #holding = false;
  #heldSince: number | undefined;
  #heldMs = 0;
  #writes: Promise<void> = Promise.resolve();
  #writeError: Error | undefined;
  readonly #stats = { granted: 0, waited: 0, waitedMs: 0, throttled: 0 };
  /** Answered sends whose answer is not written yet (an observation may still carry it). */
  readonly #answersToWrite = new Set<Grant>();
  readonly #holdListeners = new Set<(holding: boolean) => void>();
  readonly #stopListeners = new Set<(stop: BudgetStop) => void>();

  constructor(options: RedisLimiterOptions) {
    if (!options || typeof options !== 'object') {
      throw new TypeError('Expected `options` of the Redis limiter to be an object');
    }
    const { redis, vendor, requests, perMs } = options;
    if (!redis || typeof (redis as { evalsha?: unknown }).evalsha !== 'function') {
      throw new TypeError('Expected `redis` to be an ioredis connection');
    }
    if (typeof vendor !== 'string' || !/^[a-z0-9-]+$/i.test(vendor)) {
      throw new TypeError('Expected `vendor` to be a name of letters, digits and dashes');
    }
    let account = options.account;
    if (account === undefined) {
      if (options.token === undefined) {
        throw new TypeError('Expected `account` or `token` to name the account of the budget');
      }
      account = accountKeyOf(options.token);
    } else if (typeof account !== 'string' || account.trim() === '') {
      throw new TypeError('Expected `account` to be a non-empty string');
    }
    const burst = options.burst ?? Math.max(1, requests);
    for (const [name, value] of [
      ['requests', requests],
      ['perMs', perMs],
      ['burst', burst],
    ] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new TypeError(
          `Expected \`${name}\` of the Redis limiter to be a positive number, got ${String(value)}`,
        );
      }
    }
    const margin = options.safetyMarginMs;
    if (margin !== undefined && (typeof margin !== 'number' || !(margin >= 0) || margin > perMs)) {
      throw new TypeError(
        `Expected \`safetyMarginMs\` of the Redis limiter to be a number from 0 to perMs, got ${String(margin)}`,
      );
    }
    const reserve = options.dailyReserve ?? defaultRedisLimiterOptions.dailyReserve;
    if (!Number.isInteger(reserve) || reserve < 0) {
      throw new TypeError(
        `Expected \`dailyReserve\` of the Redis limiter to be a whole number >= 0, got ${String(reserve)}`,
      );
    }
    const source = options.source ?? defaultRedisLimiterOptions.source;
    if (source !== 'configured' && source !== 'default') {
      throw new TypeError("Expected `source` to be 'configured' or 'default'");
    }
    const prefix = options.prefix ?? defaultRedisLimiterOptions.prefix;
    if (typeof prefix !== 'string' || prefix === '' || /[{}]/.test(prefix)) {
      throw new TypeError('Expected `prefix` to be a non-empty string without braces');
    }
    this.#redis = redis;
    // The braces make every key of one account hash to the same Redis Cluster slot.
    this.key = `${prefix}:limiter:{${vendor}:${encodeURIComponent(account)}}`;
    this.#keys = [`${this.key}:log`, `${this.key}:state`, `${this.key}:stop`];
    this.#label = options.label ?? describeConnection(redis);
    this.#source = source;
    this.#main =
      requests < 1
        ? { requests: 1, perMs: perMs / requests }
        : { requests: Math.floor(requests), perMs };
    const burstRequests = Math.floor(burst);
    this.#burst =
      burstRequests < this.#main.requests
        ? {
            requests: burstRequests,
            perMs: (burstRequests * this.#main.perMs) / this.#main.requests,
          }
        : undefined;
    this.#marginArg = margin === undefined ? '-1' : String(margin);
    this.#reserve = reserve;
    this.#stopTtlMs = positive(
      options.stopTtlMs,
      'stopTtlMs',
      defaultRedisLimiterOptions.stopTtlMs,
    );
    this.#timeoutMs = positive(
      options.commandTimeoutMs,
      'commandTimeoutMs',
      defaultRedisLimiterOptions.commandTimeoutMs,
    );
    this.#maxPollMs = positive(
      options.maxPollMs,
      'maxPollMs',
      defaultRedisLimiterOptions.maxPollMs,
    );
    this.#onError = options.onError;
  }

  get budget(): RateLimitBudget {
    const windows: (WindowSpec & { source: BudgetSource })[] = [];
    const learnedMain = parseWindow(this.#shared[0]);
    const learnedSecondly = parseWindow(this.#shared[1]);
    if (this.#source === 'configured' || !learnedMain) {
      windows.push({ ...this.#main, source: this.#source });
    }
    if (learnedMain) windows.push({ ...learnedMain, source: 'learned' });
    if (learnedSecondly) windows.push({ ...learnedSecondly, source: 'learned' });
    let tightest = windows[0]!;
    for (const window of windows) {
      if (window.requests / window.perMs < tightest.requests / tightest.perMs) tightest = window;
    }
    const budget: RateLimitBudget = {
      requests: tightest.requests,
      perMs: tightest.perMs,
      source: tightest.source,
    };
    const left = numberOf(this.#shared[3]);
    if (left !== undefined) {
      budget.daily = { limit: numberOf(this.#shared[2]), remaining: Math.max(0, left) };
    }
    return budget;
  }

  get stats(): RateLimiterStats {
    const open = this.#heldSince === undefined ? 0 : Date.now() - this.#heldSince;
    return { ...this.#stats, heldMs: this.#heldMs + open };
  }

  get holding(): boolean {
    return this.#holding;
  }

  get stopped(): BudgetStop | undefined {
    return this.#stopped;
  }

  onHoldChange(listener: (holding: boolean) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('Expected `listener` to be a function');
    this.#holdListeners.add(listener);
    return () => {
      this.#holdListeners.delete(listener);
    };
  }

  onStop(listener: (stop: BudgetStop) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('Expected `listener` to be a function');
    this.#stopListeners.add(listener);
    return () => {
      this.#stopListeners.delete(listener);
    };
  }

  acquire(signal?: AbortSignal): Promise<Grant> {
    if (signal?.aborted) return Promise.reject(notSent(signal));
    if (this.#stopped) return Promise.reject(new BudgetSpentError(this.#stopped));
    return new Promise<Grant>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        since: Date.now(),
        waited: false,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          if (this.#queue.length === 0) this.#setHolding(false);
          reject(notSent(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      void this.#pump();
    });
  }

  pause(ms: number): void {
    this.#hold(ms, true);
    this.#stats.throttled += 1;
  }

  holdFor(ms: number): void {
    this.#hold(ms, false);
  }

  #hold(ms: number, throttled: boolean): void {
    if (typeof ms !== 'number' || Number.isNaN(ms)) {
      throw new TypeError(`Expected \`ms\` to be a number, got ${String(ms)}`);
    }
    const wait = Math.max(0, Math.ceil(ms));
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + wait);
    this.#write(['hold', String(wait), throttled ? '1' : '0']);
  }

  stop(stop: BudgetStop): void {
    if (this.#stopped) return;
    this.#write(['stop', stop.message, String(this.#stopTtlMs)]);
    this.#applyStop(stop);
  }

  /**
   * Tells the limiter that the request sent under `grant` was answered (or failed in flight): its
   * send counts from now on, the latest the vendor can have received it, for every process, as
   * core's in-process limiter does. When the response's observation follows at once (the vendor
   * states its budget), both go to Redis in one write.
   */
  answered(grant: Grant | undefined): void {
    if (!grant || typeof grant.seq !== 'number' || typeof grant.at !== 'number') return;
    this.#answersToWrite.add(grant);
    queueMicrotask(() => this.#writeAnswer(grant));
  }

  #writeAnswer(grant: Grant): void {
    if (!this.#answersToWrite.delete(grant)) return;
    this.#write(['answer', String(grant.seq), String(grant.at), this.#shortestArg]);
    this.#wake?.abort();
  }

  observe(observation: RateLimitObservation, grant?: Grant): void {
    if (!observation || typeof observation !== 'object') return;
    // The observation's write answers the send too.
    if (grant) this.#answersToWrite.delete(grant);
    const field = (value: number | undefined) => (value === undefined ? '' : String(value));
    this.#write([
      'observe',
      grant ? String(grant.seq) : '',
      grant ? String(grant.at) : '',
      field(observation.limit),
      field(observation.intervalMs),
      field(observation.remaining),
      field(observation.resetInMs),
      field(observation.secondly),
      field(observation.secondlyRemaining),
      field(observation.daily),
      field(observation.dailyRemaining),
      this.#marginArg,
      String(this.#reserve),
      String(this.#stopTtlMs),
      this.#shortestArg,
    ]);
    // Sends wait for the write so that they follow what it says (ioredis keeps the order).
    this.#wake?.abort();
  }

  async refresh(): Promise<void> {
    this.#takeState((await this.#run(READ_SCRIPT, [])) as SharedState);
  }

  async flush(): Promise<void> {
    for (const grant of [...this.#answersToWrite]) this.#writeAnswer(grant);
    await this.#writes;
    if (this.#writeError) throw this.#writeError;
  }

  /** The shortest configured window: an answer moves a send only within it. */
  get #shortestArg(): string {
    return String(this.#burst?.perMs ?? this.#main.perMs);
  }

  #write(args: string[]): void {
    const done = this.#run(UPDATE_SCRIPT, args).then(
      (state) => this.#takeState(state as SharedState),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.#writeError ??= failure;
        this.#onError?.(failure);
      },
    );
    this.#writes = this.#writes.then(() => done);
  }

  #takeState(state: SharedState): void {
    if (!Array.isArray(state)) return;
    this.#shared = [state[0] ?? null, state[1] ?? null, state[2] ?? null, state[3] ?? null, null];
    const stop = state[4];
    if (typeof stop === 'string' && !this.#stopped)
      this.#applyStop({ code: 'daily_limit', message: stop });
  }

  #applyStop(stop: BudgetStop): void {
    if (this.#stopped) return;
    this.#stopped = stop;
    const waiters = this.#queue.splice(0);
    for (const waiter of waiters) this.#settle(waiter).reject(new BudgetSpentError(stop));
    this.#setHolding(false);
    this.#wake?.abort();
    for (const listener of this.#stopListeners) listener(stop);
  }

  #settle(waiter: Waiter): Waiter {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    return waiter;
  }

  #setHolding(holding: boolean): void {
    if (this.#holding === holding) return;
    this.#holding = holding;
    const now = Date.now();
    if (holding) this.#heldSince = now;
    else if (this.#heldSince !== undefined) {
      this.#heldMs += now - this.#heldSince;
      this.#heldSince = undefined;
    }
    for (const listener of this.#holdListeners) listener(holding);
  }

  // One loop per process serves its queue in order: the head asks Redis, sleeps as long as the
  // script says (at most maxPollMs), and the next waiter asks as soon as the head is served.
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && !this.#stopped) {
        const localWait = this.#pausedUntil - Date.now();
        if (localWait > 0) {
          this.#markWaiting();
          await this.#sleep(localWait);
          continue;
        }
        let answer: unknown[];
        try {
          answer = (await this.#run(ACQUIRE_SCRIPT, [
            this.#source,
            String(this.#main.requests),
            String(this.#main.perMs),
            String(this.#burst?.requests ?? 0),
            String(this.#burst?.perMs ?? 0),
            this.#marginArg,
            String(this.#reserve),
            String(this.#stopTtlMs),
          ])) as unknown[];
        } catch (error) {
          // Without the shared check nothing may be sent: every waiter is refused, not sent.
          const failure =
            error instanceof RedisUnavailableError
              ? error
              : new RedisUnavailableError(this.#label, error);
          for (const waiter of this.#queue.splice(0)) this.#settle(waiter).reject(failure);
          this.#setHolding(false);
          return;
        }
        const kind = answer[0];
        if (kind === 'stop') {
          this.#applyStop({ code: 'daily_limit', message: String(answer[1]) });
          return;
        }
        if (kind === 'wait') {
          this.#markWaiting();
          await this.#sleep(Math.min(Number(answer[1]), this.#maxPollMs));
          continue;
        }
        const grant: Grant = { seq: Number(answer[1]), at: Number(answer[2]) };
        this.#stats.granted += 1;
        // A waiter that aborted meanwhile leaves the send to the next one; none left wastes it
        // (counted as sent, which errs on the safe side).
        const waiter = this.#queue.shift();
        if (waiter) {
          this.#settle(waiter);
          if (waiter.waited) this.#stats.waitedMs += Date.now() - waiter.since;
          if (this.#queue.length === 0) this.#setHolding(false);
          waiter.resolve(grant);
        }
        if (typeof answer[3] === 'string') {
          this.#applyStop({ code: 'daily_limit', message: answer[3] });
        }
      }
    } finally {
      this.#pumping = false;
      if (this.#queue.length === 0) this.#setHolding(false);
    }
  }

  #markWaiting(): void {
    for (const waiter of this.#queue) {
      if (waiter.waited) continue;
      waiter.waited = true;
      this.#stats.waited += 1;
    }
    this.#setHolding(true);
  }

  async #sleep(ms: number): Promise<void> {
    const wake = new AbortController();
    this.#wake = wake;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      wake.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    if (this.#wake === wake) this.#wake = undefined;
  }

  // Runs a script by its SHA (loading it on NOSCRIPT), failing fast when the connection is down
  // and after commandTimeoutMs otherwise.
  async #run(script: string, args: string[]): Promise<unknown> {
    const status = this.#redis.status;
    if (status === 'end' || status === 'close' || status === 'reconnecting') {
      throw new RedisUnavailableError(this.#label, new Error(`the connection is ${status}`));
    }
    const sha = shaOf(script);
    const call = async () => {
      try {
        return await this.#redis.evalsha(sha, 3, ...this.#keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await this.#redis.eval(script, 3, ...this.#keys, ...args);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RedisUnavailableError(
              this.#label,
              new Error(`no answer within ${this.#timeoutMs} ms`),
            ),
          ),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      // A script error (a bug, or a key of another type) is not an outage: report it as it is.
      if (error instanceof Error && /^(ERR|WRONGTYPE)/.test(error.message)) throw error;
      throw new RedisUnavailableError(this.#label, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

const shas = new Map<string, string>();
function shaOf(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

function parseWindow(text: string | null): WindowSpec | undefined {
  if (!text) return undefined;
  const [requests, perMs] = text.split(':').map(Number);
  if (!requests || !perMs) return undefined;
  return { requests, perMs };
}

function numberOf(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a positive number, got ${String(value)}`);
  }
  return value;
}

function notSent(signal: AbortSignal): NotSentError {
  return new NotSentError(
    'The request was not sent: it was aborted while waiting for the shared rate limiter',
    { cause: signal.reason },
  );
}
