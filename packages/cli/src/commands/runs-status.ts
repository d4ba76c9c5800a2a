import type { RunStatus } from '@bulk-clients/redis';
import { CliError } from '../errors.js';
import { ExitCode, exitCodeForReport } from '../exit-codes.js';
import { formatCount } from '../output/format.js';
import { openFailedRecordsFile, writeReportFile } from '../output/report-files.js';
import { type CliReport, formatSummary, toCliReport } from '../output/summary.js';
import { connectQueueRedis } from './queue-redis.js';
import type { CommandContext } from './registry.js';

/** How often `--wait` reads the run's totals again. */
const WAIT_POLL_MS = 500;

/** What `runs status` reports: a local run's report fields, plus the queue's. */
export interface RunStatusReport extends CliReport {
  runId: string;
  /** Workers that took chunks of the run. */
  workers: number;
  chunks: number;
  chunksPending: number;
  /** Every record settled. */
  settled: boolean;
  /** Why the run holds only part of its input, when its enqueuing stopped mid-way. */
  interrupted?: string;
  /** Workers that leave the run's chunks to others, and why (e.g. no vendor token there). */
  declinedBy?: { worker: string; reason: string }[];
}

/**
 * `bulk-clients runs status RUN_ID`: the totals of a queued run, summed from its settled chunks,
 * in a local run's report (`--json`, `--report`, `--failed-out`). `--wait` returns once every
 * record is settled, with a local run's exit code (0 all succeeded, 1 some failed or unknown, or
 * the run holds only part of its input because its enqueuing stopped mid-way).
 */
export async function runsStatus(context: CommandContext): Promise<number> {
  const { values } = context.parsed;
  const { io, signal } = context;
  const runId = values.runId as string;
  const queue = await connectQueueRedis(context);
  try {
    const store = new queue.redisPackage.RunStore(queue.redis, queue.settings.prefix);
    let status = await store.status(runId);
    if (status === undefined) {
      throw new CliError(
        'config',
        `No run ${runId} in Redis at ${queue.label} (a settled run is kept for 7 days)`,
        {
          flag: 'RUN_ID',
        },
      );
    }
    while (values.wait === true && !status.settled && !signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      status = (await store.status(runId)) ?? status;
    }
    const report = statusReport(status);
    if (values.failedOut !== undefined) {
      const file = await openFailedRecordsFile(values.failedOut as string, {
        redact: context.redactor.redact,
      });
      try {
        for (const record of await store.invalidRecords(runId)) await file.write(record);
        for (const outcome of await store.outcomes(runId)) {
          for (const record of outcome.failedRecords) await file.write(record);
        }
      } finally {
        await file.close();
      }
    }
    if (values.report !== undefined) {
      await writeReportFile(values.report as string, report, { redact: context.redactor.redact });
    }
    const queueLines =
      `  ${'workers'.padEnd(9)}${formatCount(report.workers).padStart(7)}\n` +
      `  ${'pending'.padEnd(9)}${formatCount(report.chunksPending).padStart(7)} of ${formatCount(report.chunks)} chunks${status.run.enqueuing ? ' (still being enqueued)' : ''}\n` +
      (report.declinedBy ?? [])
        .map((entry) => `  waiting: worker ${entry.worker} cannot take the run: ${entry.reason}\n`)
        .join('') +
      (report.interrupted ? `  partial: ${report.interrupted}\n` : '');
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      io.stdout.write(`run ${runId}\n${formatSummary(report)}${queueLines}`);
    }
    if (signal.aborted) return ExitCode.Interrupted;
    if (!status.settled) return ExitCode.Success;
    // A run that holds only part of its input did not do everything asked of it.
    return report.interrupted ? ExitCode.SomeFailed : exitCodeForReport(report);
  } finally {
    await queue.close();
  }
}

function statusReport(status: RunStatus): RunStatusReport {
  const report = toCliReport(
    status.run.api,
    {
      operation: status.run.operation,
      total: status.total,
      succeeded: status.succeeded,
      failed: status.failed,
      unknown: status.unknown,
      skipped: status.skipped,
      requests: status.requests,
      retries: status.retries,
      throttledMs: status.throttledMs,
      durationMs: status.durationMs,
    },
    { invalid: status.run.invalid },
  );
  return {
    ...report,
    runId: status.run.runId,
    workers: status.workers.length,
    chunks: status.run.chunks,
    chunksPending: status.chunksPending,
    settled: status.settled,
    ...(status.run.interrupted === undefined ? {} : { interrupted: status.run.interrupted }),
    ...(status.declinedBy.length === 0
      ? {}
      : {
          declinedBy: status.declinedBy.map(({ worker, reason }) => ({ worker, reason })),
        }),
  };
}
