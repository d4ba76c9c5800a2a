import { nonEmpty, port, positiveInteger } from '../option-parsers.js';
import type { CommandSpec, OptionSpec } from './command-spec.js';

/** For the commands that wait for background jobs or batches at the vendor. */
const POLL_INTERVAL: OptionSpec = {
  name: 'poll-interval',
  type: 'string',
  valueName: 'MS',
  parse: positiveInteger,
  description: 'Shortest wait between two job status checks (default: 1000).',
};

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
