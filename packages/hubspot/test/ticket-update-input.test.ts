import { describe, expect, it } from 'vitest';
import { checkTicketUpdateInput, toWireInput } from '../src/internal.js';

describe('checkTicketUpdateInput', () => {
  it.each([
    ['a ticket id and string values', { id: '512', properties: { subject: 'x' } }],
    ['an empty string, which clears a value', { id: '512', properties: { content: '' } }],
    ['no properties at all', { id: '512', properties: {} }],
    [
      'a unique property and a trace id',
      { id: 'EXT-1', idProperty: 'external_ref', objectWriteTraceId: 'row-1', properties: {} },
    ],
  ])('accepts %s', (_, input) => {
    expect(checkTicketUpdateInput(input, 0, undefined)).toBeUndefined();
  });

  it.each([
    [
      'a number value',
      { id: '512', properties: { subject: 'ok', hs_ticket_priority: 3 } },
      'properties.hs_ticket_priority',
      'Input 7 (ticket 512): property "hs_ticket_priority" must be a string, got number 3',
    ],
    [
      'a null value',
      { id: 'EXT-1', idProperty: 'external_ref', properties: { content: null } },
      'properties.content',
      'Input 7 (ticket with external_ref "EXT-1"): property "content" must be a string, got null',
    ],
    [
      'a boolean value',
      { id: '512', properties: { flag: true } },
      'properties.flag',
      'property "flag" must be a string, got boolean true',
    ],
    ['a numeric id', { id: 512, properties: {} }, 'id', 'Input 7: `id` must be a non-empty string'],
    ['an empty id', { id: '', properties: {} }, 'id', 'got an empty string'],
    ['a blank id', { id: '  ', properties: {} }, 'id', 'got a blank string'],
    ['missing properties', { id: '512' }, 'properties', 'Input 7 (ticket 512): `properties`'],
    ['array properties', { id: '512', properties: [] }, 'properties', 'got an array'],
    ['an empty idProperty', { id: '512', idProperty: '', properties: {} }, 'idProperty', 'empty'],
    [
      'a numeric trace id',
      { id: '512', objectWriteTraceId: 4, properties: {} },
      'objectWriteTraceId',
      'must be a string, got number 4',
    ],
    ['a string input', 'ticket 512', undefined, 'Input 7 must be an object'],
    ['null', null, undefined, 'got null'],
  ])('refuses %s, naming the field and the record', (_, input, field, message) => {
    const error = checkTicketUpdateInput(input, 7, undefined);
    expect(error?.code).toBe('invalid_input');
    if (field === undefined) expect(error).not.toHaveProperty('field');
    else expect(error?.field).toBe(field);
    expect(error?.message).toContain(message);
  });

  it('names the record by the run-wide idProperty', () => {
    const error = checkTicketUpdateInput({ id: 'EXT-9', properties: { a: 1 } }, 3, 'external_ref');
    expect(error?.message).toContain('Input 3 (ticket with external_ref "EXT-9")');
  });
});

describe('toWireInput', () => {
  it('keeps only the fields HubSpot knows and applies the default idProperty', () => {
    const input = { id: 'EXT-1', properties: { subject: 'x' }, note: 'local only' };
    expect(toWireInput(input, 'external_ref')).toEqual({
      id: 'EXT-1',
      idProperty: 'external_ref',
      properties: { subject: 'x' },
    });
  });

  it('prefers the idProperty of the input', () => {
    const input = { id: '5', idProperty: 'hs_object_id', objectWriteTraceId: 't', properties: {} };
    expect(toWireInput(input, 'external_ref')).toEqual(input);
  });
});
