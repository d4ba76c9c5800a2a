import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/input/csv-reader.js';
import type { CsvRow, InputItem } from '../src/input/input-item.js';
import { chunked, collect, prototypeKeys } from './helpers.js';

const RUNS = { numRuns: 300 };
const PROTOTYPE_KEYS = prototypeKeys();

/** Cell text biased towards what CSV has to quote, plus any Unicode. */
const cellText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', '\r\n', ' ', 'é', '日', '😀', '\uFEFF'),
    maxLength: 12,
  }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** Column names, including the ones that pollute prototypes when handled carelessly. */
const columnName = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'id'),
  fc.string({ minLength: 1, maxLength: 8 }).filter((name) => name.trim() !== ''),
);

const table = fc.uniqueArray(columnName, { minLength: 1, maxLength: 5 }).chain((header) =>
  fc.record({
    header: fc.constant(header),
    rows: fc.array(fc.array(cellText, { minLength: header.length, maxLength: header.length }), {
      maxLength: 15,
    }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    chunkSizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
  }),
);

function quote(cell: string, alone: boolean): string {
  // A lone empty cell is quoted, or its line would be a blank line (which readers skip).
  return /[",\r\n]/.test(cell) || (alone && cell === '') ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function lineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

function assertSafe(items: InputItem<CsvRow>[]): void {
  for (const item of items) {
    expect(Number.isSafeInteger(item.line) && item.line >= 1).toBe(true);
    if (item.record) expect(Object.getPrototypeOf(item.record)).toBeNull();
  }
  expect(prototypeKeys()).toEqual(PROTOTYPE_KEYS);
}

describe('readCsv on generated well-formed files', () => {
  it('returns every row with the line it starts on, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(table, async ({ header, rows, eol, bom, chunkSizes }) => {
        const lines = [header, ...rows].map((row) =>
          row.map((c) => quote(c, row.length === 1)).join(','),
        );
        const text = (bom ? '\uFEFF' : '') + lines.map((line) => line + eol).join('');
        const items = await collect(readCsv(chunked(text, chunkSizes)));

        let line = 1 + lineBreaks(lines[0]!) + 1;
        const expected = rows.map((row, i) => {
          const record = Object.fromEntries(header.map((name, j) => [name, row[j]!]));
          const item = { line, record };
          line += lineBreaks(lines[i + 1]!) + 1;
          return item;
        });
        expect(
          items.map((item) => ({ line: item.line, record: item.record && { ...item.record } })),
        ).toEqual(expected.map((item) => ({ line: item.line, record: { ...item.record } })));
        assertSafe(items);
      }),
      RUNS,
    );
  });

  it('reports exactly the rows with a wrong number of fields, and reads the others', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 15, maxLength: 15 }),
        async ({ header, rows, eol }, deltas) => {
          const changed = rows.map((row, i) => {
            const delta = deltas[i]!;
            return delta >= 0
              ? [...row, ...Array<string>(delta).fill('x')]
              : row.slice(0, Math.max(1, row.length + delta));
          });
          const text = [header, ...changed]
            .map((row) => row.map((c) => quote(c, true)).join(',') + eol)
            .join('');
          const items = await collect(readCsv(chunked(text, [7])));
          expect(items).toHaveLength(rows.length);
          items.forEach((item, i) => {
            const wrong = changed[i]!.length !== header.length;
            expect(item.error?.message.startsWith('expected ') ?? false).toBe(wrong);
          });
          assertSafe(items);
        },
      ),
      RUNS,
    );
  });

  it('reports invalid UTF-8 in one record without losing the others', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.nat(),
        fc.constantFrom([0xff], [0xc3], [0xe2, 0x28, 0xa1], [0xf8, 0x88]),
        async ({ header, rows }, pick, bad) => {
          fc.pre(rows.length > 0);
          const target = pick % rows.length;
          const encode = (row: string[]) =>
            Buffer.from(`${row.map((c) => quote(c, true)).join(',')}\n`);
          const parts = [encode(header)];
          rows.forEach((row, i) => {
            if (i !== target) {
              parts.push(encode(row));
              return;
            }
            // Raw bad bytes inside the first cell, quoted so that no delimiter is involved.
            parts.push(
              Buffer.concat([
                Buffer.from('"'),
                Buffer.from(bad),
                Buffer.from(`"${row.length > 1 ? ',' : ''}`),
                encode(row.slice(1)),
              ]),
            );
          });
          const items = await collect(readCsv(chunked(Buffer.concat(parts), [5])));
          expect(items).toHaveLength(rows.length);
          items.forEach((item, i) => {
            if (i === target)
              expect(item.error).toEqual({ field: header[0], message: 'invalid UTF-8' });
            else expect(item.error).toBeUndefined();
          });
        },
      ),
      RUNS,
    );
  });
});

describe('readCsv on arbitrary bytes', () => {
  // Bytes biased towards delimiters, quotes, line breaks and broken UTF-8.
  const noisyBytes = fc.array(
    fc.oneof(
      fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0xef, 0xbb, 0xbf, 0xff, 0xc3, 0x80),
      fc.integer({ min: 0, max: 255 }),
    ),
    { maxLength: 400 },
  );

  it('never throws, keeps line numbers in range and ascending, and gives the same items for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        noisyBytes,
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, sizes, maxRecordBytes) => {
          const input = Uint8Array.from(bytes);
          const whole = await collect(readCsv(chunked(input), { maxRecordBytes }));
          const pieces = await collect(readCsv(chunked(input, sizes), { maxRecordBytes }));
          expect(pieces).toEqual(whole);
          const lines =
            1 +
            (
              Buffer.from(input)
                .toString('latin1')
                .match(/\r\n|\r|\n/g) ?? []
            ).length;
          let previous = 0;
          for (const item of whole) {
            expect(item.line).toBeGreaterThan(previous);
            expect(item.line).toBeLessThanOrEqual(lines);
            previous = item.line;
          }
          assertSafe(whole);
        },
      ),
      RUNS,
    );
  });

  it('never yields a cell longer than the limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        noisyBytes,
        fc.integer({ min: 1, max: 32 }),
        async (bytes, maxFieldBytes) => {
          const items = await collect(
            readCsv(chunked(Uint8Array.from(bytes), [13]), { maxFieldBytes }),
          );
          for (const item of items) {
            for (const value of Object.values(item.record ?? {})) {
              expect(Buffer.byteLength(value)).toBeLessThanOrEqual(maxFieldBytes);
            }
          }
        },
      ),
      RUNS,
    );
  });
});
