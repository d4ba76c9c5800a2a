import { nonEmpty, port, positiveInteger } from '../option-parsers.js';
import type { CommandSpec, OptionSpec } from './command-spec.js';
import { HUBSPOT_OBJECT_COMMANDS } from './hubspot-object-commands.js';

/** For the commands that wait for background jobs or batches at the vendor. */
const POLL_INTERVAL: OptionSpec = {
  name: 'poll-interval',
  type: 'string',
  valueName: 'MS',
  parse: positiveInteger,
  description: 'Shortest wait between two job status checks (default: 1000).',
};

/** Where queued runs live, for the commands that read them. */
const RUN_QUEUE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'redis',
    type: 'string',
    valueName: 'URL',
    parse: nonEmpty,
    description:
      'The Redis of the queue (redis:// or rediss://; default: $BULK_CLIENTS_REDIS_URL).',
  },
  {
    name: 'redis-prefix',
    type: 'string',
    valueName: 'P',
    parse: nonEmpty,
    description: 'Prefix of the Redis keys (default: bulk-clients).',
  },
];

/**
 * The command tree of `bulk-clients` (a public contract: scripts call these names, keep them). The
 * command modules attach their handlers to these entries through the registry.
 */
export const COMMAND_TABLE: readonly CommandSpec[] = [
  {
    path: ['hubspot', 'tickets-update'],
    summary: 'Update HubSpot tickets in batches of up to 100.',
    bulk: true,
    required: ['input'],
    options: [
      {
        name: 'id-property',
        type: 'string',
        valueName: 'NAME',
        parse: nonEmpty,
        description: 'Column that identifies the ticket (default: id).',
      },
      {
        name: 'clear-empty',
        type: 'boolean',
        description: 'Send "" for blank cells, which clears the property (default: leave it out).',
      },
    ],
    examples: ['bulk-clients hubspot tickets-update --input tickets.csv --failed-out failed.jsonl'],
  },
  ...HUBSPOT_OBJECT_COMMANDS,
  {
    path: ['thought-industries', 'templates-update'],
    summary: 'Update Thought Industries certificate templates in bulk.',
    bulk: true,
    required: ['input', 'base-url'],
    options: [POLL_INTERVAL],
    examples: [
      'bulk-clients thought-industries templates-update --input templates.jsonl --base-url https://acme.thoughtindustries.com',
    ],
  },
  {
    path: ['thought-industries', 'webinar-import'],
    summary: 'Import webinars into a Thought Industries course group and wait for the job.',
    bulk: true,
    required: ['asset-path', 'base-url'],
    options: [
      {
        name: 'asset-path',
        type: 'string',
        valueName: 'PATH',
        parse: nonEmpty,
        description: 'The bulk import asset (bulkImportAssetPath) to import from.',
      },
      POLL_INTERVAL,
    ],
    examples: [
      'bulk-clients thought-industries webinar-import --asset-path imports/webinars.csv --base-url https://acme.thoughtindustries.com --dry-run',
    ],
  },
  {
    path: ['vec', 'vault-create'],
    summary: 'Upload certificate files and create VEC vault certificates in bulk.',
    bulk: true,
    required: ['input'],
    options: [
      {
        name: 'files-dir',
        type: 'string',
        valueName: 'DIR',
        parse: nonEmpty,
        description:
          'Directory the `file` paths are relative to; no file outside it is read (default: .).',
      },
      POLL_INTERVAL,
    ],
    examples: ['bulk-clients vec vault-create --input certificates.csv --files-dir ./pdf'],
  },
  {
    path: ['mpdx', 'preferences-create'],
    summary: 'Create MPDX notification preferences for an account list.',
    bulk: true,
    required: ['input', 'account-list'],
    options: [
      {
        name: 'account-list',
        type: 'string',
        valueName: 'ID',
        parse: nonEmpty,
        description: 'The account list to create the preferences in.',
      },
    ],
    examples: [
      'bulk-clients mpdx preferences-create --input preferences.csv --account-list 1c7f...',
    ],
  },
  {
    path: ['worker'],
    summary: 'Take chunks of queued runs (--enqueue) from Redis and write them, until stopped.',
    bulk: false,
    stopsOnSignal: true,
    options: [
      ...RUN_QUEUE_OPTIONS,
      {
        name: 'concurrency',
        type: 'string',
        valueName: 'N',
        parse: positiveInteger,
        description: 'Chunks processed at once (default: 1).',
      },
      {
        name: 'exit-when-idle',
        type: 'boolean',
        description:
          'Exit once the queue holds no chunk this worker can take (waiting, delayed or in process; chunks of runs it cannot take do not count).',
      },
      {
        name: 'lock-duration',
        type: 'string',
        valueName: 'MS',
        parse: positiveInteger,
        description:
          'How long a chunk stays locked to a worker that stopped answering (default: 30000).',
      },
      {
        name: 'stalled-interval',
        type: 'string',
        valueName: 'MS',
        parse: positiveInteger,
        description: 'How often to look for chunks whose worker died (default: 30000).',
      },
    ],
    examples: ['bulk-clients worker --redis redis://queue.internal:6379 --concurrency 2'],
  },
  {
    path: ['runs', 'status'],
    summary: 'Show the totals of a queued run; --wait until every record is settled.',
    bulk: false,
    positionals: ['run-id'],
    options: [
      ...RUN_QUEUE_OPTIONS,
      { name: 'wait', type: 'boolean', description: 'Wait until every record is settled.' },
      { name: 'json', type: 'boolean', description: 'Print the report as JSON on stdout.' },
      {
        name: 'report',
        type: 'string',
        valueName: 'FILE',
        parse: nonEmpty,
        description: 'Also write the JSON report to FILE.',
      },
      {
        name: 'failed-out',
        type: 'string',
        valueName: 'FILE',
        parse: nonEmpty,
        description: 'Write the records not written (invalid, failed, unknown, skipped) as JSONL.',
      },
    ],
    examples: ['bulk-clients runs status 3f0c5a1e-... --wait --failed-out failed.jsonl'],
  },
  {
    path: ['runs', 'list'],
    summary: 'List the queued runs, newest first.',
    bulk: false,
    options: [
      ...RUN_QUEUE_OPTIONS,
      { name: 'json', type: 'boolean', description: 'Print the runs as JSON on stdout.' },
    ],
    examples: ['bulk-clients runs list --redis redis://queue.internal:6379'],
  },
  {
    path: ['sandbox'],
    summary: 'Run the local simulator of all four APIs on a loopback port.',
    bulk: false,
    options: [
      {
        name: 'port',
        type: 'string',
        valueName: 'N',
        parse: port,
        description: 'Port to listen on; 0 picks a free one (default: 0).',
      },
    ],
    examples: ['bulk-clients sandbox --port 4010'],
  },
];
