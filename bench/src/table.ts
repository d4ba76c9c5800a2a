/** Markdown tables of scenario results, as printed and as pasted into BENCHMARKS.md. */
import type { Row, ScenarioResult } from './result-types.js';
import { formatSummary } from './stats.js';

/** A metric as `median (min..max)`. */
export function cell(row: Row, metric: string, digits = 0): string {
  const summary = row.metrics[metric];
  return summary ? formatSummary(summary, digits) : '';
}

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
