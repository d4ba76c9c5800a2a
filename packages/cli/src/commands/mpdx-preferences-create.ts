import { isUuid } from '@bulk-clients/core';
import {
  createMpdxClient,
  createNotificationPreferencesBulkCreateAdapter,
  mpdxDefaults,
  type NewNotificationPreference,
  toBulkMember,
} from '@bulk-clients/mpdx';
import { CliError, usageError } from '../errors.js';
import { booleanCell, cellText, isBlank, isCellProblem } from '../input/cells.js';
import type { JsonRow, RowRecord } from '../input/input-item.js';
import type { InputFormat } from '../input/open-input.js';
import { createSpecValidator } from '../validate/spec-validator.js';
import { prepareBulkCommand } from './bulk-command.js';
import type { MappedRecord } from './record-entries.js';
import type { CommandContext } from './registry.js';
import { runBulkCommand } from './run-bulk-command.js';
import { batchSizeOf, clientLimitsOf, UNDOCUMENTED_MAX_BATCH_SIZE } from './run-settings.js';

const FLAGS = ['app', 'email', 'task'] as const;
const COLUMNS: ReadonlySet<string> = new Set(['notification_type_id', ...FLAGS, 'id']);

// Stands in for the id derived at send time (`deriveItemId(runId, index)`), so that the member
// can be checked against the spec before the run id is known.
const ID_TO_COME = '00000000-0000-4000-8000-000000000000';

// Spec paths of a JSON:API member, as the CSV columns name them.
const COLUMN_OF_FIELD: Readonly<Record<string, string>> = {
  'data.id': 'id',
  'data.attributes.app': 'app',
  'data.attributes.email': 'email',
  'data.attributes.task': 'task',
  'data.relationships.notification_type.data.id': 'notification_type_id',
};

/**
 * `bulk-clients mpdx preferences-create`: creates notification preferences in one account list.
 * A record without `id` gets one derived from the run and its position, which the journal keeps:
 * a resumed or retried run sends the same ids, so MPDX never creates a preference twice.
 */
export async function mpdxPreferencesCreate(context: CommandContext): Promise<number> {
  const { values, common } = context.parsed;
  const accountList = (values.accountList as string).trim();
  if (!isUuid(accountList)) {
    throw usageError(
      '--account-list',
      `--account-list must be the uuid of an account list; got "${accountList}"`,
    );
  }
  const prepared = await prepareBulkCommand(context, {
    defaultBaseUrl: mpdxDefaults.baseUrl,
    inputOptions: { onHeader: checkColumns },
  });
  const client = createMpdxClient({
    token: prepared.token,
    baseUrl: prepared.baseUrl,
    fetch: prepared.fetch,
    ...clientLimitsOf(common, prepared),
  });
  const batchSize = batchSizeOf(context, {
    default: mpdxDefaults.chunkSize,
    max: UNDOCUMENTED_MAX_BATCH_SIZE,
  });
  return runBulkCommand(context, prepared, {
    adapter: createNotificationPreferencesBulkCreateAdapter(client, accountList, { batchSize }),
    limiter: client.limiter,
    batchSize,
    requestTimeoutMs: common.timeoutMs,
    parameters: { '--account-list': accountList },
    validate: await createSpecValidator(
      'mpdx',
      '#/components/schemas/NotificationPreferenceBulkItem',
    ),
    toItem: preferenceOf,
    csvColumn: (key) => COLUMNS.has(key),
    toSchemaValue: (preference) => toBulkMember(preference, preference.id ?? ID_TO_COME),
    inputField: (field, format) => (format === 'csv' ? (COLUMN_OF_FIELD[field] ?? field) : field),
  });
}

function checkColumns(columns: readonly string[]): void {
  const unknown = columns.filter((column) => !COLUMNS.has(column));
  if (columns.includes('notification_type_id') && unknown.length === 0) return;
  const problem = !columns.includes('notification_type_id')
    ? 'no "notification_type_id" column'
    : `unknown column ${unknown.map((c) => `"${c}"`).join(', ')}`;
  throw new CliError(
    'input',
    `--input has ${problem}; the columns are ${[...COLUMNS].join(', ')}`,
    { flag: '--input' },
  );
}

function preferenceOf(
  record: JsonRow,
  format: InputFormat,
): MappedRecord<NewNotificationPreference> {
  return format === 'csv' ? fromRow(record as RowRecord) : fromJson(record);
}

function fromRow(row: RowRecord): MappedRecord<NewNotificationPreference> {
  const preference: NewNotificationPreference = {
    notificationTypeId: cellText(row.notification_type_id).trim(),
  };
  if (!isBlank(row.id)) preference.id = cellText(row.id).trim();
  for (const flag of FLAGS) {
    const cell = row[flag];
    if (isBlank(cell)) continue;
    const value = booleanCell(cell!);
    if (isCellProblem(value)) return { error: { field: flag, message: value.problem } };
    preference[flag] = value;
  }
  return { item: preference };
}

/**
 * JSONL takes MPDX's own JSON:API member (`{ data: { id?, attributes, relationships } }`, `id`
 * optional as in the CSV) or the flat shape of the package (`notificationTypeId`, flags, `id`).
 */
function fromJson(record: JsonRow): MappedRecord<NewNotificationPreference> {
  const data = record.data;
  if (data === undefined) return { item: record as unknown as NewNotificationPreference };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { error: { field: 'data', message: 'must be a JSON:API resource object' } };
  }
  const resource = data as Record<string, unknown>;
  const attributes = (resource.attributes ?? {}) as Record<string, unknown>;
  const type = (resource.relationships as Record<string, { data?: { id?: unknown } }> | undefined)
    ?.notification_type?.data?.id;
  const preference: Record<string, unknown> = { notificationTypeId: type };
  if (resource.id !== undefined) preference.id = resource.id;
  for (const flag of FLAGS) {
    if (attributes[flag] !== undefined) preference[flag] = attributes[flag];
  }
  return { item: preference as unknown as NewNotificationPreference };
}
