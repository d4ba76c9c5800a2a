import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MultipartError, MultipartParser, multipartBoundary } from '../src/multipart.js';

const BOUNDARY = '----form7MA4YWxk';

function body(parts: { headers: string[]; data: Buffer | string }[], preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${part.headers.join('\r\n')}\r\n\r\n`));
    chunks.push(Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

function parseIn(chunks: Buffer[]) {
  const parser = new MultipartParser(BOUNDARY);
  for (const chunk of chunks) parser.write(chunk);
  return parser.end();
}

function split(buffer: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(buffer.subarray(from, point));
    from = point;
  }
  pieces.push(buffer.subarray(from));
  return pieces;
}

// Data that looks like the delimiter without being it, to catch off-by-one carries.
const tricky = Buffer.concat([
  Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}X\r\n--`),
  Buffer.alloc(300, 0xff),
  Buffer.from(`\r\n-${BOUNDARY}`),
]);

const sample = body(
  [
    { headers: ['Content-Disposition: form-data; name="label"'], data: 'Q3 report ✓' },
    {
      headers: [
        'Content-Disposition: form-data; name="file"; filename="r.pdf"',
        'Content-Type: application/pdf',
      ],
      data: tricky,
    },
  ],
  'preamble to ignore\r\n',
);

describe('MultipartParser', () => {
  it('parses fields and files', () => {
    expect(parseIn([sample])).toEqual({
      fields: { label: 'Q3 report ✓' },
      files: [{ name: 'file', filename: 'r.pdf', contentType: 'application/pdf', data: tricky }],
    });
  });

  it('gives the same result however the body is chunked', () => {
    const whole = parseIn([sample]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        expect(parseIn(split(sample, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('parses a body fed one byte at a time', () => {
    const bytes = Array.from(sample, (byte) => Buffer.from([byte]));
    expect(parseIn(bytes).files[0]?.data).toEqual(tricky);
  });

  it('decodes RFC 5987 file names', () => {
    const parsed = parseIn([
      body([
        {
          headers: [
            'Content-Disposition: form-data; name="file"; filename="x"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf',
          ],
          data: 'a',
        },
      ]),
    ]);
    expect(parsed.files[0]?.filename).toBe('résumé.pdf');
  });

  it.each([
    ['a body without its closing delimiter', sample.subarray(0, sample.length - 10)],
    [
      'a part without Content-Disposition',
      body([{ headers: ['Content-Type: text/plain'], data: 'a' }]),
    ],
    ['a part without a name', body([{ headers: ['Content-Disposition: form-data'], data: 'a' }])],
    ['a header line without a colon', body([{ headers: ['nonsense'], data: 'a' }])],
  ])('rejects %s', (_name, input) => {
    expect(() => parseIn([input])).toThrow(MultipartError);
  });

  it('rejects a missing boundary', () => {
    expect(() => new MultipartParser('')).toThrow(MultipartError);
  });
});

describe('multipartBoundary', () => {
  it.each([
    ['multipart/form-data; boundary=abc', 'abc'],
    ['multipart/form-data; charset=utf-8; boundary="a b;c"', 'a b;c'],
    ['multipart/form-data', undefined],
    [undefined, undefined],
  ])('reads %s', (header, expected) => {
    expect(multipartBoundary(header)).toBe(expected);
  });
});
