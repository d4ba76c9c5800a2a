import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/input/csv-reader.js';
import { chunked, collect } from './helpers.js';

type Expected = { line: number; record?: Record<string, string>; error?: string; field?: string };

async function read(
  text: string | Uint8Array,
  options = {},
  sizes?: number[],
): Promise<Expected[]> {
  const items = await collect(readCsv(chunked(text, sizes), options));
  return items.map((item) =>
    item.error
      ? {
          line: item.line,
          error: item.error.message,
          ...(item.error.field === undefined ? {} : { field: item.error.field }),
        }
      : { line: item.line, record: { ...item.record } },
  );
}

describe.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['CR', '\r'],
])('with %s line endings', (_, eol) => {
  const csv = (...lines: string[]) => lines.join(eol) + eol;

  it('reads records under the header with their line numbers', async () => {
    expect(await read(csv('id,name', '1,Ada', '2,Grace'))).toEqual([
      { line: 2, record: { id: '1', name: 'Ada' } },
      { line: 3, record: { id: '2', name: 'Grace' } },
    ]);
  });

  it('reports the line a multi-line quoted record starts on', async () => {
    expect(await read(csv('id,note', `1,"two${eol}lines"`, '2,x'))).toEqual([
      { line: 2, record: { id: '1', note: `two${eol}lines` } },
      { line: 4, record: { id: '2', note: 'x' } },
    ]);
  });

  it('skips blank lines but keeps counting them', async () => {
    expect(await read(csv('id', '', '7', '', ''))).toEqual([{ line: 3, record: { id: '7' } }]);
  });
});

describe.each<[string, string, Expected[]]>([
  [
    'embedded commas and quotes',
    'a,b\n"x,y","say ""hi"""\n',
    [{ line: 2, record: { a: 'x,y', b: 'say "hi"' } }],
  ],
  [
    'empty cells',
    'a,b,c\n,,\n"",x,\n',
    [
      { line: 2, record: { a: '', b: '', c: '' } },
      { line: 3, record: { a: '', b: 'x', c: '' } },
    ],
  ],
  ['no newline at the end', 'a\n1', [{ line: 2, record: { a: '1' } }]],
  ['a BOM before the header', '\uFEFFid\n1\n', [{ line: 2, record: { id: '1' } }]],
  ['a BOM inside a cell (kept as data)', 'id\n\uFEFF1\n', [{ line: 2, record: { id: '\uFEFF1' } }]],
  ['UTF-8 text', 'name\nZoë 日本 😀\n', [{ line: 2, record: { name: 'Zoë 日本 😀' } }]],
  ['spaces kept as data', 'a, b\n 1 , 2\n', [{ line: 2, record: { a: ' 1 ', ' b': ' 2' } }]],
  [
    'too few fields',
    'a,b\n1\n2,3\n',
    [
      { line: 2, error: 'expected 2 fields as in the header, got 1' },
      { line: 3, record: { a: '2', b: '3' } },
    ],
  ],
  [
    'too many fields',
    'a,b\n1,2,3\n4,5\n',
    [
      { line: 2, error: 'expected 2 fields as in the header, got 3' },
      { line: 3, record: { a: '4', b: '5' } },
    ],
  ],
  [
    'a quote inside an unquoted field',
    'a,b\n1,x"y\n2,z\n',
    [
      { line: 2, error: 'quote inside an unquoted field', field: 'b' },
      { line: 3, record: { a: '2', b: 'z' } },
    ],
  ],
  [
    'text after a closing quote',
    'a,b\n"1"x,y\n2,z\n',
    [
      { line: 2, error: 'text after the closing quote of a field', field: 'a' },
      { line: 3, record: { a: '2', b: 'z' } },
    ],
  ],
  [
    'an unterminated quote at the end',
    'a,b\n1,2\n3,"open\nmore\n',
    [
      { line: 2, record: { a: '1', b: '2' } },
      { line: 3, error: 'quoted field opened on line 3 is never closed', field: 'b' },
    ],
  ],
])('%s', (_, text, expected) => {
  it('reads as expected in one chunk and byte by byte', async () => {
    expect(await read(text)).toEqual(expected);
    expect(await read(text, {}, [1])).toEqual(expected);
  });
});

