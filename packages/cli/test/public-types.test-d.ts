import { describe, expectTypeOf, it } from 'vitest';
import type { ExitCode } from '../src/exit-codes.js';
import { readCsv, readJsonl } from '../src/index.js';
import type { CsvRow, InputItem, JsonRow, RecordError } from '../src/input/input-item.js';
import { type RateLimit, rateLimit } from '../src/option-parsers.js';

describe('public types', () => {
  it('narrows an input item to a record or an error', () => {
    const item = {} as InputItem<CsvRow>;
    if (item.error) {
      expectTypeOf(item.error).toEqualTypeOf<RecordError>();
      expectTypeOf(item.record).toEqualTypeOf<undefined>();
    } else {
      expectTypeOf(item.record).toEqualTypeOf<CsvRow>();
    }
    expectTypeOf(item.line).toEqualTypeOf<number>();
  });

  it('types the readers by format', () => {
    expectTypeOf(readCsv('a.csv')).toEqualTypeOf<AsyncGenerator<InputItem<CsvRow>>>();
    expectTypeOf(readJsonl('a.jsonl')).toEqualTypeOf<AsyncGenerator<InputItem<JsonRow>>>();
    // @ts-expect-error a number is not an input source
    readCsv(42);
  });

  it('keeps exit codes to the documented numbers', () => {
    expectTypeOf<ExitCode>().toEqualTypeOf<0 | 1 | 2 | 130>();
  });

  it('parses --rate-limit into a RateLimit', () => {
    expectTypeOf(rateLimit).returns.toEqualTypeOf<RateLimit>();
  });
});
