import { isCell } from './cells.js';
import type { JsonRow, RowRecord } from './input-item.js';

/**
 * Whether a JSONL record is in the CSV's shape, to be read as the CSV row it stands for: every
 * key is one of the command's columns and every value a cell (text, number, boolean or `null`).
 * A record with a nested object or array, or with a key the CSV does not have, is in the API's
 * own shape.
 *
 * @example
 * isRowShaped({ notification_type_id: 'a1b2…', app: true }, (key) => COLUMNS.has(key)); // true
 */
export function isRowShaped(
  record: JsonRow,
  isColumn: (key: string) => boolean,
): record is RowRecord {
  const keys = Object.keys(record);
  return keys.length > 0 && keys.every((key) => isColumn(key) && isCell(record[key]));
}
