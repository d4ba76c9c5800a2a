import { describe, expect, it } from 'vitest';
import { booleanCell, integerCell, isBlank } from '../src/input/cells.js';
import { isRowShaped } from '../src/input/row-shape.js';

const COLUMNS = new Set(['notification_type_id', 'app', 'id']);
const isColumn = (key: string) => COLUMNS.has(key);

describe('isRowShaped', () => {
  it.each([
    [
      'CSV names with text, numbers, booleans and null',
      { notification_type_id: 'a', app: true, id: null },
      true,
    ],
    ['a key the CSV does not have', { notificationTypeId: 'a', app: true }, false],
    ['a nested object', { notification_type_id: { id: 'a' } }, false],
    ['an array', { app: [true] }, false],
    ['no key at all', {}, false],
  ])('%s: %s', (_, record, expected) => {
    expect(isRowShaped(record, isColumn)).toBe(expected);
  });
});

describe('cells from JSON values', () => {
  it('takes JSON booleans and numbers where the CSV takes their text', () => {
    expect(booleanCell(true)).toBe(true);
    expect(booleanCell(0)).toBe(false);
    expect(integerCell(365)).toBe(365);
    expect(integerCell(1.5)).toEqual({ problem: 'expected a whole number, got 1.5' });
    expect(isBlank(null)).toBe(true);
    expect(isBlank(0)).toBe(false);
  });
});
