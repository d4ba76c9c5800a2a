/**
 * Seeded, reproducible fault injection. Settings live in three scopes: global, per vendor and
 * per route (`METHOD /path/template`); for each kind of fault the narrowest scope that mentions
 * it wins, and `null` there switches that kind off. Decisions draw from a PRNG stream of their
 * own, so the same seed and the same request sequence inject the same faults.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { JobKnobs, SandboxClock } from './context.js';
import { createRateLimiter, RATE_LIMIT_MODES } from './create-rate-limiter.js';
import type { Seed } from './random.js';
import { createRandom } from './random.js';
import { checkLimits, type LimitSlot } from './rate-limit-check.js';
import type { RateLimiter } from './rate-limiter.js';
import type {
  RateLimitInfo,
  RateLimitMode,
  RateLimitState,
  VendorRateLimitPolicy,
} from './types.js';

/** Statuses the error fault can answer with. */
export type FaultStatus = 500 | 502 | 503 | 504;

export interface LatencyFault {
  /** Added to every request, in ms. @default 0 */
  fixedMs?: number;
  /** Uniform extra delay in [0, jitterMs), seeded. @default 0 */
  jitterMs?: number;
}

export interface RateLimitFault {
  /**
   * Requests allowed per `perMs`: the window's budget (`fixed`, `rolling`), or the refill of
   * `requests` tokens per `perMs` (`bucket`).
   * @example 100
   */
  requests: number;
  /** The window, in ms. @example 10000 */
  perMs: number;
  /**
   * The algorithm: `bucket` (token bucket), `fixed` (counter reset at multiples of `perMs` since
   * the Unix epoch on the sandbox clock) or `rolling` (sliding log of accepted requests).
   * @default the vendor's: HubSpot `rolling`, Thought Industries `bucket`, VEC and MPDX `fixed`;
   * `bucket` for a simulator that declares none
   */
  mode?: RateLimitMode;
  /**
   * `bucket` only: how many tokens the bucket holds (the largest burst).
   * @default the vendor's (Thought Industries: a sixth of `requests`, as its 120/min with a burst of 20), else `requests`
   */
  burst?: number;
  /**
   * An extra limit of this many requests per 1,000 ms, with the same algorithm (HubSpot's
   * secondly limit, reported in `X-HubSpot-RateLimit-Secondly`).
   * @default undefined (none)
   */
  secondly?: number;
  /**
   * Send `Retry-After` (whole seconds, rounded up) with the 429.
   * @default the vendor's: false for HubSpot (undocumented), true for the others
   */
  retryAfter?: boolean;
  /** Send the vendor's rate-limit headers (`vendor.rateLimitHeaders`). @default true */
  headers?: boolean;
}

export interface ErrorFault {
  /** Probability in [0, 1] that a request is answered with an error instead of its handler. */
  rate: number;
  /** Statuses to pick from (uniformly, seeded). @default [500, 502, 503, 504] */
  statuses?: FaultStatus[];
}

export interface MalformedBodyFault {
  /** Probability in [0, 1] that a 2xx JSON response body is broken. */
  rate: number;
  /**
   * `cut`: a complete HTTP response whose JSON stops halfway (the client fails to parse it).
   * `abort`: the headers announce the full length, half the body is sent, the socket is closed.
   * @default 'cut'
   */
  mode?: 'cut' | 'abort';
}

export interface JobFault {
  /** How long a background job takes to settle, in ms. @default the `jobMs` option */
  durationMs?: number;
  /** Probability in [0, 1] that a background job ends `failed`. @default 0 */
  failureRate?: number;
}

