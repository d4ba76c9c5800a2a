import {
  type BulkCertificateEntry,
  createCertificatesBulkCreateAdapter,
  createVecClient,
  defaultCertificatesBulkCreateOptions,
  vecDefaults,
} from '@bulk-clients/vec';
import { CliError } from '../errors.js';
import { type Cell, isBlank } from '../input/cells.js';
import { openFilesDir, type ResolveFile } from '../input/files-dir.js';
import type { JsonRow } from '../input/input-item.js';
import type { InputFormat } from '../input/open-input.js';
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

const TEXT_FIELDS = [
  'certificate_title',
  'full_name',
  'applicant_email',
  'issue_date',
  'details',
] as const;
const REQUIRED_COLUMNS = ['certificate_title', 'full_name', 'applicant_email'] as const;
const COLUMNS: ReadonlySet<string> = new Set([...TEXT_FIELDS, 'file', 'file_id']);

// Stands in for the id of a file not uploaded yet, so that the rest of the entry is checked
// against the spec before anything is uploaded.
const FILE_ID_TO_COME = '00000000-0000-4000-8000-000000000000';

/**
 * `bulk-clients vec vault-create`: uploads each record's `file` (a path under `--files-dir`,
 * default the current directory) or uses its `file_id`, creates the certificates in bulk and
 * follows each batch until its certificates settle. Creates are not idempotent: after a lost
 * answer or a crash the vault is read back before anything is sent again.
 */
export async function vecVaultCreate(context: CommandContext): Promise<number> {
  const { values, common } = context.parsed;
  const prepared = await prepareBulkCommand(context, {
    defaultBaseUrl: vecDefaults.baseUrl,
    inputOptions: { onHeader: checkColumns },
  });
  let resolveFile: ResolveFile;
  try {
    resolveFile = await openFilesDir((values.filesDir as string | undefined) ?? '.');
  } catch (error) {
    await prepared.abandon();
    throw error;
  }
  const client = createVecClient({
    token: prepared.token,
    baseUrl: prepared.baseUrl,
    fetch: prepared.fetch,
    ...clientLimitsOf(common, prepared),
  });
  const batchSize = batchSizeOf(context, {
    default: defaultCertificatesBulkCreateOptions.batchSize,
    max: UNDOCUMENTED_MAX_BATCH_SIZE,
  });
  return runBulkCommand(context, prepared, {
    adapter: createCertificatesBulkCreateAdapter(client, {
      batchSize,
      httpTimeoutMs: common.timeoutMs,
      poll: pollOptionsOf(context),
    }),
    limiter: client.limiter,
    batchSize,
    // Each request has its own timeout and the wait its own --max-wait: no bound on a whole send.
    requestTimeoutMs: 0,
    validate: await createSpecValidator('vec', '#/components/schemas/CertificateEntry'),
    toItem: (record, format) => entryOf(record, format, resolveFile),
    csvColumn: (key) => COLUMNS.has(key),
    toSchemaValue: (entry) => {
      const { file: _file, fileName: _name, ...fields } = entry;
      return { ...fields, file_id: entry.file_id ?? FILE_ID_TO_COME };
    },
  });
}

function checkColumns(columns: readonly string[]): void {
  const unknown = columns.filter((column) => !COLUMNS.has(column));
  const missing: string[] = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (!columns.includes('file') && !columns.includes('file_id')) missing.push('file or file_id');
  if (unknown.length === 0 && missing.length === 0) return;
  const problems = [
    ...(missing.length ? [`no ${missing.map((c) => `"${c}"`).join(', ')} column`] : []),
    ...(unknown.length ? [`unknown column ${unknown.map((c) => `"${c}"`).join(', ')}`] : []),
  ];
  throw new CliError(
    'input',
    `--input has ${problems.join(' and ')}; the columns are ${[...COLUMNS].join(', ')}`,
    { flag: '--input' },
  );
}

async function entryOf(
  record: JsonRow,
  format: InputFormat,
  resolveFile: ResolveFile,
): Promise<MappedRecord<BulkCertificateEntry>> {
  // CSV: blank cells are left out. JSONL: the vault's own field names, plus `file`.
  const fields: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(record)) {
    if (format === 'csv' && isBlank(value as Cell)) continue;
    fields[name] = value;
  }
  const { file } = fields;
  if (file !== undefined) {
    if (fields.file_id !== undefined) {
      return { error: { field: 'file', message: 'give either file or file_id, not both' } };
    }
    if (typeof file !== 'string') {
      return { error: { field: 'file', message: 'must be a path under --files-dir' } };
    }
    const resolved = await resolveFile(file);
    if (resolved.problem !== undefined)
      return { error: { field: 'file', message: resolved.problem } };
    fields.file = resolved.path;
  } else if (fields.file_id === undefined) {
    return { error: { field: 'file_id', message: 'file or file_id is required' } };
  }
  return { item: fields as unknown as BulkCertificateEntry };
}
