import type { Cell } from './cells.js';

/** Why one input record cannot be used. */
export interface RecordError {
  /** The column or (dotted) property at fault, where one can be named. */
  field?: string;
  /** What is wrong, for a human; never contains a credential. */
  message: string;
  /**
   * Set when no later record can be read either (for example a CSV header that cannot be
   * used); the reader stops after yielding it.
   */
  fatal?: boolean;
}

/** A record read from the input, or the reason the record at that line could not be read. */
export type InputItem<Row> =
  | { readonly line: number; readonly record: Row; readonly error?: undefined }
  | { readonly line: number; readonly error: RecordError; readonly record?: undefined };

/** A flat CSV row: column name to cell text. It has no prototype, so any column name is safe. */
export type CsvRow = Record<string, string>;

/**
 * A record in the CSV's shape: a CSV row (every cell text), or a JSONL record whose keys are the
 * CSV's column names and whose values are cells (see `cells.ts`).
 */
export type RowRecord = Record<string, Cell>;

/** A JSON object from one JSONL line. It and every object inside it have no prototype. */
export type JsonRow = Record<string, unknown>;

/**
 * Where the bytes come from: a file path, or any async iterable of chunks (a `Readable` such as
 * `process.stdin` is one). String chunks are taken as UTF-8 text.
 */
export type InputSource = string | AsyncIterable<Uint8Array | string>;

/** Limits shared by the readers; they keep memory bounded whatever the input holds. */
export interface ReaderOptions {
  /**
   * Longest record accepted, in bytes. A longer record is reported as an error for its line and
   * skipped without being held in memory.
   * @default 1_048_576 (1 MiB)
   */
  maxRecordBytes?: number;
}

/** @see ReaderOptions.maxRecordBytes */
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;

/** Checks a positive integer option and returns it, or its default when undefined. */
export function positiveIntegerOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${String(value)}`);
  }
  return value;
}
