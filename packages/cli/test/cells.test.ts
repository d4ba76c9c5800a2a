import { describe, expect, it } from 'vitest';
import { booleanCell, integerCell, isCellProblem } from '../src/input/cells.js';

describe('booleanCell', () => {
  it.each([
    ['true', true],
    [' TRUE ', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ])('reads %j as %s', (cell, value) => {
    expect(booleanCell(cell)).toBe(value);
  });

  it.each(['', 'maybe', 'y', '2', 'truthy'])('names the problem with %j', (cell) => {
    const value = booleanCell(cell);
    expect(isCellProblem(value)).toBe(true);
    expect(value).toEqual({
      problem: `expected true/false, 1/0 or yes/no, got ${JSON.stringify(cell)}`,
    });
  });
});

describe('integerCell', () => {
  it.each([
    ['365', 365],
    [' -1 ', -1],
    ['0', 0],
  ])('reads %j as %d', (cell, value) => {
    expect(integerCell(cell)).toBe(value);
  });

  it.each(['1.5', 'twelve', '', '9007199254740993', '1e3'])('refuses %j', (cell) => {
    expect(isCellProblem(integerCell(cell))).toBe(true);
  });
});
