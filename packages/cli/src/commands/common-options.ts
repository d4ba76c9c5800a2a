import { INPUT_FORMATS } from '../input/open-input.js';
import {
  choice,
  dailyReserve,
  nonEmpty,
  nonNegativeInteger,
  positiveInteger,
  rateLimit,
} from '../option-parsers.js';
import type { OptionSpec } from './command-spec.js';

/** Options every level of the command tree accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'Print this help and exit.' },
  { name: 'version', type: 'boolean', description: 'Print the version and exit.' },
];

/** Options every bulk command accepts (a public contract: keep the names). */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'input',
    type: 'string',
    valueName: 'FILE|-',
    parse: nonEmpty,
    description: 'CSV (with a header row) or JSONL file to read; - reads stdin.',
  },
  {
    name: 'format',
    type: 'string',
    valueName: 'csv|jsonl',
    parse: choice(INPUT_FORMATS),
    description: 'Input format (default: from the file extension).',
  },
  {
    name: 'base-url',
    type: 'string',
    valueName: 'URL',
    parse: nonEmpty,
    description: "Scheme, host and port of the API (default: the vendor's production URL).",
  },
  {
    name: 'batch-size',
    type: 'string',
    valueName: 'N',
    parse: positiveInteger,
    description: 'Records per request, capped at the vendor maximum.',
  },
  {
    name: 'concurrency',
    type: 'string',
    valueName: 'N',
    parse: positiveInteger,
    description: 'Requests in flight at once.',
  },
  {
    name: 'rate-limit',
    type: 'string',
    valueName: 'N/MS',
    parse: rateLimit,
    description:
      "At most N requests in any MS milliseconds, e.g. 100/10000 (default: the vendor's documented budget, refined by its rate-limit headers; a value given here is an upper bound).",
  },
  {
    name: 'daily-reserve',
    type: 'string',
    valueName: 'N',
    parse: dailyReserve,
    description:
      "Stop when the vendor's daily budget is down to N requests, leaving them to other integrations.",
  },
  { name: 'dry-run', type: 'boolean', description: 'Validate every record, send nothing.' },
  {
    name: 'journal',
    type: 'string',
    valueName: 'FILE',
    parse: nonEmpty,
    description: 'Record progress here so that an interrupted run can --resume.',
  },
  { name: 'resume', type: 'boolean', description: 'Skip the records the --journal marks as done.' },
  {
    name: 'failed-out',
    type: 'string',
    valueName: 'FILE',
    parse: nonEmpty,
    description: 'Write every failed or unknown record (JSONL: record, line, reason).',
  },
  {
    name: 'report',
    type: 'string',
    valueName: 'FILE',
    parse: nonEmpty,
    description: 'Write the final report as JSON.',
  },
  { name: 'json', type: 'boolean', description: 'Print the final report as JSON on stdout.' },
  { name: 'no-progress', type: 'boolean', description: 'Print no progress on stderr.' },
  {
    name: 'timeout',
    type: 'string',
    valueName: 'MS',
    parse: nonNegativeInteger,
    description: 'Give up on a request after MS milliseconds.',
  },
  {
    name: 'max-wait',
    type: 'string',
    valueName: 'MS',
    parse: nonNegativeInteger,
    description: 'Longest total wait for a background job or batch to settle.',
  },
  {
    name: 'token-file',
    type: 'string',
    valueName: 'FILE',
    parse: nonEmpty,
    description: 'Read the API token from FILE instead of the environment.',
  },
  {
    name: 'token',
    type: 'string',
    valueName: 'TOKEN',
    parse: nonEmpty,
    description: 'The API token (discouraged: it leaks into shell history and ps).',
  },
  {
    name: 'redis',
    type: 'string',
    valueName: 'URL',
    parse: nonEmpty,
    description:
      'Share the vendor budget with every process of the account through this Redis (redis:// or rediss://; default: $BULK_CLIENTS_REDIS_URL).',
  },
  {
    name: 'account',
    type: 'string',
    valueName: 'NAME',
    parse: nonEmpty,
    description:
      'Name of the account whose budget is shared in Redis (default: a hash of the token).',
  },
  {
    name: 'redis-prefix',
    type: 'string',
    valueName: 'P',
    parse: nonEmpty,
    description: 'Prefix of the Redis keys (default: bulk-clients).',
  },
  {
    name: 'enqueue',
    type: 'boolean',
    description:
      'Check the input here and queue it in chunks on --redis for `bulk-clients worker` processes; print the run id.',
  },
  {
    name: 'chunk-size',
    type: 'string',
    valueName: 'N',
    parse: positiveInteger,
    description: 'With --enqueue: records per queued chunk (default: 1000).',
  },
  {
    name: 'chunks-per-account',
    type: 'string',
    valueName: 'N',
    parse: positiveInteger,
    description:
      'With --enqueue: most chunks of the account processed at once across all workers (default: 2).',
  },
  {
    name: 'allow-insecure',
    type: 'boolean',
    description: 'Allow a plain-HTTP --base-url that is not loopback.',
  },
];
