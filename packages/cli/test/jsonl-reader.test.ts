import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputItem, JsonRow } from '../src/input/input-item.js';
import { readJsonl } from '../src/input/jsonl-reader.js';
import { chunked, collect, prototypeKeys } from './helpers.js';

const PROTOTYPE_KEYS = prototypeKeys();

async function read(text: string | Uint8Array, options = {}, sizes?: number[]) {
  const items = await collect(readJsonl(chunked(text, sizes), options));
  return items.map((item) =>
    item.error
      ? { line: item.line, error: item.error.message }
      : { line: item.line, json: JSON.stringify(item.record) },
  );
}

describe.each<
  [string, string | Buffer, { line: number; json?: string; error?: string | RegExp }[]]
>([
  [
    'objects on LF lines',
    '{"a":1}\n{"b":[1,{"c":null}]}\n',
    [
      { line: 1, json: '{"a":1}' },
      { line: 2, json: '{"b":[1,{"c":null}]}' },
    ],
  ],
  [
    'CRLF lines, a BOM and no final newline',
    '\uFEFF{"a":1}\r\n{"a":2}',
    [
      { line: 1, json: '{"a":1}' },
      { line: 2, json: '{"a":2}' },
    ],
  ],
  [
    'blank and whitespace-only lines',
    '\n  \n{"a":1}\n\t\r\n\n{"a":2}\n\n',
    [
      { line: 3, json: '{"a":1}' },
      { line: 6, json: '{"a":2}' },
    ],
  ],
  [
    'invalid JSON',
    '{"a":1}\n{"a":\n{"a":3}\n',
    [
      { line: 1, json: '{"a":1}' },
      { line: 2, error: /^invalid JSON: / },
      { line: 3, json: '{"a":3}' },
    ],
  ],
  [
    'values that are not objects',
    '[1]\n"s"\n3\nnull\ntrue\n{}\n',
    [
      { line: 1, error: 'expected a JSON object, got an array' },
      { line: 2, error: 'expected a JSON object, got string' },
      { line: 3, error: 'expected a JSON object, got number' },
      { line: 4, error: 'expected a JSON object, got null' },
      { line: 5, error: 'expected a JSON object, got boolean' },
      { line: 6, json: '{}' },
    ],
  ],
  [
    'invalid UTF-8',
    Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n{"a":1}\n')]),
    [
      { line: 1, error: 'invalid UTF-8' },
      { line: 2, json: '{"a":1}' },
    ],
  ],
])('%s', (_, text, expected) => {
  it('read in one chunk and byte by byte', async () => {
    const matchers = expected.map((e) =>
      e.error instanceof RegExp ? { ...e, error: expect.stringMatching(e.error) } : e,
    );
    expect(await read(text)).toEqual(matchers);
    expect(await read(text, {}, [1])).toEqual(matchers);
  });
});

describe('limits', () => {
  it('reports a line over maxRecordBytes and reads the next one', async () => {
    const long = `{"a":"${'x'.repeat(200)}"}`;
    expect(await read(`${long}\n{"a":1}\n${long}`, { maxRecordBytes: 64 }, [10])).toEqual([
      { line: 1, error: 'line is longer than 64 bytes' },
      { line: 2, json: '{"a":1}' },
      { line: 3, error: 'line is longer than 64 bytes' },
    ]);
  });

  it('does not count the CR of a CRLF against the limit', async () => {
    expect(await read('{"a":12}\r\n', { maxRecordBytes: 8 })).toEqual([
      { line: 1, json: '{"a":12}' },
    ]);
  });

  it('reports nesting deeper than maxDepth', async () => {
    const deep = `${'{"a":'.repeat(5)}1${'}'.repeat(5)}`;
    expect(await read(`${deep}\n`, { maxDepth: 4 })).toEqual([
      { line: 1, error: 'nested deeper than 4 levels' },
    ]);
    expect(await read(`${deep}\n`, { maxDepth: 5 })).toEqual([{ line: 1, json: deep }]);
  });

  it('survives nesting deep enough to overflow a recursive parser', async () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(await read(`${deep}\n{"b":1}\n`, { maxRecordBytes: 300_000 })).toEqual([
      { line: 1, error: expect.any(String) },
      { line: 2, json: '{"b":1}' },
    ]);
  });
});

describe('prototype safety', () => {
  it('copies records into null-prototype objects, nested ones included', async () => {
    const [item] = await collect(
      readJsonl(
        chunked('{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"x":1}}}}\n'),
      ),
    );
    const record = item?.record as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.getPrototypeOf(record.a)).toBeNull();
    expect(Object.hasOwn(record, '__proto__')).toBe(true);
    expect({ ...Object.getOwnPropertyDescriptor(record, '__proto__')?.value }).toEqual({
      polluted: 1,
    });
    // Spreading copies `__proto__` as an own key instead of calling the prototype setter.
    const spread: Record<string, unknown> = { ...record };
    expect(Object.getPrototypeOf(spread)).toBe(Object.prototype);
    expect(spread.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readJsonl properties', () => {
  const key = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'),
    fc.string({ maxLength: 6 }),
  );
  const object = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

  it('returns every object with its line number, whatever the line endings, blank lines and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(object, fc.nat({ max: 2 }), fc.constantFrom('\n', '\r\n')), {
          maxLength: 20,
        }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
        async (records, bom, sizes) => {
          let text = bom ? '\uFEFF' : '';
          let line = 1;
          const expected: { line: number; json: string }[] = [];
          for (const [value, blanks, eol] of records) {
            text += eol.repeat(blanks);
            line += blanks;
            const json = JSON.stringify(value);
            expected.push({ line, json });
            text += json + eol;
            line++;
          }
          expect(await read(text, {}, sizes)).toEqual(expected);
          expect(prototypeKeys()).toEqual(PROTOTYPE_KEYS);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes, and numbers lines in order', async () => {
    const bytes = fc.array(
      fc.oneof(
        fc.constantFrom(0x7b, 0x7d, 0x22, 0x3a, 0x0a, 0x0d, 0x5b, 0xff, 0xc3),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 300 },
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 50 }), async (raw, maxRecordBytes) => {
        const input = Uint8Array.from(raw);
        const items: InputItem<JsonRow>[] = await collect(
          readJsonl(chunked(input, [7]), { maxRecordBytes }),
        );
        const lines = 1 + raw.filter((b) => b === 0x0a).length;
        let previous = 0;
        for (const item of items) {
          expect(item.line).toBeGreaterThan(previous);
          expect(item.line).toBeLessThanOrEqual(lines);
          previous = item.line;
          if (item.record) expect(Object.getPrototypeOf(item.record)).toBeNull();
        }
        expect(prototypeKeys()).toEqual(PROTOTYPE_KEYS);
      }),
      { numRuns: 300 },
    );
  });
});
