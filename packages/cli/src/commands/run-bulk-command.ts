import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type BulkAdapter,
  BulkInputError,
  type ItemOutcome,
  type RequestLimiter,
  runBulk,
} from '@bulk-clients/core';
import { ExitCode } from '../exit-codes.js';
import { countRecords } from '../input/count-records.js';
import { visitUnreadRecords } from '../input/unread-records.js';
import { formatCount } from '../output/format.js';
import type { FailedRecordEntry } from '../output/report-files.js';
import type { BulkReportLike, ReportedBudget } from '../output/summary.js';
import type { PreparedBulkCommand } from './bulk-command.js';
import type { HostedBulkRun } from './bulk-run-host.js';
import { type CommandJournal, openCommandJournal } from './command-journal.js';
import { entryAdapter, type InputEntry } from './input-entry.js';
import { type RecordMapping, readEntries } from './record-entries.js';
import type { CommandContext } from './registry.js';

/** What a vendor command hands to {@link runBulkCommand}. */
export interface BulkCommandRun<T, R> extends RecordMapping<T> {
  /** The vendor package's adapter for this run. */
  adapter: BulkAdapter<T, R>;
  /** The client's rate limiter (`client.limiter`), so that throttling is reported. */
  limiter: RequestLimiter | undefined;
  /** Records per request, already capped at the vendor maximum. */
  batchSize: number;
  /**
   * The engine's bound on one send (for operations that wait for a job inside `send`, it must
   * cover the wait).
   * @default core's default (120000)
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Requests the adapter made beyond the engine's one per batch (HubSpot's isolation of the
   * records of a batch refused whole), read when the run ends: added to `requests` and reported
   * as `isolationRequests`.
   * @default none
   */
  isolationRequests?: (() => number) | undefined;
  /**
   * Parameters of the command that a `--resume` must repeat (e.g. `--account-list`), on top of
   * the base URL host and the input's path and size.
   * @default {}
   */
  parameters?: Readonly<Record<string, string>>;
}

/** Problems printed on stderr one by one before the rest are only counted. */
const PRINTED_PROBLEMS = 20;

/**
 * Runs a bulk command end to end: reads and checks every record (streaming: the input goes
 * straight into `runBulk`, with its line numbers), sends the valid ones through the vendor
 * adapter with the journal, writes `--failed-out` as records settle, shows progress, and ends
 * with the report and the exit code. With `--dry-run` it only checks, and writes nothing.
 *
 * SIGINT/SIGTERM (`context.signal`) stops taking new batches, lets the requests in flight
 * settle, flushes the journal and resolves to 130; `--resume` then finishes the job.
 */
