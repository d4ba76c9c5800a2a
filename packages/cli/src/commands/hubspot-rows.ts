/**
 * How HubSpot commands read a CSV row (or a JSONL record in the CSV's shape): one column names
 * the record (`id`, or the `--id-property` column) and every other column is a property. Shared
 * by `hubspot tickets-update` and the object commands (`hubspot update|create|upsert|archive|export`).
 */
import { CliError } from '../errors.js';
import { cellText, isBlank } from '../input/cells.js';
import type { RowRecord } from '../input/input-item.js';
import type { MappedRecord } from './record-entries.js';

/**
 * Refuses, before anything is sent, a CSV header without the column that names the records
 * (`idColumn`, when the command needs one) or without any property column (`needsProperties`).
 */
export function checkHubSpotColumns(
  columns: readonly string[],
  idColumn: string | undefined,
  noun: string,
  needsProperties = true,
): void {
  if (idColumn !== undefined && !columns.includes(idColumn)) {
    throw new CliError(
      'input',
      `--input has no "${idColumn}" column to find the ${noun}s by; its columns are ${columns.join(', ')}`,
      { flag: '--input' },
    );
  }
  const properties = columns.filter((column) => column !== idColumn);
  if (needsProperties && properties.length === 0) {
    throw new CliError(
      'input',
      idColumn === undefined
        ? '--input has no property column: nothing to write'
        : `--input has no property column besides "${idColumn}": nothing to update`,
      { flag: '--input' },
    );
  }
}

/**
 * The property values of a row: every column but `idColumn`, as text. A blank cell is left out,
 * or sent as `""` (which clears the property) with `clearEmpty`.
 */
export function propertiesOfRow(
  row: RowRecord,
  idColumn: string | undefined,
  clearEmpty: boolean,
): Record<string, string> {
  // No prototype: a column named `__proto__` is an ordinary property name here.
  const properties: Record<string, string> = Object.create(null);
  for (const [column, cell] of Object.entries(row)) {
    if (column === idColumn) continue;
    // HubSpot's property values are text: a JSON number or boolean is sent as the CSV writes it.
    const text = cellText(cell);
    if (text === '' && !clearEmpty) continue;
    properties[column] = text;
  }
  return properties;
}

/** A row as `{ id, properties }`: the record in `idColumn`, its other columns as properties. */
export function recordFromRow(
  row: RowRecord,
  idColumn: string,
  clearEmpty: boolean,
  noun: string,
): MappedRecord<{ id: string; properties: Record<string, string> }> {
  const id = row[idColumn];
  if (isBlank(id)) return { error: { field: idColumn, message: `is blank: no ${noun} to update` } };
  const properties = propertiesOfRow(row, idColumn, clearEmpty);
  if (Object.keys(properties).length === 0) {
    return {
      error: { message: 'every property cell is blank: nothing to update (--clear-empty clears)' },
    };
  }
  return { item: { id: cellText(id).trim(), properties } };
}

/** The id in `idColumn` of a row, for the commands that take ids only (archive, export). */
export function idFromRow(row: RowRecord, idColumn: string, noun: string): MappedRecord<string> {
  const id = row[idColumn];
  if (isBlank(id)) return { error: { field: idColumn, message: `is blank: no ${noun}` } };
  return { item: cellText(id).trim() };
}
