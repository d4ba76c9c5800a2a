import {
  createHubSpotClient,
  createTicketsBatchUpdateAdapter,
  hubSpotDefaults,
  type TicketUpdateInput,
} from '@bulk-clients/hubspot';
import type { RowRecord } from '../input/input-item.js';
import { createSpecValidator } from '../validate/spec-validator.js';
import { prepareBulkCommand } from './bulk-command.js';
import { checkHubSpotColumns, recordFromRow } from './hubspot-rows.js';
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
    inputOptions: { onHeader: (columns) => checkHubSpotColumns(columns, idColumn, 'ticket') },
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
        ? recordFromRow(record as RowRecord, idColumn, clearEmpty, 'ticket')
        : { item: record as unknown as TicketUpdateInput },
    // Any name can be a property column; HubSpot's own shape nests them under `properties`.
    csvColumn: () => true,
    // A CSV user knows the column, not HubSpot's `properties.` prefix.
    inputField: (field, format) =>
      format === 'csv' && field.startsWith('properties.') ? field.slice(11) : field,
  });
}