export async function runBulkCommand<T, R>(
  context: CommandContext,
  prepared: PreparedBulkCommand,
  run: BulkCommandRun<T, R>,
): Promise<number> {
  const { parsed, io } = context;
  const { common } = parsed;
  const operation = parsed.command.path.slice(1).join(' ');
  let journal: CommandJournal | undefined;
  // Set once the run is over: the background count of the input stops.
  let settled = false;
  try {
    if (context.host) {
      return await context.host.run({
        adapter: entryAdapter(run.adapter) as HostedBulkRun['adapter'],
        limiter: run.limiter,
        batchSize: run.batchSize,
        requestTimeoutMs: run.requestTimeoutMs,
        close: () => prepared.abandon(),
      });
    }
    if (prepared.input === undefined) throw new TypeError('Expected the command to read --input');
    const entries = await readEntries(prepared.input, run);
    const adapter = entryAdapter(run.adapter);
    // A refused token refuses every batch alike: the first 401/403 stops the run (no new batch,
    // the requests in flight settle) instead of sending the whole input to be refused.
    const refusal = new AbortController();
    const signal = AbortSignal.any([context.signal, refusal.signal]);
    let refusedStatus: number | undefined;
    const outcomes = outcomeWriter(context, prepared, (status) => {
      if (refusedStatus !== undefined || context.signal.aborted) return;
      refusedStatus = status;
      refusal.abort();
    });

    // A file is counted in the background, for the percentage and ETA of the progress display.
    let total: number | undefined;
    if (common.progress && common.input !== undefined && common.input !== '-') {
      void countRecords(common.input, prepared.input.format, () => settled).then((count) => {
        total = count;
      });
    }

    if (common.enqueue) {
      const { enqueueRun } = await import('./enqueue-run.js');
      settled = true;
      return await enqueueRun(context, prepared, { entries, adapter, write: outcomes.write });
    }
    if (common.dryRun) {
      const report = await checkOnly(entries, adapter, signal, outcomes.write);
      settled = true;
      outcomes.end();
      return await prepared.finish({ ...report, operation }, { invalid: outcomes.invalid });
    }

    if (common.journal !== undefined) {
      journal = await openCommandJournal(common.journal, {
        resume: common.resume,
        operation: adapter.operation,
        parameters: {
          'base URL host': new URL(prepared.baseUrl).host,
          ...(await inputParameters(common.input)),
          ...run.parameters,
        },
      });
      if (journal.resuming) io.stderr.write(`Resuming the run recorded in ${common.journal}\n`);
    }
    let report: BulkReportLike & { aborted?: boolean; dailyStop?: boolean };
    let inputFailure: unknown;
    try {
      report = await runBulk(entries, adapter, {
        batchSize: run.batchSize,
        concurrency: common.concurrency,
        limiter: run.limiter,
        requestTimeoutMs: run.requestTimeoutMs,
        signal,
        // A stop lets requests in flight finish, so that their records are settled and journaled
        // instead of becoming unknown.
        abortMode: 'settle',
        journal: journal?.journal,
        onItem: outcomes.write,
        onProgress: (progress) =>
          prepared.progress.update({
            done: progress.done,
            total,
            failed: progress.failed,
            unknown: progress.unknown,
            throttled: run.limiter?.stats.throttled,
            throttledMs: progress.throttledMs,
            budget: budgetOf(run.limiter),
          }),
      });
    } catch (error) {
      if (!(error instanceof BulkInputError)) throw error;
      // The input broke mid-way (an I/O error): report what was done, and fail the run.
      inputFailure = error;
      report = error.report;
      io.stderr.write(`Reading --input stopped: ${(error.cause as Error)?.message ?? error}\n`);
    }
    settled = true;
    await journal?.journal.close();
    journal = undefined;
    outcomes.end();
    const dailyStop = refusedStatus === undefined && report.dailyStop === true;
    const stoppedEarly = refusedStatus !== undefined || report.aborted === true || dailyStop;
    let unreadNote = '';
    if (stoppedEarly) {
      // The engine stopped reading: the records after the last one read were never sent. A file
      // is read again to count them as skipped and keep them in --failed-out; stdin cannot be.
      const reason =
        refusedStatus !== undefined
          ? `Not sent: the vendor refused the token (HTTP ${refusedStatus})`
          : dailyStop
            ? `Not sent: ${run.limiter?.stopped?.message ?? "the vendor's daily request limit is spent"}; a resumed run sends it`
            : 'Not sent: the run was interrupted';
      if (common.input !== undefined && common.input !== '-') {
        const rest = await visitUnreadRecords(
          common.input,
          prepared.input.format,
          report.total,
          (line, record) =>
            prepared.failedRecords?.write({ line, state: 'skipped', reason, record }),
        );
        report = {
          ...report,
          total: report.total + rest.unread,
          skipped: report.skipped + rest.unread,
        };
        if (rest.error !== undefined) {
          unreadNote = ` Reading --input again to list the records not read stopped: ${messageOf(rest.error)}.`;
        }
      } else {
        unreadNote = ' Records not yet read from stdin are not counted.';
      }
    }
    if (refusedStatus !== undefined) {
      io.stderr.write(
        `${outcomes.prefix}Stopped: the vendor refused the token from ${prepared.tokenSource} (HTTP ${refusedStatus}); ` +
          `${formatCount(report.skipped)} records not sent are counted as skipped${keptNote(common.failedOut)}.${unreadNote} ` +
          `Check ${tokenHint(prepared.tokenSource)} and run the command again.\n`,
      );
    } else if (dailyStop) {
      const stop = run.limiter?.stopped?.message ?? "the vendor's daily request limit is spent";
      io.stderr.write(
        `${outcomes.prefix}Stopped: ${stop}. Nothing more was sent; the requests in flight were settled and ` +
          `${formatCount(report.skipped)} records not sent are counted as skipped${keptNote(common.failedOut)}.${unreadNote} ` +
          (common.journal === undefined
            ? 'Add --journal FILE to a run to be able to --resume it once the daily limit resets.\n'
            : `${common.journal} is up to date: run the same command with --resume once the daily limit resets.\n`),
      );
    } else if (report.aborted) {
      io.stderr.write(
        (common.journal === undefined
          ? `Interrupted: the requests in flight were settled; the records not sent are counted as skipped${keptNote(common.failedOut)}. Add --journal FILE to a run to be able to --resume it.`
          : `Interrupted: the requests in flight were settled and ${common.journal} is up to date; run the same command with --resume to finish.`) +
          `${unreadNote}\n`,
      );
    }
    const isolationRequests = run.isolationRequests?.();
    const code = await prepared.finish(
      {
        ...report,
        ...(isolationRequests === undefined
          ? {}
          : { requests: report.requests + isolationRequests, isolationRequests }),
        operation,
        throttled: run.limiter?.stats.throttled ?? 0,
        rateLimit: budgetOf(run.limiter),
        dailyStop,
      },
      { invalid: outcomes.invalid, inputTotal: total },
    );
    if ((refusedStatus !== undefined || dailyStop) && code !== ExitCode.Interrupted) {
      // Exit code 2 promises that nothing was written: only when no record succeeded (or may
      // have) in this run.
      return outcomes.written === 0 ? ExitCode.Usage : ExitCode.SomeFailed;
    }
    return inputFailure !== undefined && code === ExitCode.Success ? ExitCode.SomeFailed : code;
  } catch (error) {
    settled = true;
    await journal?.journal.close().catch(() => {});
    await prepared.abandon();
    throw error;
  }
}