/** One scope's fault settings. `undefined` inherits from the wider scope, `null` turns it off. */
export interface FaultSettings {
  /** Added latency. @default undefined (none) */
  latency?: LatencyFault | null;
  /** A rate limit answered with 429 in the vendor's shape. @default undefined (none) */
  rateLimit?: RateLimitFault | null;
  /**
   * Requests allowed per day (from midnight UTC on the sandbox clock); once spent, every request
   * is answered 429 (HubSpot: policy `DAILY`) until the day turns or `reset()`.
   * @default undefined (none)
   */
  dailyLimit?: number | null;
  /** 5xx answers instead of the handler. @default undefined (none) */
  errors?: ErrorFault | null;
  /**
   * Probability in [0, 1] that the connection is reset before the request body is read.
   * @default undefined (never)
   */
  resetBeforeBody?: number | null;
  /**
   * Probability in [0, 1] that the connection is reset after the handler ran (state changed, no
   * answer).
   * @default undefined (never)
   */
  resetAfterHandler?: number | null;
  /** Broken 2xx JSON bodies. @default undefined (none) */
  malformedBody?: MalformedBodyFault | null;
  /** Slow or failing background jobs. @default undefined (the `jobMs` option, never failing) */
  jobs?: JobFault | null;
}

/** Where settings apply. Omit both for global; `route` is `METHOD /path/template`. */
export interface FaultScope {
  vendor?: string;
  /** @example 'POST /crm/v3/objects/tickets/batch/update' */
  route?: string;
}

/** 429s counted by the limit that refused them. */
export interface RateLimitedCounters {
  /** By the `rateLimit` window (HubSpot's `TEN_SECONDLY_ROLLING`). */
  window: number;
  /** By `rateLimit.secondly` (HubSpot's `SECONDLY`). */
  secondly: number;
  /** By `dailyLimit` (HubSpot's `DAILY`). */
  daily: number;
}

/** What was injected since start (or the last `reset()`). */
export interface FaultCounters {
  delayed: number;
  delayMs: number;
  /** Requests refused with 429 by any limit. */
  rateLimited: number;
  /** The same 429s by the limit that refused them. */
  rateLimitedBy: RateLimitedCounters;
  /** Requests received while their daily budget was spent (each was refused). */
  afterDailyLimit: number;
  /** Requests the limits let through (faults after the limit may still fail them). */
  accepted: number;
  errors: Record<FaultStatus, number>;
  resetsBeforeBody: number;
  resetsAfterHandler: number;
  malformedBodies: number;
  jobsFailed: number;
}

/** What the server does to one request. */
export interface FaultPlan {
  delayMs: number;
  resetBeforeBody: boolean;
  /** The limits that applied, when any did. */
  rateLimit?: RateLimitPlan;
  errorStatus?: FaultStatus;
  resetAfterHandler: boolean;
  malformedBody?: 'cut' | 'abort';
}

/** The limits' verdict on one request and how to report it. */
export interface RateLimitPlan {
  state: RateLimitState;
  /** The refusing limit's state, when the request was refused. */
  refused?: RateLimitInfo;
  retryAfter: boolean;
  headers: boolean;
  /** Whether answers that were not refused carry the headers too. */
  everyResponse: boolean;
}

/** The run-time fault controls returned by `startSandbox`. */
export interface Faults {
  /**
   * Merges settings into a scope (global when `scope` is omitted).
   * @example faults.set({ errors: { rate: 0.2, statuses: [503] } }, { vendor: 'hubspot' })
   */
  set(settings: FaultSettings, scope?: FaultScope): void;
  /** The settings stored in one scope (not merged with wider ones). */
  get(scope?: FaultScope): FaultSettings;
  /** Back to the faults given at start, counters zeroed, limits (daily ones too) restored, PRNG reseeded. */
  reset(): void;
  /** A snapshot of what was injected. */
  readonly counters: FaultCounters;
}

const ALL_STATUSES: FaultStatus[] = [500, 502, 503, 504];
const DAY_MS = 86_400_000;
const KINDS = [
  'latency',
  'rateLimit',
  'dailyLimit',
  'errors',
  'resetBeforeBody',
  'resetAfterHandler',
  'malformedBody',
  'jobs',
] as const;

/** The request being handled, so background jobs started by it see its route's job faults. */
export interface RequestScope {
  vendor: string | undefined;
  route: string | undefined;
}

export interface FaultControllerOptions {
  seed: Seed;
  clock: SandboxClock;
  /** Default job duration when no job fault sets one. */
  jobMs: number;
  /** Settings applied at start and restored by `reset()`. */
  initial?: FaultSettings;
}