describe('invalid UTF-8', () => {
  it('is an error for the record and the column, and later records are read', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n2,ok\n3,'),
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate is not valid UTF-8 either
      Buffer.from('\n'),
    ]);
    expect(await read(bytes, {}, [3])).toEqual([
      { line: 2, error: 'invalid UTF-8', field: 'name' },
      { line: 3, record: { id: '2', name: 'ok' } },
      { line: 4, error: 'invalid UTF-8', field: 'name' },
    ]);
  });

  it('never turns into U+FFFD silently', async () => {
    const items = await read(
      Buffer.concat([Buffer.from('a\n'), Buffer.from([0xff]), Buffer.from('\n')]),
    );
    expect(JSON.stringify(items)).not.toContain('\uFFFD');
  });
});

describe('size limits', () => {
  it('reports a record over maxRecordBytes and reads the next one', async () => {
    const long = 'x'.repeat(100);
    expect(await read(`a,b\n1,${long}\n2,y\n`, { maxRecordBytes: 50 }, [7])).toEqual([
      { line: 2, error: 'record is longer than 50 bytes' },
      { line: 3, record: { a: '2', b: 'y' } },
    ]);
  });

  it('reports a field over maxFieldBytes with its column', async () => {
    expect(await read('a,b\n1,"abcdef"\n2,abc\n', { maxFieldBytes: 4 })).toEqual([
      { line: 2, error: 'field is longer than 4 bytes', field: 'b' },
      { line: 3, record: { a: '2', b: 'abc' } },
    ]);
  });

  it('counts the lines of a dropped multi-line record', async () => {
    const long = `"${'x\n'.repeat(40)}"`;
    expect(await read(`a\n${long}\n7\n`, { maxRecordBytes: 10 })).toEqual([
      { line: 2, error: 'record is longer than 10 bytes' },
      { line: 43, record: { a: '7' } },
    ]);
  });

  it('rejects a limit that is not a positive integer', async () => {
    await expect(collect(readCsv(chunked('a\n'), { maxRecordBytes: 0 }))).rejects.toThrow(
      /maxRecordBytes/,
    );
  });
});

describe('the header', () => {
  it.each([
    ['a duplicate column', 'a,a\n1,2\n', 'header row: column "a" appears twice'],
    ['an unnamed column', 'a,\n1,2\n', 'header row: column 2 has no name'],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0x0a, 0x31, 0x0a]), 'header row: invalid UTF-8'],
  ])('with %s is one fatal error and ends the stream', async (_, text, message) => {
    const items = await collect(readCsv(chunked(text)));
    expect(items).toEqual([{ line: 1, error: expect.objectContaining({ message, fatal: true }) }]);
  });

  it('of an empty input gives no records', async () => {
    expect(await read('')).toEqual([]);
    expect(await read('\uFEFF')).toEqual([]);
  });
});

describe('prototype safety', () => {
  it('keeps __proto__, constructor and prototype columns as plain keys of a null-prototype record', async () => {
    const [item] = await collect(
      readCsv(chunked('__proto__,constructor,prototype\n"{""polluted"":1}",x,y\n')),
    );
    const record = item?.record as Record<string, unknown>;
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.keys(record)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toBe('{"polluted":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('sources', () => {
  it('reads string chunks as UTF-8 text', async () => {
    const items = await collect(
      readCsv(
        (async function* () {
          yield 'a\n';
          yield 'é\n';
        })(),
      ),
    );
    expect(items).toEqual([{ line: 2, record: expect.objectContaining({ a: 'é' }) }]);
  });

  it('rejects a source that is neither a path nor an async iterable', async () => {
    await expect(collect(readCsv(42 as never))).rejects.toThrow(TypeError);
  });
});