/** The input file's absolute path and size, for the resume check (stdin has neither). */
async function inputParameters(input: string | undefined): Promise<Record<string, string>> {
  if (input === undefined || input === '-') return {};
  const info = await stat(input).catch(() => undefined);
  return {
    '--input path': resolve(input),
    ...(info === undefined ? {} : { '--input size': `${info.size} bytes` }),
  };
}

/** The budget a limiter holds requests to, as reports show it. */
function budgetOf(limiter: RequestLimiter | undefined): ReportedBudget | undefined {
  if (!limiter) return undefined;
  const { requests, perMs, source } = limiter.budget;
  // The Redis limiter names the account's key: its budget is every process's of the account.
  const shared = typeof (limiter as { key?: unknown }).key === 'string';
  return shared ? { requests, perMs, source, shared: true } : { requests, perMs, source };
}

/** Where the records not sent are listed, for the stop message. */
function keptNote(failedOut: string | undefined): string {
  return failedOut === undefined ? '' : ` (listed in ${failedOut})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What to fix after a refused token: the variable, or the file, that held it. */
function tokenHint(source: string): string {
  return source.startsWith('--') ? source : `${source} (or pass --token-file FILE)`;
}

/** Validates every entry without sending anything (`--dry-run`). */
async function checkOnly<T, R>(
  entries: AsyncIterable<InputEntry<T>>,
  adapter: BulkAdapter<InputEntry<T>, R>,
  signal: AbortSignal,
  write: (outcome: ItemOutcome<InputEntry<T>, R>) => Promise<void>,
): Promise<BulkReportLike> {
  const startedAt = performance.now();
  let total = 0;
  let failed = 0;
  for await (const entry of entries) {
    if (signal.aborted) break;
    const index = total++;
    const error = adapter.validate?.(entry, index);
    if (error !== undefined) {
      failed++;
      await write({ index, item: entry, status: 'failed', error, attempts: 0 });
    }
  }
  return {
    operation: adapter.operation,
    total,
    succeeded: total - failed,
    failed,
    unknown: 0,
    skipped: 0,
    requests: 0,
    retries: 0,
    throttled: 0,
    throttledMs: 0,
    durationMs: performance.now() - startedAt,
  };
}

/**
 * Streams failed, invalid, unknown and skipped records to `--failed-out` and the first few to stderr, as
 * the engine settles them. A record refused before any request (attempts 0, not from the
 * journal) is `invalid`.
 */
function outcomeWriter(
  context: CommandContext,
  prepared: PreparedBulkCommand,
  onTokenRefused: (status: number) => void = () => {},
) {
  const { io, parsed } = context;
  let printed = 0;
  let unprinted = 0;
  let invalid = 0;
  let written = 0;
  let refusedBefore = false;
  const prefix = io.stderr.isTTY ? '\r\x1b[K' : '';
  return {
    prefix,
    get invalid() {
      return invalid;
    },
    /** Records this run wrote, or may have written (succeeded or unknown, not resumed). */
    get written() {
      return written;
    },
    async write<T, R>(outcome: ItemOutcome<InputEntry<T>, R>): Promise<void> {
      if (!outcome.resumed && (outcome.status === 'succeeded' || outcome.status === 'unknown')) {
        written++;
      }
      if (outcome.status === 'skipped') {
        // Read but not sent (the run stopped): kept in --failed-out, summed up by the stop message.
        const { line, record } = outcome.item;
        const reason = outcome.error?.message ?? 'Not sent: the run stopped';
        await prepared.failedRecords?.write({ line, state: 'skipped', reason, record });
        return;
      }
      if (outcome.status !== 'failed' && outcome.status !== 'unknown') return;
      const refused = outcome.error?.status;
      const tokenRefused = outcome.status === 'failed' && (refused === 401 || refused === 403);
      // One refused token fails every record alike: print the first, count the rest.
      const repeat = tokenRefused && refusedBefore;
      if (tokenRefused) {
        refusedBefore = true;
        onTokenRefused(refused);
      }
      const state: FailedRecordEntry['state'] =
        outcome.status === 'unknown'
          ? 'unknown'
          : outcome.attempts === 0 && !outcome.resumed
            ? 'invalid'
            : 'failed';
      if (state === 'invalid') invalid++;
      const { line, record } = outcome.item;
      const reason = outcome.error?.message ?? outcome.status;
      const field = outcome.error?.field;
      const status = outcome.error?.status;
      if (printed < PRINTED_PROBLEMS && !repeat) {
        printed++;
        const where = field === undefined ? '' : `${field}: `;
        const http = status === undefined ? '' : ` (HTTP ${status})`;
        io.stderr.write(`${prefix}line ${line}: ${state}${http}: ${where}${reason}\n`);
      } else {
        unprinted++;
      }
      await prepared.failedRecords?.write({ line, state, reason, field, status, record });
    },
    end(): void {
      if (unprinted === 0) return;
      const where = parsed.common.failedOut
        ? `see ${parsed.common.failedOut}`
        : 'add --failed-out FILE to keep them all';
      io.stderr.write(`${prefix}... and ${unprinted} more records not written (${where})\n`);
    },
  };
}