/** The fault layer: `Faults` for users, `plan()` and job knobs for the server. */
export class FaultController implements Faults, JobKnobs {
  readonly requestScope = new AsyncLocalStorage<RequestScope>();
  readonly #options: FaultControllerOptions;
  readonly #scopes = new Map<string, FaultSettings>();
  /** Window (and secondly) limiters by `rateLimit` scope; daily ones by `dailyLimit` scope. */
  readonly #limiters = new Map<string, LimitSlot[]>();
  readonly #daily = new Map<string, RateLimiter>();
  #random: () => number;
  #counters: FaultCounters = emptyCounters();

  constructor(options: FaultControllerOptions) {
    this.#options = options;
    this.#random = createRandom(options.seed, 'faults');
    if (options.initial) this.set(options.initial);
  }

  set(settings: FaultSettings, scope?: FaultScope): void {
    checkSettings(settings);
    const key = scopeKey(scope);
    const merged: FaultSettings = { ...this.#scopes.get(key) };
    for (const kind of KINDS) {
      if (kind in settings) (merged as Record<string, unknown>)[kind] = settings[kind];
    }
    this.#scopes.set(key, merged);
    // New limits start with their whole budget.
    for (const [kind, limiters] of [
      ['rateLimit', this.#limiters],
      ['dailyLimit', this.#daily],
    ] as const) {
      if (!(kind in settings)) continue;
      for (const limiterKey of [...limiters.keys()]) {
        if (limiterKey.startsWith(`${key}|`)) limiters.delete(limiterKey);
      }
    }
  }

  get(scope?: FaultScope): FaultSettings {
    return { ...this.#scopes.get(scopeKey(scope)) };
  }

  reset(): void {
    this.#scopes.clear();
    this.#limiters.clear();
    this.#daily.clear();
    this.#counters = emptyCounters();
    this.#random = createRandom(this.#options.seed, 'faults');
    if (this.#options.initial) this.set(this.#options.initial);
  }

  get counters(): FaultCounters {
    return structuredClone(this.#counters);
  }

  /**
   * Decides the faults for one request, counting it against the limits that apply. `policy` is
   * the vendor's rate-limit behaviour, for what the fault leaves open.
   */
  plan(
    vendor: string | undefined,
    route: string | undefined,
    policy?: VendorRateLimitPolicy,
  ): FaultPlan {
    const plan: FaultPlan = { delayMs: 0, resetBeforeBody: false, resetAfterHandler: false };
    const latency = this.#resolve('latency', vendor, route);
    if (latency.value) {
      const jitter = latency.value.jitterMs ? this.#random() * latency.value.jitterMs : 0;
      plan.delayMs = Math.round((latency.value.fixedMs ?? 0) + jitter);
      if (plan.delayMs > 0) {
        this.#counters.delayed++;
        this.#counters.delayMs += plan.delayMs;
      }
    }
    if (this.#chance(this.#resolve('resetBeforeBody', vendor, route).value)) {
      this.#counters.resetsBeforeBody++;
      plan.resetBeforeBody = true;
      return plan;
    }
    plan.rateLimit = this.#checkLimits(vendor, route, policy);
    if (plan.rateLimit?.refused) return plan;
    this.#counters.accepted++;
    const errors = this.#resolve('errors', vendor, route).value;
    if (errors && this.#chance(errors.rate)) {
      const statuses = errors.statuses?.length ? errors.statuses : ALL_STATUSES;
      const status = statuses[Math.floor(this.#random() * statuses.length)] ?? 500;
      this.#counters.errors[status]++;
      plan.errorStatus = status;
      return plan;
    }
    if (this.#chance(this.#resolve('resetAfterHandler', vendor, route).value)) {
      this.#counters.resetsAfterHandler++;
      plan.resetAfterHandler = true;
      return plan;
    }
    const malformed = this.#resolve('malformedBody', vendor, route).value;
    if (malformed && this.#chance(malformed.rate)) plan.malformedBody = malformed.mode ?? 'cut';
    return plan;
  }

  #checkLimits(
    vendor: string | undefined,
    route: string | undefined,
    policy: VendorRateLimitPolicy | undefined,
  ): RateLimitPlan | undefined {
    const now = this.#options.clock.now();
    const slots: LimitSlot[] = [];
    const daily = this.#resolve('dailyLimit', vendor, route);
    if (daily.value) {
      const key = limiterKey(daily.scope, vendor);
      let limiter = this.#daily.get(key);
      if (!limiter) {
        limiter = createRateLimiter('fixed', { requests: daily.value, perMs: DAY_MS }, now);
        this.#daily.set(key, limiter);
      }
      slots.push({ policy: 'daily', limiter });
      if (!limiter.peek(now).allowed) this.#counters.afterDailyLimit++;
    }
    const rateLimit = this.#resolve('rateLimit', vendor, route);
    const limit = rateLimit.value;
    if (limit) {
      const key = limiterKey(rateLimit.scope, vendor);
      let windows = this.#limiters.get(key);
      if (!windows) {
        const mode = limit.mode ?? policy?.mode ?? 'bucket';
        const burst = limit.burst ?? policy?.burst?.(limit.requests);
        windows = [
          {
            policy: 'window',
            limiter: createRateLimiter(mode, { ...limit, burst }, now),
          },
        ];
        if (limit.secondly !== undefined) {
          const secondly = { requests: limit.secondly, perMs: 1000 };
          windows.push({ policy: 'secondly', limiter: createRateLimiter(mode, secondly, now) });
        }
        this.#limiters.set(key, windows);
      }
      slots.push(...windows);
    }
    if (slots.length === 0) return undefined;
    const state = checkLimits(slots, now);
    const plan: RateLimitPlan = {
      state,
      retryAfter: limit?.retryAfter ?? policy?.retryAfter ?? true,
      headers: limit?.headers ?? true,
      everyResponse: policy?.everyResponse ?? false,
    };
    if (state.refusedBy) {
      plan.refused = state[state.refusedBy];
      this.#counters.rateLimited++;
      this.#counters.rateLimitedBy[state.refusedBy]++;
    }
    return plan;
  }

  /** Counts a malformed body once the server actually broke one (only 2xx JSON bodies are). */
  countMalformedBody(): void {
    this.#counters.malformedBodies++;
  }

  jobMs(vendor: string): number {
    const jobs = this.#resolveJobs(vendor);
    return jobs?.durationMs ?? this.#options.jobMs;
  }

  jobShouldFail(vendor: string): boolean {
    const jobs = this.#resolveJobs(vendor);
    const fail = this.#chance(jobs?.failureRate);
    if (fail) this.#counters.jobsFailed++;
    return fail;
  }

  /**
   * Job settings for a job started now. Inside a request, the vendor is the one the server
   * matched (the simulator's name, which `{ vendor }` scopes use); `vendor` is only the fallback.
   */
  #resolveJobs(vendor: string): FaultSettings['jobs'] {
    const scope = this.requestScope.getStore();
    return this.#resolve('jobs', scope?.vendor ?? vendor, scope?.route).value;
  }

  #chance(rate: number | null | undefined): boolean {
    if (!rate) return false;
    return rate >= 1 || this.#random() < rate;
  }

  #resolve<K extends keyof FaultSettings>(
    kind: K,
    vendor: string | undefined,
    route: string | undefined,
  ): { value: FaultSettings[K]; scope: string } {
    const keys = [
      ...(route !== undefined ? [scopeKey({ route })] : []),
      ...(vendor !== undefined ? [scopeKey({ vendor })] : []),
      'global',
    ];
    for (const key of keys) {
      const settings = this.#scopes.get(key);
      if (settings && kind in settings) return { value: settings[kind], scope: key };
    }
    return { value: undefined, scope: 'global' };
  }
}

function scopeKey(scope: FaultScope | undefined): string {
  if (scope?.route !== undefined) return `route:${normalizeRoute(scope.route)}`;
  if (scope?.vendor !== undefined) return `vendor:${scope.vendor}`;
  return 'global';
}

/** A limit set globally is still one limiter per vendor: each API limits its own traffic. */
function limiterKey(scope: string, vendor: string | undefined): string {
  return `${scope}|${scope === 'global' ? (vendor ?? '') : ''}`;
}

function normalizeRoute(route: string): string {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(route);
  if (!match) {
    throw new TypeError(
      `Expected \`scope.route\` to be "METHOD /path/template", got ${JSON.stringify(route)}`,
    );
  }
  return `${match[1]?.toUpperCase()} ${match[2]}`;
}

function emptyCounters(): FaultCounters {
  return {
    delayed: 0,
    delayMs: 0,
    rateLimited: 0,
    rateLimitedBy: { window: 0, secondly: 0, daily: 0 },
    afterDailyLimit: 0,
    accepted: 0,
    errors: { 500: 0, 502: 0, 503: 0, 504: 0 },
    resetsBeforeBody: 0,
    resetsAfterHandler: 0,
    malformedBodies: 0,
    jobsFailed: 0,
  };
}

function checkSettings(settings: FaultSettings): void {
  if (settings === null || typeof settings !== 'object') {
    throw new TypeError('Expected `settings` to be an object');
  }
  for (const key of Object.keys(settings)) {
    if (!(KINDS as readonly string[]).includes(key)) {
      throw new TypeError(`Unknown fault \`${key}\`; expected one of ${KINDS.join(', ')}`);
    }
  }
  const { latency, rateLimit, errors, malformedBody, jobs } = settings;
  if (latency) {
    checkNonNegative(latency.fixedMs, 'latency.fixedMs');
    checkNonNegative(latency.jitterMs, 'latency.jitterMs');
  }
  if (rateLimit) {
    checkCount(rateLimit.requests, 'rateLimit.requests');
    checkPositive(rateLimit.perMs, 'rateLimit.perMs');
    if (rateLimit.mode !== undefined && !RATE_LIMIT_MODES.includes(rateLimit.mode)) {
      throw new TypeError(
        `Expected \`rateLimit.mode\` to be one of ${RATE_LIMIT_MODES.join(', ')}, got ${JSON.stringify(rateLimit.mode)}`,
      );
    }
    if (rateLimit.burst !== undefined) checkCount(rateLimit.burst, 'rateLimit.burst');
    if (rateLimit.secondly !== undefined) checkCount(rateLimit.secondly, 'rateLimit.secondly');
  }
  if (settings.dailyLimit != null) checkCount(settings.dailyLimit, 'dailyLimit');
  if (errors) {
    checkRate(errors.rate, 'errors.rate');
    for (const status of errors.statuses ?? []) {
      if (!ALL_STATUSES.includes(status)) {
        throw new TypeError(
          `Expected \`errors.statuses\` to hold only ${ALL_STATUSES.join(', ')}, got ${status}`,
        );
      }
    }
  }
  if (settings.resetBeforeBody != null) checkRate(settings.resetBeforeBody, 'resetBeforeBody');
  if (settings.resetAfterHandler != null) {
    checkRate(settings.resetAfterHandler, 'resetAfterHandler');
  }
  if (malformedBody) {
    checkRate(malformedBody.rate, 'malformedBody.rate');
    if (malformedBody.mode !== undefined && !['cut', 'abort'].includes(malformedBody.mode)) {
      throw new TypeError("Expected `malformedBody.mode` to be 'cut' or 'abort'");
    }
  }
  if (jobs) {
    checkNonNegative(jobs.durationMs, 'jobs.durationMs');
    if (jobs.failureRate !== undefined) checkRate(jobs.failureRate, 'jobs.failureRate');
  }
}

function checkRate(value: unknown, name: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new TypeError(`Expected \`${name}\` to be a number between 0 and 1, got ${value}`);
  }
}

function checkNonNegative(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a finite number >= 0, got ${value}`);
  }
}

function checkCount(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a whole number > 0, got ${value}`);
  }
}

function checkPositive(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a finite number > 0, got ${value}`);
  }
}
