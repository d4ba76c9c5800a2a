import { createReadStream } from 'node:fs';
import type { InputSource } from './input-item.js';

const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * The bytes of an input source as `Buffer` chunks, with a leading UTF-8 byte order mark removed
 * (spreadsheet programs write one). Reads lazily: nothing is held beyond the current chunk.
 */
export async function* byteChunks(source: InputSource): AsyncGenerator<Buffer> {
  if (typeof source !== 'string' && !isAsyncIterable(source)) {
    throw new TypeError('Expected `source` to be a file path or an async iterable of chunks');
  }
  const chunks = typeof source === 'string' ? createReadStream(source) : source;
  // The BOM may be split over the first chunks, so hold back up to three bytes until decided.
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = toBuffer(chunk);
    if (head === undefined) {
      if (bytes.length > 0) yield bytes;
      continue;
    }
    head = Buffer.concat([head, bytes]);
    if (head.length < BOM.length && BOM.slice(0, head.length).every((b, i) => head?.[i] === b)) {
      continue;
    }
    const rest = startsWithBom(head) ? head.subarray(BOM.length) : head;
    head = undefined;
    if (rest.length > 0) yield rest;
  }
  if (head !== undefined && head.length > 0 && !startsWithBom(head)) yield head;
}

function startsWithBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function toBuffer(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) {
    return Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  }
  throw new TypeError(`Expected input chunks to be bytes or strings, got ${typeof chunk}`);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
  );
}
