import { CliError } from '../errors.js';
import { nonEmpty, nonNegativeInteger, type OptionParser, rateLimit } from '../option-parsers.js';
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
    parse: rateLimit,
    description: 'Answer 429 beyond N requests per MS milliseconds, per API (default: none).',
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
