import { usageError } from './errors.js';

/** Turns the text of a flag's value into its typed value, or throws a usage error naming the flag. */
export type OptionParser<Value> = (raw: string, flag: string) => Value;

/** An integer >= 1, e.g. `--batch-size 100`. */
export const positiveInteger: OptionParser<number> = (raw, flag) => integerIn(raw, flag, 1);

/** An integer >= 0, e.g. `--timeout 0`. */
export const nonNegativeInteger: OptionParser<number> = (raw, flag) => integerIn(raw, flag, 0);

/** A TCP port, 0 to 65535 (0 asks the system for a free one). */
export const port: OptionParser<number> = (raw, flag) => integerIn(raw, flag, 0, 65_535);

/** A request budget: at most `limit` requests in any `intervalMs` window. */
export interface RateLimit {
  limit: number;
  intervalMs: number;
}

/** Most requests a `--rate-limit` window may allow: beyond any vendor's budget. */
export const MAX_RATE_LIMIT_REQUESTS = 1_000_000;
/** Longest `--rate-limit` window: one day. */
export const MAX_RATE_LIMIT_INTERVAL_MS = 86_400_000;

/**
 * `N/MS`, e.g. `--rate-limit 100/10000` for 100 requests per 10 seconds: N from 1 to 1,000,000,
 * MS from 1 ms to one day.
 */
export const rateLimit: OptionParser<RateLimit> = (raw, flag) => {
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!match) {
    throw usageError(
      flag,
      `${flag} expects N/MS (requests per milliseconds), e.g. 100/10000; got "${raw}"`,
    );
  }
  return {
    limit: integerIn(match[1]!, flag, 1, MAX_RATE_LIMIT_REQUESTS),
    intervalMs: integerIn(match[2]!, flag, 1, MAX_RATE_LIMIT_INTERVAL_MS),
  };
};

/** Most requests `--daily-reserve` may keep back: beyond any vendor's daily budget. */
export const MAX_DAILY_RESERVE = 100_000_000;

/** `--daily-reserve N`: daily requests to leave unspent, from 1 to 100,000,000. */
export const dailyReserve: OptionParser<number> = (raw, flag) =>
  integerIn(raw, flag, 1, MAX_DAILY_RESERVE);

/** One of a fixed set of words, e.g. `--format csv|jsonl`. */
export function choice<const Word extends string>(words: readonly Word[]): OptionParser<Word> {
  return (raw, flag) => {
    if ((words as readonly string[]).includes(raw)) return raw as Word;
    throw usageError(flag, `${flag} must be one of ${words.join(', ')}; got "${raw}"`);
  };
}

/** A value that must not be empty, e.g. a file path. */
export const nonEmpty: OptionParser<string> = (raw, flag) => {
  if (raw.trim() === '') throw usageError(flag, `${flag} needs a non-empty value`);
  return raw;
};

function integerIn(raw: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw usageError(flag, `${flag} must be ${range}; got "${raw}"`);
  }
  return value;
}
