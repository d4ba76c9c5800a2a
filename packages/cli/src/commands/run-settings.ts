import type { RateLimitOptions, RequestLimiter } from '@bulk-clients/core';
import type { CommonOptions } from './command-spec.js';
import type { CommandContext } from './registry.js';

/**
 * Records per request when the vendor documents no maximum: large enough to be quick, small
 * enough that one refused request costs little.
 */
export const UNDOCUMENTED_MAX_BATCH_SIZE = 1000;

/**
 * `--batch-size`, capped at the vendor maximum (with a warning, not an error: the user asked for
 * "as large as possible"), else the vendor's default.
 */
export function batchSizeOf(
  context: CommandContext,
  limits: { default: number; max: number },
): number {
  const asked = context.parsed.common.batchSize;
  if (asked === undefined) return Math.min(limits.default, limits.max);
  if (asked > limits.max) {
    context.io.stderr.write(
      `Warning: --batch-size ${asked} is above the maximum of ${limits.max}; using ${limits.max}\n`,
    );
    return limits.max;
  }
  return asked;
}

/** The client's rate limit from `--rate-limit N/MS`, or `undefined` for the vendor's default. */
export function rateLimitOf(common: CommonOptions): RateLimitOptions | undefined {
  const limit = common.rateLimit;
  return limit === undefined ? undefined : { requests: limit.limit, perMs: limit.intervalMs };
}

/**
 * The budget options of a vendor client: `--rate-limit` and `--daily-reserve`, or with `--redis`
 * the limiter shared through Redis (`prepared.sharedLimiter`), which holds both.
 */
export function clientLimitsOf(
  common: CommonOptions,
  prepared?: { sharedLimiter?: RequestLimiter | undefined },
): {
  rateLimit: RequestLimiter | RateLimitOptions | undefined;
  dailyReserve: number | undefined;
} {
  const rateLimit = prepared?.sharedLimiter ?? rateLimitOf(common);
  return { rateLimit, dailyReserve: common.dailyReserve };
}

/** How a command that waits for background jobs polls them (`--poll-interval`, `--max-wait`). */
export function pollOptionsOf(context: CommandContext): {
  minDelayMs?: number;
  maxWaitMs?: number;
} {
  const poll: { minDelayMs?: number; maxWaitMs?: number } = {};
  const interval = context.parsed.values.pollInterval;
  if (typeof interval === 'number') poll.minDelayMs = interval;
  if (context.parsed.common.maxWaitMs !== undefined) {
    poll.maxWaitMs = context.parsed.common.maxWaitMs;
  }
  return poll;
}
