import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, WHOLE_WORD_SECRET_LENGTH } from '../src/redact.js';

/** The shape of a `--json` report: fixed keys, counters, and text that may quote a token. */
function reportWith(texts: readonly string[]): Record<string, unknown> {
  return {
    operation: 'tickets-update',
    total: 3,
    succeeded: 1,
    failed: 1,
    unknown: 0,
    skipped: 0,
    requests: 2,
    retries: 1,
    throttled: 0,
    throttledMs: 0,
    durationMs: 12.5,
    dryRun: false,
    errors: texts.map((message, i) => ({ line: i + 2, field: 'subject', message })),
    budget: null,
  };
}

/** Every key path of a JSON value, so that two documents can be compared by shape. */
function keysOf(value: unknown, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    `${path}.${key}`,
    ...keysOf(inner, `${path}.${key}`),
  ]);
}

// Tokens are single lines (the token reader refuses others).
const oneLine = (token: string) => !/[\r\n]/.test(token);
const short = fc
  .string({ minLength: 1, maxLength: WHOLE_WORD_SECRET_LENGTH - 1, unit: 'binary' })
  .filter(oneLine);
const long = fc
  .string({ minLength: WHOLE_WORD_SECRET_LENGTH, maxLength: 60, unit: 'binary' })
  .filter(oneLine);

/** Text quoting the token: alone, inside words, in a header, a URL, a JSON snippet. */
function textsQuoting(token: string): fc.Arbitrary<string[]> {
  const piece = fc.oneof(
    fc.constant(token),
    fc.constant(`Bearer ${token}`),
    fc.constant(`?key=${encodeURIComponent(token)}&x=1`),
    fc.constant(JSON.stringify({ token })),
    fc.constant(`re${token}ries`),
    fc.string({ maxLength: 12 }),
  );
  return fc.array(
    fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(' ')),
    {
      maxLength: 4,
    },
  );
}

describe('createRedactor', () => {
  it('leaves the keys of a JSON report alone, whatever the short secret', () => {
    const report = `${JSON.stringify(reportWith(['retries exhausted']), null, 2)}\n`;
    for (const secret of ['t', 'e', 'retries', '0', 'true', 'null', ':', '"', ',', '{', '\\']) {
      const out = createRedactor([secret]).redact(report);
      expect(keysOf(JSON.parse(out)), secret).toEqual(keysOf(JSON.parse(report)));
    }
  });

  it('replaces a short secret as a whole word only', () => {
    const { redact } = createRedactor(['t']);
    expect(redact('retries: 1, token t, Bearer t.')).toBe(
      `retries: 1, token ${REDACTED}, Bearer ${REDACTED}.`,
    );
    expect(redact('{"retries":1,"token":"t","note":"t is in tickets-update"}\n')).toBe(
      `{"retries":1,"token":"${REDACTED}","note":"${REDACTED} is in tickets-update"}\n`,
    );
  });

  it('keeps progress lines intact', () => {
    const line =
      '\r\x1b[Khubspot tickets-update: [######......]  500/2,000 (25%)  250/s  ETA 6.0 s  3 failed  throttled 2x (1.5 s)';
    expect(createRedactor(['t']).redact(line)).toBe(line);
  });

  it('replaces a long secret anywhere, also inside a word and in JSON keys', () => {
    const token = 'pat-na1-0123456789abcdef';
    const { redact } = createRedactor([token]);
    expect(redact(`x${token}y`)).toBe(`x${REDACTED}y`);
    expect(redact(JSON.stringify({ [token]: `a${token}` }))).toBe(`{"${REDACTED}":"a${REDACTED}"}`);
  });

  it('refuses a secret of several lines', () => {
    expect(() => createRedactor(['a\nb'])).toThrow(TypeError);
  });

  it('handles JSON lines and plain lines in one write, each by its kind', () => {
    const { redact } = createRedactor(['t']);
    expect(redact('{"retries":"t"}\nBearer t\n')).toBe(
      `{"retries":"${REDACTED}"}\nBearer ${REDACTED}\n`,
    );
  });

  it('keeps a JSON report valid with the same keys, for any short or long token', () => {
    fc.assert(
      fc.property(
        fc.oneof(short, long).chain((token) => fc.tuple(fc.constant(token), textsQuoting(token))),
        fc.boolean(),
        ([token, texts], pretty) => {
          const document = JSON.stringify(reportWith(texts), null, pretty ? 2 : undefined);
          const out = createRedactor([token]).redact(`${document}\n`);
          const parsed = JSON.parse(out);
          expect(keysOf(parsed)).toEqual(keysOf(JSON.parse(document)));
          if (token.length >= WHOLE_WORD_SECRET_LENGTH) {
            expect(out).not.toContain(token);
            expect(JSON.stringify(parsed)).not.toContain(JSON.stringify(token).slice(1, -1));
            expect(out).not.toContain(encodeURIComponent(token));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never lets a long token through plain text', () => {
    fc.assert(
      fc.property(
        long.chain((token) => fc.tuple(fc.constant(token), textsQuoting(token))),
        ([token, texts]) => {
          const out = createRedactor([token]).redact(`${texts.join('\n')}\n`);
          expect(out).not.toContain(token);
          expect(out).not.toContain(encodeURIComponent(token));
        },
      ),
      { numRuns: 500 },
    );
  });
});
