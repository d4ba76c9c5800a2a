/** Markdown tables of scenario results, as printed and as pasted into BENCHMARKS.md. */
import type { Row, ScenarioResult } from './result-types.js';
import { formatSummary } from './stats.js';

/** A metric as `median (min..max)`. */
export function cell(row: Row, metric: string, digits = 0): string {
  const summary = row.metrics[metric];
  return summary ? formatSummary(summary, digits) : '';
}

/** A fact of the row as text (empty when absent). */
export function factCell(row: Row, fact: string): string {
  return String(row.facts?.[fact] ?? '');
}

/**
 * The columns of every rate-limited throughput table: size, concurrency, and records/s against
 * the ceiling (facts `records`, `concurrency`, `ceiling`; metrics `recordsPerSecond`,
 * `efficiency`).
 */
export const throughputColumns: ScenarioResult['columns'] = [
  { header: 'records', cell: (row) => factCell(row, 'records') },
  { header: 'conc.', cell: (row) => factCell(row, 'concurrency') },
  { header: 'records/s', cell: (row) => cell(row, 'recordsPerSecond') },
  { header: 'ceiling', cell: (row) => factCell(row, 'ceiling') },
  { header: 'efficiency', cell: (row) => cell(row, 'efficiency', 3) },
];

export function targetCell(row: Row): string {
  if (!row.target) return '';
  return `${row.target.met ? 'met' : 'MISSED'}: ${row.target.detail}`;
}

/** The scenario's title, its table, and its notes. */
export function renderScenario(result: ScenarioResult): string {
  const headers = result.columns.map((column) => column.header);
  const lines = [
    `### ${result.title}`,
    '',
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...result.rows.map(
      (row) =>
        `| ${result.columns.map((column) => column.cell(row).replaceAll('|', '\\|')).join(' | ')} |`,
    ),
  ];
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}
