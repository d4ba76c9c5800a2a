import {
  certificateTemplatesBulkUpdateSendTimeoutMs,
  createCertificateTemplatesBulkUpdateAdapter,
  createThoughtIndustriesClient,
  defaultCertificateTemplatesBulkUpdateOptions,
  type UpdateCertificateTemplateInput,
} from '@bulk-clients/thought-industries';
import { CliError } from '../errors.js';
import { integerCell, isBlank, isCellProblem } from '../input/cells.js';
import type { RowRecord } from '../input/input-item.js';
import { createSpecValidator } from '../validate/spec-validator.js';
import { prepareBulkCommand } from './bulk-command.js';
import type { MappedRecord } from './record-entries.js';
import type { CommandContext } from './registry.js';
import { runBulkCommand } from './run-bulk-command.js';
import {
  batchSizeOf,
  clientLimitsOf,
  pollOptionsOf,
  UNDOCUMENTED_MAX_BATCH_SIZE,
} from './run-settings.js';

/** Template fields that are numbers in the API; every other CSV cell is sent as text. */
const INTEGER_FIELDS: ReadonlySet<string> = new Set(['expirationDays']);

/**
 * `bulk-clients thought-industries templates-update`: each record is the update input of one
 * certificate template (`id` and the fields to change; blank CSV cells are left out). Each batch
 * is one bulk request whose background job is awaited before its records count as written.
 */
export async function thoughtIndustriesTemplatesUpdate(context: CommandContext): Promise<number> {
  const { common } = context.parsed;
  const prepared = await prepareBulkCommand(context, {
    inputOptions: { onHeader: checkColumns },
  });
  const client = createThoughtIndustriesClient({
    token: prepared.token,
    baseUrl: prepared.baseUrl,
    fetch: prepared.fetch,
    ...clientLimitsOf(common, prepared),
  });
  const defaults = defaultCertificateTemplatesBulkUpdateOptions;
  const httpTimeoutMs = common.timeoutMs ?? defaults.httpTimeoutMs;
  const poll = pollOptionsOf(context);
  const batchSize = batchSizeOf(context, {
    default: defaults.batchSize,
    max: UNDOCUMENTED_MAX_BATCH_SIZE,
  });
  return runBulkCommand(context, prepared, {
    adapter: createCertificateTemplatesBulkUpdateAdapter(client, {
      batchSize,
      httpTimeoutMs,
      poll,
    }),
    limiter: client.limiter,
    batchSize,
    // One send is the request and the wait for its job: the engine's bound must cover both.
    requestTimeoutMs: certificateTemplatesBulkUpdateSendTimeoutMs({ httpTimeoutMs, poll }),
    validate: await createSpecValidator(
      'thought-industries',
      '#/components/schemas/UpdateCertificateTemplateInput',
    ),
    toItem: (record, format) =>
      format === 'csv'
        ? templateFromRow(record as RowRecord)
        : { item: record as unknown as UpdateCertificateTemplateInput },
    // Every column is a field of the template, by its API name.
    csvColumn: () => true,
  });
}

function checkColumns(columns: readonly string[]): void {
  if (!columns.includes('id')) {
    throw new CliError(
      'input',
      `--input has no "id" column (the template to change); its columns are ${columns.join(', ')}`,
      { flag: '--input' },
    );
  }
}

function templateFromRow(row: RowRecord): MappedRecord<UpdateCertificateTemplateInput> {
  const template: Record<string, unknown> = Object.create(null);
  for (const [column, cell] of Object.entries(row)) {
    if (isBlank(cell)) continue;
    if (INTEGER_FIELDS.has(column)) {
      const value = integerCell(cell);
      if (isCellProblem(value)) return { error: { field: column, message: value.problem } };
      template[column] = value;
    } else {
      template[column] = cell;
    }
  }
  return { item: template as UpdateCertificateTemplateInput };
}
