/**
 * Turning CSV cells into the typed values an API expects. A CSV cell is text; a JSONL record in
 * the CSV's shape may hold the JSON value instead (`true`, `365`, `null`), taken wherever the CSV
 * takes its text form. Each parser returns the value, or a `{ problem }` that the command reports
 * for the record's line and column.
 */

/** One cell: CSV text, or the JSON value of a JSONL record in the CSV's shape. */
export type Cell = string | number | boolean | null;

/** Whether a JSON value can stand for a cell (objects and arrays cannot). */
export function isCell(value: unknown): value is Cell {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** The text of a cell, as the CSV would hold it (`null` is a blank cell). */
export function cellText(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

/** A cell that could not be read as the type its column needs. */
export interface CellProblem {
  problem: string;
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', '1', 'yes']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', '0', 'no']);

/** `true`/`false`/`1`/`0`/`yes`/`no` (any case, surrounding spaces ignored), or a JSON boolean. */
export function booleanCell(cell: Cell): boolean | CellProblem {
  if (typeof cell === 'boolean') return cell;
  const word = cellText(cell).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return { problem: `expected true/false, 1/0 or yes/no, got ${JSON.stringify(cell)}` };
}

/** A whole number such as `365` or `-1`; anything else is a problem (`1.5`, `12 days`). */
export function integerCell(cell: Cell): number | CellProblem {
  const text = cellText(cell).trim();
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
export function isBlank(cell: Cell | undefined): boolean {
  return cellText(cell).trim() === '';
}
