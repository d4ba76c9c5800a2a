/**
 * Command-line parsing of `bulk-clients-sandbox`, apart from the bin so it can be tested
 * without starting a process.
 */
import { parseArgs } from 'node:util';
import { RATE_LIMIT_MODES } from './create-rate-limiter.js';
import type { SandboxOptions } from './start-sandbox.js';
import type { RateLimitMode } from './types.js';

/** Largest values the flags accept: beyond them a value is a typo, not a test setting. */
export const FLAG_BOUNDS = {
  requests: 1_000_000,
  perMs: 86_400_000,
  dailyLimit: 1_000_000_000,
} as const;

export const USAGE = `Usage: bulk-clients-sandbox [options]

Serves simulators of the HubSpot, Thought Industries, VEC.digital and MPDX bulk APIs
on one loopback HTTP server.

Options:
  --port <n>           Port to listen on; 0 picks a free one (default: 0)
  --host <addr>        Interface to listen on (default: 127.0.0.1)
  --seed <n|text>      Seed for generated data and fault decisions (default: 1)
  --token <token>      Bearer token the simulators accept (default: sandbox-token)
  --latency-ms <ms>    Latency added to every request (default: 0)
  --rate-limit <N/MS>  Limit each API to N requests per MS milliseconds (default: none)
  --rate-limit-mode <bucket|fixed|rolling>
                       How --rate-limit counts (default: each vendor's own: HubSpot
                       rolling, Thought Industries bucket, VEC and MPDX fixed)
  --daily-limit <n>    Requests each API accepts per day, then 429 (default: none)
  --error-rate <p>     Probability in [0, 1] of answering 500/502/503/504 (default: 0)
  --job-ms <ms>        Time a background job takes to settle (default: 1000)
  --help               Show this help
`;

/** A bad command-line value: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

export function parseCommandLine(args: string[]): SandboxOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const options: SandboxOptions = {};
  if (values.port !== undefined) options.port = integer(values.port, '--port', 0, 65535);
  if (values.host !== undefined) options.host = values.host;
  if (values.seed !== undefined) {
    options.seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  }
  if (values.token !== undefined) {
    if (values.token === '' || /\s/.test(values.token)) {
      throw new UsageError('--token must be a non-empty value without spaces');
    }
    options.token = values.token;
  }
  if (values['latency-ms'] !== undefined) {
    options.latencyMs = number(values['latency-ms'], '--latency-ms', 0);
  }
  if (values['rate-limit'] !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values['rate-limit']);
    const requests = Number(match?.[1]);
    const perMs = Number(match?.[2]);
    if (
      !match ||
      !(requests > 0 && requests <= FLAG_BOUNDS.requests) ||
      !(perMs > 0 && perMs <= FLAG_BOUNDS.perMs)
    ) {
      throw new UsageError(
        `--rate-limit must be N/MS with N from 1 to ${FLAG_BOUNDS.requests} and MS from 1 to ${FLAG_BOUNDS.perMs} (e.g. 100/10000), got "${values['rate-limit']}"`,
      );
    }
    options.rateLimit = { requests, perMs };
  }
  const mode = values['rate-limit-mode'];
  if (mode !== undefined) {
    if (!(RATE_LIMIT_MODES as readonly string[]).includes(mode)) {
      throw new UsageError(
        `--rate-limit-mode must be one of ${RATE_LIMIT_MODES.join(', ')}, got "${mode}"`,
      );
    }
    if (!options.rateLimit) throw new UsageError('--rate-limit-mode needs --rate-limit N/MS');
    options.rateLimit.mode = mode as RateLimitMode;
  }
  if (values['daily-limit'] !== undefined) {
    options.dailyLimit = integer(values['daily-limit'], '--daily-limit', 1, FLAG_BOUNDS.dailyLimit);
  }
  if (values['error-rate'] !== undefined) {
    options.errorRate = number(values['error-rate'], '--error-rate', 0, 1);
  }
  if (values['job-ms'] !== undefined) options.jobMs = number(values['job-ms'], '--job-ms', 0);
  return options;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      token: { type: 'string' },
      'latency-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-limit-mode': { type: 'string' },
      'daily-limit': { type: 'string' },
      'error-rate': { type: 'string' },
      'job-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function number(text: string, flag: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    const range = Number.isFinite(max) ? `between ${min} and ${max}` : `>= ${min}`;
    throw new UsageError(`${flag} must be a number ${range}, got "${text}"`);
  }
  return value;
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = number(text, flag, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`${flag} must be an integer, got "${text}"`);
  return value;
}
