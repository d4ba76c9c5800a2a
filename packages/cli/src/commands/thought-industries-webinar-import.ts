import {
  createThoughtIndustriesClient,
  type WebinarDryRunResult,
  WebinarImportError,
  type WebinarImportResult,
} from '@bulk-clients/thought-industries';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { FailedRecordEntry } from '../output/report-files.js';
import type { BulkReportLike } from '../output/summary.js';
import { prepareBulkCommand } from './bulk-command.js';
import type { CommandContext } from './registry.js';
import { clientLimitsOf, pollOptionsOf } from './run-settings.js';

const OPERATION = 'webinar-import';

/**
 * `bulk-clients thought-industries webinar-import`: imports (or with `--dry-run` only checks) a
 * webinar file already stored on the instance. A dry run lists the valid and invalid rows; a real
 * import waits for the import job. The rows are the vendor's, so there is no `--input`.
 */
export async function thoughtIndustriesWebinarImport(context: CommandContext): Promise<number> {
  const { values, common } = context.parsed;
  const { io, signal } = context;
  const assetPath = values.assetPath as string;
  const prepared = await prepareBulkCommand(context, {
    readsInput: false,
    dryRunSendsNothing: false,
  });
  const client = createThoughtIndustriesClient({
    token: prepared.token,
    baseUrl: prepared.baseUrl,
    fetch: prepared.fetch,
    ...clientLimitsOf(common, prepared),
  });
  const startedAt = performance.now();
  let result: WebinarDryRunResult | WebinarImportResult;
  try {
    result = await client.courseGroupWebinars.bulkImport(
      { bulkImportAssetPath: assetPath, dryRun: common.dryRun },
      {
        signal,
        requestTimeoutMs: common.timeoutMs,
        httpTimeoutMs: common.timeoutMs,
        poll: pollOptionsOf(context),
      },
    );
  } catch (error) {
    if (!(error instanceof WebinarImportError)) {
      await prepared.abandon();
      throw error;
    }
    if (error.outcome === 'skipped' && signal.aborted) {
      await prepared.abandon();
      return ExitCode.Interrupted;
    }
    if (error.outcome === 'failed' && (error.status === 401 || error.status === 403)) {
      await prepared.abandon();
      throw new CliError('auth', `${error.message} (check the token from ${prepared.tokenSource})`);
    }
    // The instance refused the file itself (no such asset, unreadable): nothing was imported.
    if (error.outcome === 'failed' && (error.status === 404 || error.status === 422)) {
      await prepared.abandon();
      throw new CliError('input', error.message, { flag: '--asset-path' });
    }
    // Refused for another reason, or the answer was lost: the rows were never known, so the
    // import itself is the one record of the report and of --failed-out.
    io.stderr.write(`${error.message}\n`);
    const state = error.outcome === 'failed' ? 'failed' : 'unknown';
    await prepared.failedRecords?.write({
      state,
      reason: error.message,
      status: error.status,
      record: { bulkImportAssetPath: assetPath, dryRun: common.dryRun },
    });
    const code = await prepared.finish({
      operation: OPERATION,
      total: 1,
      succeeded: 0,
      failed: state === 'failed' ? 1 : 0,
      unknown: state === 'unknown' ? 1 : 0,
      skipped: 0,
      requests: 1,
      retries: 0,
      throttledMs: 0,
      durationMs: performance.now() - startedAt,
    });
    return code === ExitCode.Success ? ExitCode.SomeFailed : code;
  }

  // Rows go to stdout, unless stdout belongs to the JSON report.
  const out = common.json ? io.stderr : io.stdout;
  out.write(formatRows(result));
  const failedRows = failedRowsOf(result);
  for (const entry of failedRows) await prepared.failedRecords?.write(entry);
  if (!result.dryRun && result.state !== 'succeeded') {
    const job = result.job;
    const why =
      result.state === 'failed'
        ? `the import job ${job?.id ?? ''} failed: ${job?.errorMessage ?? 'no reason given'}`
        : result.state === 'timeout'
          ? `the import job ${job?.id ?? ''} was still ${job?.status ?? 'running'} after --max-wait; it may still complete`
          : `stopped waiting for the import job ${job?.id ?? ''}; it goes on at the vendor`;
    io.stderr.write(`${why}\n`);
  }
  return prepared.finish(reportOf(result, performance.now() - startedAt), {
    invalid: result.invalidRows.length,
  });
}

function formatRows(result: WebinarDryRunResult | WebinarImportResult): string {
  const lines = [`Valid rows (${result.validRows.length}):`];
  for (const row of result.validRows) lines.push(`  ${JSON.stringify(row)}`);
  lines.push(`Invalid rows (${result.invalidRows.length}):`);
  for (const { reason, ...row } of result.invalidRows) {
    lines.push(`  ${JSON.stringify(row)}: ${reason}`);
  }
  if (!result.dryRun) {
    const job = result.job;
    lines.push(
      job === undefined
        ? 'Import job: none (nothing to wait for)'
        : `Import job ${job.id}: ${job.status} after ${result.polls} status checks`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** What `--failed-out` lists: invalid rows, and the valid ones a failed or unfinished job holds. */
function failedRowsOf(result: WebinarDryRunResult | WebinarImportResult): FailedRecordEntry[] {
  const entries: FailedRecordEntry[] = result.invalidRows.map(({ reason, ...row }) => ({
    state: 'invalid',
    reason,
    record: row,
  }));
  if (result.dryRun || result.state === 'succeeded') return entries;
  const state = result.state === 'failed' ? 'failed' : 'unknown';
  const reason =
    result.state === 'failed'
      ? (result.job?.errorMessage ?? 'the import job failed')
      : `the import job had not finished (${result.state})`;
  for (const row of result.validRows) entries.push({ state, reason, record: row });
  return entries;
}

function reportOf(
  result: WebinarDryRunResult | WebinarImportResult,
  durationMs: number,
): BulkReportLike {
  const valid = result.validRows.length;
  const invalid = result.invalidRows.length;
  const state = result.dryRun ? 'succeeded' : result.state;
  return {
    operation: OPERATION,
    total: valid + invalid,
    succeeded: state === 'succeeded' ? valid : 0,
    failed: invalid + (state === 'failed' ? valid : 0),
    unknown: state === 'timeout' || state === 'aborted' ? valid : 0,
    skipped: 0,
    requests: 1 + (result.dryRun ? 0 : result.polls),
    retries: 0,
    throttledMs: 0,
    durationMs,
  };
}
