/**
 * Turning CSV cells (always text) into the typed values an API expects. Each parser returns the
 * value, or a `{ problem }` that the command reports for the record's line and column.
 */

/** A cell that could not be read as the type its column needs. */
export interface CellProblem {
  problem: string;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', '1', 'yes']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', '0', 'no']);

/** `true`/`false`/`1`/`0`/`yes`/`no` (any case, surrounding spaces ignored). */
export function booleanCell(cell: string): boolean | CellProblem {
  const word = cell.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return { problem: `expected true/false, 1/0 or yes/no, got ${JSON.stringify(cell)}` };
}

/** A whole number such as `365` or `-1`; anything else is a problem (`1.5`, `12 days`). */
export function integerCell(cell: string): number | CellProblem {
  const text = cell.trim();
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    return { problem: `expected a whole number, got ${JSON.stringify(cell)}` };
  }
  return value;
}

/** Whether a parser gave up on a cell. */
export function isCellProblem(value: unknown): value is CellProblem {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/** Whether a cell holds nothing (blank cells are left out of the request unless asked). */
export function isBlank(cell: string | undefined): boolean {
  return cell === undefined || cell.trim() === '';
}
