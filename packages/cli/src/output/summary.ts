import type { BudgetSource, BulkReport } from '@bulk-clients/core';
import { formatCount, formatDuration } from './format.js';

/**
 * The counters of a finished bulk run, as `runBulk` of `@bulk-clients/core` reports them
 * (`throttled` is optional: a dry run and a webinar import have no limiter to count).
 */
export type BulkReportLike = Pick<
  BulkReport<unknown, unknown>,
  | 'operation'
  | 'total'
  | 'succeeded'
  | 'failed'
  | 'unknown'
  | 'skipped'
  | 'requests'
  | 'retries'
  | 'throttledMs'
  | 'durationMs'
> & {
  throttled?: number | undefined;
  /** The budget the limiter held the run to at the end, when it had one. */
  rateLimit?: ReportedBudget | null | undefined;
  /** Whether the run stopped because the vendor's daily budget was spent. */
  dailyStop?: boolean | undefined;
  /** Requests spent isolating the records of batches refused whole (counted in `requests`). */
  isolationRequests?: number | undefined;
};

/** A rate limit as reports show it: requests per window, and where it came from. */
export interface ReportedBudget {
  requests: number;
  perMs: number;
  /** `configured` (`--rate-limit`), `learned` (the vendor's headers) or `default` (documented). */
  source: BudgetSource;
  /** Set when the budget is the account's, shared through Redis by every process using it. */
  shared?: true;
}

/** `190 per 10 s (learned from headers)`, `50 per 1 s (configured, shared through Redis)`. */
export function formatBudget(budget: ReportedBudget): string {
  const source =
    budget.source === 'learned'
      ? 'learned from headers'
      : budget.source === 'configured'
        ? 'configured'
        : 'vendor default';
  const shared = budget.shared ? ', shared through Redis' : '';
  return `${formatCount(budget.requests)} per ${formatDuration(budget.perMs)} (${source}${shared})`;
}

/** The report of a CLI run: what `--json` prints and `--report` writes. */
export interface CliReport extends BulkReportLike {
  /** The vendor API, e.g. `hubspot`. */
  api: string;
  /** Set when the run only validated (`--dry-run`). */
  dryRun: boolean;
  /** Records rejected before sending (they are also counted in `failed`). */
  invalid: number;
  /** The rate limit in force at the end of the run; `null` when no limiter applied. */
  rateLimit: ReportedBudget | null;
  /** Whether the run stopped because the vendor's daily request budget was spent. */
  dailyStop: boolean;
  /**
   * Requests spent isolating the records of batches the vendor refused whole without naming the
   * records at fault (HubSpot object commands only; already counted in `requests`).
   */
  isolationRequests?: number;
}

/** Builds the CLI report from the engine's report. */
export function toCliReport(
  api: string,
  report: BulkReportLike,
  extra: { dryRun?: boolean; invalid?: number } = {},
): CliReport {
  return {
    api,
    operation: report.operation,
    total: report.total,
    succeeded: report.succeeded,
    failed: report.failed,
    unknown: report.unknown,
    skipped: report.skipped,
    requests: report.requests,
    retries: report.retries,
    throttled: report.throttled ?? 0,
    throttledMs: report.throttledMs,
    durationMs: report.durationMs,
    dryRun: extra.dryRun ?? false,
    invalid: extra.invalid ?? 0,
    rateLimit: report.rateLimit
      ? {
          requests: report.rateLimit.requests,
          perMs: report.rateLimit.perMs,
          source: report.rateLimit.source,
          ...(report.rateLimit.shared ? { shared: true as const } : {}),
        }
      : null,
    dailyStop: report.dailyStop === true,
    ...(report.isolationRequests === undefined
      ? {}
      : { isolationRequests: report.isolationRequests }),
  };
}

/** The report as `--json` prints it on stdout. */
export function formatJsonReport(report: CliReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The final human summary: a two-column table of the counters. */
export function formatSummary(report: CliReport): string {
  const rows: [string, string][] = [
    ['total', formatCount(report.total)],
    ['succeeded', formatCount(report.succeeded)],
    [
      'failed',
      formatCount(report.failed) +
        (report.invalid ? ` (${formatCount(report.invalid)} invalid)` : ''),
    ],
    ['unknown', formatCount(report.unknown)],
    ['skipped', formatCount(report.skipped)],
    ['requests', formatCount(report.requests)],
    ['retries', formatCount(report.retries)],
    ['throttled', `${formatCount(report.throttled ?? 0)} (${formatDuration(report.throttledMs)})`],
  ];
  if (report.rateLimit) rows.push(['rate limit', formatBudget(report.rateLimit)]);
  if (report.dailyStop) rows.push(['stopped', 'at the daily request limit']);
  const width = Math.max(...rows.map(([name]) => name.length));
  const numbers = Math.max(
    ...rows
      .filter(([, value]) => /^\d/.test(value))
      .map(([, value]) => value.split(' ')[0]!.length),
  );
  const title = `${report.api} ${report.operation}${report.dryRun ? ' (dry run)' : ''}: done in ${formatDuration(report.durationMs)}`;
  const lines = rows.map(([name, value]) => {
    const [count = '', ...rest] = value.split(' ');
    // Counts line up on their last digit; a row of words starts where the counts start.
    if (!/^\d/.test(count)) return `  ${name.padEnd(width)}  ${value}`;
    return `  ${name.padEnd(width)}  ${count.padStart(numbers)}${rest.length ? ` ${rest.join(' ')}` : ''}`;
  });
  return `${[title, ...lines].join('\n')}\n`;
}
