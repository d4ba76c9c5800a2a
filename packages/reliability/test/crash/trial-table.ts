/** Prints the crash trials as a table, for the test output and RELIABILITY.md. */
import type { TrialResult } from './run-trial.js';

const count = (value: number) => value.toLocaleString('en-US');

function degradedNote(degraded: NonNullable<TrialResult['degraded']>): string {
  const report = degraded.report;
  const tally = report
    ? `${count(report.succeeded)} ok, ${count(report.unknown)} unknown`
    : 'no report';
  return `exit ${degraded.code}: ${tally}, ${count(degraded.writtenTwice)} written twice`;
}

/** One row per stop; the trial's totals on its first row. */
export function formatTrialTable(results: readonly TrialResult[]): string {
  const header = [
    'trial',
    'job',
    'records',
    'signal',
    'stop moment',
    'written at stop',
    'in flight (applied)',
    'ended',
    'resumes',
    'final',
    'written twice',
    'unknown',
    'written-once check',
    'time',
    'degraded resume',
  ];
  const rows: string[][] = [];
  results.forEach((result, trial) => {
    result.stops.forEach((stop, n) => {
      const first = n === 0;
      rows.push([
        first ? String(trial + 1) : '',
        first ? result.label : '',
        first ? count(result.records) : '',
        first ? result.signal : '',
        stop.moment,
        count(stop.writtenAtStop),
        `${count(stop.inFlight)} (${count(stop.appliedInFlight)})${stop.tornTail ? ' torn' : ''}`,
        stop.ended,
        first ? String(result.resumes) : '',
        first ? `exit ${result.final.code}` : '',
        first ? count(result.rewritten) : '',
        first ? count(result.unknown) : '',
        first ? (result.problems.length === 0 ? 'ok' : `${result.problems.length} problems`) : '',
        first ? `${(result.durationMs / 1000).toFixed(1)} s` : '',
        first && result.degraded ? degradedNote(result.degraded) : '',
      ]);
    });
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
