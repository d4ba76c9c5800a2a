import { Readable } from 'node:stream';
import type { TextStream } from '../src/output/text-stream.js';

/** Reads an async iterable to the end. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A stream of `bytes` cut into chunks of the given sizes (cycled), to test chunk boundaries. */
export function chunked(
  bytes: Uint8Array | string,
  sizes: readonly number[] = [bytes.length],
): Readable {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  const chunks: Buffer[] = [];
  let offset = 0;
  for (let i = 0; offset < buffer.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? buffer.length);
    chunks.push(buffer.subarray(offset, offset + size));
    offset += size;
  }
  return Readable.from(chunks);
}

/** A stream that records what is written, optionally pretending to be a terminal. */
export function fakeStream(options: { isTTY?: boolean; columns?: number } = {}): TextStream & {
  text: () => string;
  writes: string[];
} {
  const writes: string[] = [];
  return {
    isTTY: options.isTTY ?? false,
    columns: options.columns,
    writes,
    write(text: string) {
      writes.push(text);
      return true;
    },
    text: () => writes.join(''),
  };
}

/** The keys of `Object.prototype`, to prove that nothing was added to it. */
export function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}
