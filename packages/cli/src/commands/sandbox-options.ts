import { CliError } from '../errors.js';
import {
  choice,
  nonEmpty,
  nonNegativeInteger,
  type OptionParser,
  positiveInteger,
  type RateLimit,
  rateLimit,
} from '../option-parsers.js';
import type { OptionSpec } from './command-spec.js';

// Apart from the sandbox's handler, so that the command table is built without loading the
// simulators (a vendor command never needs them).

const probability: OptionParser<number> = (raw, flag) => {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !(value >= 0 && value <= 1)) {
    throw new CliError('usage', `${flag} must be a number from 0 to 1; got "${raw}"`, { flag });
  }
  return value;
};

/** Largest limits accepted: beyond them a value is a typo, not a test setting. */
const MAX_REQUESTS = 1_000_000;
const MAX_WINDOW_MS = 86_400_000;
const MAX_DAILY = 1_000_000_000;

/** The sandbox's rate-limit algorithms (kept here so the command table never loads the sandbox). */
export const SANDBOX_RATE_LIMIT_MODES = ['bucket', 'fixed', 'rolling'] as const;

const boundedRateLimit: OptionParser<RateLimit> = (raw, flag) => {
  const parsed = rateLimit(raw, flag);
  if (parsed.limit > MAX_REQUESTS || parsed.intervalMs > MAX_WINDOW_MS) {
    throw new CliError(
      'usage',
      `${flag} takes at most ${MAX_REQUESTS} requests per at most ${MAX_WINDOW_MS} ms; got "${raw}"`,
      { flag },
    );
  }
  return parsed;
};

const dailyLimit: OptionParser<number> = (raw, flag) => {
  const value = positiveInteger(raw, flag);
  if (value > MAX_DAILY) {
    throw new CliError('usage', `${flag} must be an integer from 1 to ${MAX_DAILY}; got "${raw}"`, {
      flag,
    });
  }
  return value;
};

/** The sandbox options of `bulk-clients sandbox`, besides `--port` (in the command table). */
export const SANDBOX_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'seed',
    type: 'string',
    valueName: 'N',
    parse: nonEmpty,
    description: 'Seed of generated data and fault decisions (default: 1).',
  },
  {
    name: 'token',
    type: 'string',
    valueName: 'TOKEN',
    parse: nonEmpty,
    description: 'Bearer token the simulators accept (default: sandbox-token).',
  },
  {
    name: 'latency-ms',
    type: 'string',
    valueName: 'MS',
    parse: nonNegativeInteger,
    description: 'Latency added to every request (default: 0).',
  },
  {
    name: 'rate-limit',
    type: 'string',
    valueName: 'N/MS',
    parse: boundedRateLimit,
    description: 'Answer 429 beyond N requests per MS milliseconds, per API (default: none).',
  },
  {
    name: 'rate-limit-mode',
    type: 'string',
    valueName: 'MODE',
    parse: choice(SANDBOX_RATE_LIMIT_MODES),
    description:
      'How --rate-limit counts: bucket, fixed or rolling (default per vendor: HubSpot rolling, Thought Industries bucket, VEC and MPDX fixed).',
  },
  {
    name: 'daily-limit',
    type: 'string',
    valueName: 'N',
    parse: dailyLimit,
    description:
      'Requests each API accepts per day; after that every request gets 429 (default: none).',
  },
  {
    name: 'error-rate',
    type: 'string',
    valueName: 'P',
    parse: probability,
    description: 'Probability from 0 to 1 of answering 500/502/503/504 (default: 0).',
  },
  {
    name: 'job-ms',
    type: 'string',
    valueName: 'MS',
    parse: nonNegativeInteger,
    description: 'Time a background job or vault batch takes to settle (default: 1000).',
  },
];
