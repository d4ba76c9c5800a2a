import { byteChunks } from './byte-chunks.js';
import { CsvParser, type RawCsvRecord } from './csv-parser.js';
import {
  type CsvRow,
  DEFAULT_MAX_RECORD_BYTES,
  type InputItem,
  type InputSource,
  positiveIntegerOption,
  type ReaderOptions,
  type RecordError,
} from './input-item.js';

/** Options of {@link readCsv}. */
export interface CsvReaderOptions extends ReaderOptions {
  /**
   * Longest single field accepted, in bytes. A longer field makes its record an error.
   * @default the value of `maxRecordBytes`
   */
  maxFieldBytes?: number;
  /**
   * Called once with the column names when the header row has been read and accepted, before
   * the first record is yielded, so that a command can refuse a file whose columns it cannot use.
   * @default none
   */
  onHeader?: ((columns: readonly string[]) => void) | undefined;
}

/**
 * Reads a CSV file (RFC 4180, with a header row) as a stream of records, each a prototype-less
 * object from column name to cell text, with the line on which the record starts.
 *
 * Nothing is thrown for bad data: a record that cannot be used (bad quoting, wrong number of
 * fields, invalid UTF-8, over a size limit) is yielded as `{ line, error }` and reading goes on.
 * Only a header that cannot be used ends the stream, with one `fatal` error. Blank lines are
 * skipped. I/O errors (a missing file) are thrown by the iterator.
 *
 * @example
 * for await (const item of readCsv('tickets.csv')) {
 *   if (item.error) console.error(`line ${item.line}: ${item.error.message}`);
 *   else send(item.record);
 * }
 */
export async function* readCsv(
  source: InputSource,
  options: CsvReaderOptions = {},
): AsyncGenerator<InputItem<CsvRow>> {
  const maxRecordBytes = positiveIntegerOption(
    options.maxRecordBytes,
    'maxRecordBytes',
    DEFAULT_MAX_RECORD_BYTES,
  );
  const maxFieldBytes = positiveIntegerOption(
    options.maxFieldBytes,
    'maxFieldBytes',
    maxRecordBytes,
  );
  const parser = new CsvParser({ maxRecordBytes, maxFieldBytes });
  let header: readonly string[] | undefined;

  // Returns false once the header turned out unusable: nothing after it can be read.
  function* toItems(records: RawCsvRecord[]): Generator<InputItem<CsvRow>, boolean> {
    for (const raw of records) {
      if (header === undefined) {
        const checked = checkHeader(raw);
        if ('error' in checked) {
          yield { line: raw.line, error: checked.error };
          return false;
        }
        header = checked.header;
        options.onHeader?.(header);
        continue;
      }
      yield toItem(raw, header);
    }
    return true;
  }

  for await (const chunk of byteChunks(source)) {
    if (!(yield* toItems(parser.push(chunk)))) return;
  }
  yield* toItems(parser.end());
}

function checkHeader(raw: RawCsvRecord): { header: string[] } | { error: RecordError } {
  if (raw.error) {
    return { error: { message: `header row: ${raw.error.message}`, fatal: true } };
  }
  const seen = new Set<string>();
  for (const [index, name] of raw.cells.entries()) {
    if (name.trim() === '') {
      return { error: { message: `header row: column ${index + 1} has no name`, fatal: true } };
    }
    if (seen.has(name)) {
      return {
        error: { field: name, message: `header row: column "${name}" appears twice`, fatal: true },
      };
    }
    seen.add(name);
  }
  return { header: raw.cells };
}

function toItem(raw: RawCsvRecord, header: readonly string[]): InputItem<CsvRow> {
  if (raw.error) {
    const { cellIndex, message } = raw.error;
    const error: RecordError = { message };
    if (cellIndex !== undefined) error.field = header[cellIndex] ?? `column ${cellIndex + 1}`;
    return { line: raw.line, error };
  }
  if (raw.cells.length !== header.length) {
    return {
      line: raw.line,
      error: {
        message: `expected ${header.length} fields as in the header, got ${raw.cells.length}`,
      },
    };
  }
  // No prototype: a column named `__proto__` or `constructor` is an ordinary key here.
  const record: CsvRow = Object.create(null);
  for (let i = 0; i < header.length; i++) record[header[i]!] = raw.cells[i]!;
  return { line: raw.line, record };
}
