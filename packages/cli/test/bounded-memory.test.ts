import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/input/csv-reader.js';
import type { InputItem } from '../src/input/input-item.js';
import { readJsonl } from '../src/input/jsonl-reader.js';

const LINES = 1_000_000;

// A precise heap figure needs a full collection first; expose `gc` for this file only.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Generates `count` lines lazily in 64 KiB chunks: the input never exists whole in memory. */
function generated(
  header: string | undefined,
  line: (i: number) => string,
  count: number,
): Readable {
  return Readable.from(
    (function* () {
      let chunk = header === undefined ? '' : `${header}\n`;
      for (let i = 0; i < count; i++) {
        chunk += `${line(i)}\n`;
        if (chunk.length >= 65_536) {
          yield Buffer.from(chunk);
          chunk = '';
        }
      }
      if (chunk) yield Buffer.from(chunk);
    })(),
  );
}

/** Reads every item, sampling the heap; returns the count, the last line and the heap growth. */
async function measure(items: AsyncIterable<InputItem<Record<string, unknown>>>) {
  const before = heapUsed();
  let peak = 0;
  let count = 0;
  let errors = 0;
  let lastLine = 0;
  for await (const item of items) {
    count++;
    if (item.error) errors++;
    lastLine = item.line;
    if (count % 200_000 === 0) peak = Math.max(peak, heapUsed() - before);
  }
  peak = Math.max(peak, heapUsed() - before);
  return { count, errors, lastLine, peak };
}

const MiB = 1024 * 1024;

describe('reading a 1,000,000-line input', () => {
  it('streams CSV in bounded memory and numbers every line', async () => {
    const input = generated(
      'id,subject,hs_pipeline_stage,note',
      (i) => `${i + 1},"Ticket ${i}, renewed",${i % 7},"said ""ok"""`,
      LINES,
    );
    const { count, errors, lastLine, peak } = await measure(readCsv(input));
    expect({ count, errors, lastLine }).toEqual({ count: LINES, errors: 0, lastLine: LINES + 1 });
    // The input is ~45 MB and the records ~150 MB if held; a streaming reader stays far below.
    expect(peak).toBeLessThan(16 * MiB);
  }, 30_000);

  it('streams JSONL in bounded memory and numbers every line', async () => {
    const input = generated(
      undefined,
      (i) => `{"id":"${i + 1}","properties":{"subject":"Ticket ${i}"}}`,
      LINES,
    );
    const { count, errors, lastLine, peak } = await measure(readJsonl(input));
    expect({ count, errors, lastLine }).toEqual({ count: LINES, errors: 0, lastLine: LINES });
    expect(peak).toBeLessThan(16 * MiB);
  }, 30_000);

  it('drops a huge unterminated line without holding it', async () => {
    // One 64 MiB line: the reader must report it without buffering it.
    const huge = Readable.from(
      (function* () {
        yield Buffer.from('id,note\n1,');
        const block = Buffer.alloc(MiB, 0x78);
        for (let i = 0; i < 64; i++) yield block;
        yield Buffer.from('\n2,ok\n');
      })(),
    );
    const before = heapUsed();
    const items = [];
    for await (const item of readCsv(huge, { maxRecordBytes: MiB })) items.push(item);
    expect(heapUsed() - before).toBeLessThan(8 * MiB);
    expect(items).toEqual([
      { line: 2, error: { message: `record is longer than ${MiB} bytes` } },
      { line: 3, record: expect.objectContaining({ id: '2', note: 'ok' }) },
    ]);
  }, 30_000);
});
