/**
 * The command-table entries of the HubSpot object commands (`hubspot update|create|upsert|
 * archive|export --object TYPE`). The table loads no vendor package: `--object` is checked by
 * the command itself (`objectTypeOf`) before any file is read or request sent.
 */
import { usageError } from '../errors.js';
import { choice, nonEmpty } from '../option-parsers.js';
import type { CommandSpec, OptionSpec } from './command-spec.js';

/** The second word of each object command: `hubspot update`, `hubspot create`... */
export const HUBSPOT_OBJECT_ACTIONS = ['update', 'create', 'upsert', 'archive', 'export'] as const;

const OBJECT: OptionSpec = {
  name: 'object',
  type: 'string',
  valueName: 'TYPE',
  parse: nonEmpty,
  description:
    'Object type: contacts, companies, deals, tickets, line_items, products…, a custom type id (2-12345) or name (p_cars).',
};
const API_VERSION: OptionSpec = {
  name: 'api-version',
  type: 'string',
  valueName: 'v3|2026-03',
  // The versions `@bulk-clients/hubspot` knows (HUBSPOT_API_VERSIONS).
  parse: choice(['v3', '2026-03']),
  description: 'Version of the batch paths (default: v3).',
};
const idProperty = (description: string): OptionSpec => ({
  name: 'id-property',
  type: 'string',
  valueName: 'NAME',
  parse: nonEmpty,
  description,
});
const CLEAR_EMPTY: OptionSpec = {
  name: 'clear-empty',
  type: 'boolean',
  description: 'Send "" for blank cells, which clears the property (default: leave it out).',
};

/** The object commands of the command table. */
export const HUBSPOT_OBJECT_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['hubspot', 'update'],
    summary: 'Update HubSpot records of any object type in batches of up to 100.',
    bulk: true,
    required: ['input', 'object'],
    options: [
      OBJECT,
      idProperty('Unique property the id column holds values of (default: record ids in id).'),
      API_VERSION,
      CLEAR_EMPTY,
    ],
    examples: ['bulk-clients hubspot update --object contacts --input contacts.csv'],
  },
  {
    path: ['hubspot', 'create'],
    summary: 'Create HubSpot records of any object type in batches of up to 100.',
    bulk: true,
    required: ['input', 'object'],
    options: [
      OBJECT,
      API_VERSION,
      {
        name: 'dedupe-property',
        type: 'string',
        valueName: 'NAME',
        parse: nonEmpty,
        description:
          'Unique property every record sets; a batch whose answer was lost is read back by it instead of ending unknown.',
      },
    ],
    examples: ['bulk-clients hubspot create --object deals --input deals.csv'],
  },
  {
    path: ['hubspot', 'upsert'],
    summary: 'Create or update HubSpot records by a unique property.',
    bulk: true,
    required: ['input', 'object', 'id-property'],
    options: [
      OBJECT,
      idProperty('Unique property that finds each record; its column holds the values.'),
      API_VERSION,
      CLEAR_EMPTY,
    ],
    examples: [
      'bulk-clients hubspot upsert --object contacts --input contacts.csv --id-property email',
    ],
  },
  {
    path: ['hubspot', 'archive'],
    summary: 'Archive HubSpot records by id.',
    bulk: true,
    required: ['input', 'object'],
    options: [OBJECT, API_VERSION],
    examples: ['bulk-clients hubspot archive --object deals --input ids.csv'],
  },
  {
    path: ['hubspot', 'export'],
    summary: 'Read HubSpot records by id and write them as JSONL that `hubspot update` takes back.',
    bulk: true,
    required: ['input', 'object', 'properties'],
    options: [
      OBJECT,
      API_VERSION,
      idProperty('Unique property the id column holds values of (default: record ids in id).'),
      {
        name: 'properties',
        type: 'string',
        valueName: 'a,b,c',
        parse: (raw, flag) => {
          const names = raw
            .split(',')
            .map((name) => name.trim())
            .filter((name) => name !== '');
          if (names.length === 0) throw usageError(flag, `${flag} names no property`);
          return names;
        },
        description: 'Properties to read, comma-separated.',
      },
      {
        name: 'output',
        type: 'string',
        valueName: 'FILE',
        parse: nonEmpty,
        description: 'Where to write the records (default: stdout).',
      },
    ],
    examples: [
      'bulk-clients hubspot export --object contacts --input ids.csv --properties email,lifecyclestage --output contacts.jsonl',
    ],
  },
];
