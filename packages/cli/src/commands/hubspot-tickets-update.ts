import {
  createHubSpotClient,
  createTicketsBatchUpdateAdapter,
  hubSpotDefaults,
  type TicketUpdateInput,
} from '@bulk-clients/hubspot';
import { CliError } from '../errors.js';
import { cellText, isBlank } from '../input/cells.js';
import type { RowRecord } from '../input/input-item.js';
import { createSpecValidator } from '../validate/spec-validator.js';
import { prepareBulkCommand } from './bulk-command.js';
import type { MappedRecord } from './record-entries.js';
import type { CommandContext } from './registry.js';
import { runBulkCommand } from './run-bulk-command.js';
import { batchSizeOf, clientLimitsOf } from './run-settings.js';

/**
 * `bulk-clients hubspot tickets-update`: CSV column `id` (or the `--id-property` column) names
 * the ticket and every other column is a property; a blank cell is left out unless
 * `--clear-empty` sends `""`, which clears the property. JSONL records are HubSpot's own
 * `{ id, properties, idProperty?, objectWriteTraceId? }`, or flat as a CSV row.
 */
export async function hubspotTicketsUpdate(context: CommandContext): Promise<number> {
  const { values, common } = context.parsed;
  const idProperty = values.idProperty as string | undefined;
  const clearEmpty = values.clearEmpty === true;
  const idColumn = idProperty ?? 'id';
  const prepared = await prepareBulkCommand(context, {
    defaultBaseUrl: hubSpotDefaults.baseUrl,
    inputOptions: { onHeader: (columns) => checkColumns(columns, idColumn) },
  });
  const client = createHubSpotClient({
    token: prepared.token,
    baseUrl: prepared.baseUrl,
    fetch: prepared.fetch,
    ...clientLimitsOf(common, prepared),
  });
  return runBulkCommand(context, prepared, {
    adapter: createTicketsBatchUpdateAdapter(client, { idProperty }),
    limiter: client.limiter,
    batchSize: batchSizeOf(context, {
      default: hubSpotDefaults.maxBatchSize,
      max: hubSpotDefaults.maxBatchSize,
    }),
    requestTimeoutMs: common.timeoutMs,
    parameters: { '--id-property': idColumn, '--clear-empty': String(clearEmpty) },
    validate: await createSpecValidator(
      'hubspot',
      '#/components/schemas/SimplePublicObjectBatchInput',
    ),
    toItem: (record, format) =>
      format === 'csv'
        ? ticketFromRow(record as RowRecord, idColumn, clearEmpty)
        : { item: record as unknown as TicketUpdateInput },
    // Any name can be a property column; HubSpot's own shape nests them under `properties`.
    csvColumn: () => true,
    // A CSV user knows the column, not HubSpot's `properties.` prefix.
    inputField: (field, format) =>
      format === 'csv' && field.startsWith('properties.') ? field.slice(11) : field,
  });
}

function checkColumns(columns: readonly string[], idColumn: string): void {
  if (!columns.includes(idColumn)) {
    throw new CliError(
      'input',
      `--input has no "${idColumn}" column to find the tickets by; its columns are ${columns.join(', ')}`,
      { flag: '--input' },
    );
  }
  if (columns.length < 2) {
    throw new CliError(
      'input',
      `--input has no property column besides "${idColumn}": nothing to update`,
      { flag: '--input' },
    );
  }
}

function ticketFromRow(
  row: RowRecord,
  idColumn: string,
  clearEmpty: boolean,
): MappedRecord<TicketUpdateInput> {
  const id = row[idColumn];
  if (isBlank(id)) return { error: { field: idColumn, message: 'is blank: no ticket to update' } };
  // No prototype: a column named `__proto__` is an ordinary property name here.
  const properties: Record<string, string> = Object.create(null);
  for (const [column, cell] of Object.entries(row)) {
    if (column === idColumn) continue;
    // HubSpot's property values are text: a JSON number or boolean is sent as the CSV writes it.
    const text = cellText(cell);
    if (text === '' && !clearEmpty) continue;
    properties[column] = text;
  }
  if (Object.keys(properties).length === 0) {
    return {
      error: { message: 'every property cell is blank: nothing to update (--clear-empty clears)' },
    };
  }
  return { item: { id: cellText(id).trim(), properties } };
}
