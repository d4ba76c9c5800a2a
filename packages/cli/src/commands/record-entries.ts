import { CliError } from '../errors.js';
import type { JsonRow, RecordError } from '../input/input-item.js';
import type { InputFormat, OpenedInput } from '../input/open-input.js';
import { isRowShaped } from '../input/row-shape.js';
import type { ValidateRecord } from '../validate/spec-validator.js';
import type { InputEntry } from './input-entry.js';

/** What a command makes of one input record: the API item, or why there is none. */
export type MappedRecord<T> = { item: T; error?: undefined } | { error: RecordError };

/** How a command turns records into API items and checks them against the spec. */
export interface RecordMapping<T> {
  /**
   * Builds the API item from a record. `shape` is `csv` for a CSV row and for a JSONL record in
   * the CSV's shape (see `csvColumn`; its cells may be JSON values), `jsonl` for a record in the
   * API's own shape.
   */
  toItem(record: JsonRow, shape: InputFormat): MappedRecord<T> | Promise<MappedRecord<T>>;
  /**
   * Whether `key` can be a column of the command's CSV. A JSONL record whose keys all are, and
   * whose values are text, numbers, booleans or `null`, is read as the CSV row it stands for.
   * @default none: JSONL records are always in the API's shape
   */
  csvColumn?(key: string): boolean;
  /** Checks a value against the request schema of the spec. */
  validate: ValidateRecord;
  /**
   * The value checked against the spec, where the item is not yet in the wire shape (an MPDX
   * preference before it becomes a JSON:API member, a vault entry whose file is not uploaded).
   * @default the item
   */
  toSchemaValue?(item: T): unknown;
  /**
   * Renames the field of a spec error to what the input calls it, e.g. `properties.subject` to
   * the CSV column `subject` (`shape` as for `toItem`).
   * @default the spec's dotted path
   */
  inputField?(field: string, shape: InputFormat): string;
}

/**
 * Reads the input as {@link InputEntry} values, one per record, lazily: nothing is held beyond
 * the record being mapped. Every record is mapped and checked against the spec here, before
 * anything is sent. The first record is read before this resolves, so that a CSV header the
 * command cannot use (or an unreadable file) is a `CliError` (exit code 2) raised before the run
 * starts.
 */
export async function readEntries<T>(
  input: OpenedInput,
  mapping: RecordMapping<T>,
): Promise<AsyncIterable<InputEntry<T>>> {
  const iterator = mapEntries(input, mapping)[Symbol.asyncIterator]();
  let first: IteratorResult<InputEntry<T>>;
  try {
    first = await iterator.next();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('input', `Cannot read --input ${input.name}: ${messageOf(error)}`, {
      flag: '--input',
      cause: error,
    });
  }
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
}

async function* mapEntries<T>(
  input: OpenedInput,
  mapping: RecordMapping<T>,
): AsyncGenerator<InputEntry<T>> {
  for await (const read of input.records) {
    const { line } = read;
    if (read.error !== undefined) {
      if (read.error.fatal) {
        // Only a CSV header can be fatal: no record of the file can be read at all.
        throw new CliError('input', `--input ${input.name} line ${line}: ${read.error.message}`, {
          flag: '--input',
        });
      }
      yield { line, record: undefined, item: undefined, problem: read.error };
      continue;
    }
    const { record } = read;
    // One rule for every command: a JSONL record named as the CSV is read as that CSV row.
    const shape =
      input.format === 'jsonl' && mapping.csvColumn && isRowShaped(record, mapping.csvColumn)
        ? 'csv'
        : input.format;
    let mapped: MappedRecord<T>;
    try {
      mapped = await mapping.toItem(record, shape);
    } catch (error) {
      mapped = { error: { message: messageOf(error) } };
    }
    if (mapped.error !== undefined) {
      yield { line, record, item: undefined, problem: mapped.error };
      continue;
    }
    const value = mapping.toSchemaValue ? mapping.toSchemaValue(mapped.item) : mapped.item;
    const [violation] = mapping.validate(value);
    if (violation !== undefined) {
      const field = mapping.inputField
        ? mapping.inputField(violation.field, shape)
        : violation.field;
      yield { line, record, item: undefined, problem: { field, message: violation.message } };
      continue;
    }
    yield { line, record, item: mapped.item, problem: undefined };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
