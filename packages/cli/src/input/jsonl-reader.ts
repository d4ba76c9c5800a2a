import { isAscii } from 'node:buffer';
import { byteChunks } from './byte-chunks.js';
import {
  DEFAULT_MAX_RECORD_BYTES,
  type InputItem,
  type InputSource,
  type JsonRow,
  positiveIntegerOption,
  type ReaderOptions,
} from './input-item.js';
import { splitLines } from './line-splitter.js';
import { decodeUtf8 } from './utf8.js';

/** Options of {@link readJsonl}. */
export interface JsonlReaderOptions extends ReaderOptions {
  /**
   * Deepest nesting of objects and arrays accepted in a record.
   * @default 64
   */
  maxDepth?: number;
}

/**
 * Reads JSON Lines: one JSON object per line, blank lines skipped. Each record is copied into
 * prototype-less objects (nested ones included), so a `__proto__` key is plain data and can
 * never reach `Object.prototype` through a later merge.
 *
 * Nothing is thrown for bad data: invalid UTF-8, invalid JSON, a value that is not an object,
 * nesting beyond `maxDepth` and lines over `maxRecordBytes` are yielded as `{ line, error }`.
 * I/O errors (a missing file) are thrown by the iterator.
 */
export async function* readJsonl(
  source: InputSource,
  options: JsonlReaderOptions = {},
): AsyncGenerator<InputItem<JsonRow>> {
  const maxRecordBytes = positiveIntegerOption(
    options.maxRecordBytes,
    'maxRecordBytes',
    DEFAULT_MAX_RECORD_BYTES,
  );
  const maxDepth = positiveIntegerOption(options.maxDepth, 'maxDepth', 64);
  for await (const { line, bytes } of splitLines(byteChunks(source), maxRecordBytes)) {
    if (bytes === undefined) {
      yield { line, error: { message: `line is longer than ${maxRecordBytes} bytes` } };
      continue;
    }
    const text = decodeUtf8(bytes, 0, bytes.length, isAscii(bytes));
    if (text === undefined) {
      yield { line, error: { message: 'invalid UTF-8' } };
      continue;
    }
    if (text.trim() === '') continue;
    yield parseLine(line, text, maxDepth);
  }
}

function parseLine(line: number, text: string, maxDepth: number): InputItem<JsonRow> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, error: { message: `invalid JSON: ${(error as Error).message}` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { line, error: { message: `expected a JSON object, got ${kind}` } };
  }
  const copied = copyWithoutPrototypes(value, maxDepth);
  if (copied === TOO_DEEP) {
    return { line, error: { message: `nested deeper than ${maxDepth} levels` } };
  }
  return { line, record: copied as JsonRow };
}

const TOO_DEEP: unique symbol = Symbol('too deep');

function copyWithoutPrototypes(value: unknown, depthLeft: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depthLeft === 0) return TOO_DEEP;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyWithoutPrototypes(value[i], depthLeft - 1);
      if (item === TOO_DEEP) return TOO_DEEP;
      out[i] = item;
    }
    return out;
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) {
    const item = copyWithoutPrototypes((value as Record<string, unknown>)[key], depthLeft - 1);
    if (item === TOO_DEEP) return TOO_DEEP;
    out[key] = item;
  }
  return out;
}
