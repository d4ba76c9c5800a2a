/**
 * Checks and shapes the inputs of a batch write by id or unique property (update, upsert) of any
 * object type before they are sent. HubSpot refuses a whole batch with a 400 when one input does
 * not match its schema (a number where a string is expected, a missing id), so such inputs are
 * failed on their own here instead.
 */
import type { ItemError } from '@bulk-clients/core';
import type { ObjectUpdateInput } from './types.js';

/**
 * The record an input names, as messages say it: `contact 512` or
 * `ticket with external_ref "EXT-1"`; `noun` is the type's record noun (see `recordNoun`).
 */
export function describeRecord(noun: string, id: string, idProperty: string | undefined): string {
  return idProperty !== undefined && idProperty !== 'hs_object_id'
    ? `${noun} with ${idProperty} "${id}"`
    : `${noun} ${id}`;
}

/** {@link describeRecord} for tickets. */
export function describeTicket(id: string, idProperty: string | undefined): string {
  return describeRecord('ticket', id, idProperty);
}

/**
 * Why `input` (number `index` of the run) cannot be sent, or `undefined` when it can. Property
 * values must be strings; an empty string is a deliberate "clear this value" and passes.
 * `idProperty` is the default that applies when the input names none.
 */
export function checkUpdateInput(
  input: unknown,
  index: number,
  idProperty: string | undefined,
  noun = 'ticket',
): ItemError | undefined {
  if (!isPlainObject(input)) {
    return invalid(
      undefined,
      `Input ${index} must be an object with \`id\` and \`properties\`, got ${kindOf(input)}`,
    );
  }
  const { id } = input;
  if (typeof id !== 'string' || id.trim() === '') {
    return invalid('id', `Input ${index}: \`id\` must be a non-empty string, got ${kindOf(id)}`);
  }
  const ownIdProperty = input.idProperty;
  if (ownIdProperty !== undefined && (typeof ownIdProperty !== 'string' || ownIdProperty === '')) {
    return invalid(
      'idProperty',
      `Input ${index} (${describeRecord(noun, id, undefined)}): \`idProperty\` must be a non-empty string, got ${kindOf(ownIdProperty)}`,
    );
  }
  // Built only for a message: every input of a run passes through here.
  const record = () => `Input ${index} (${describeRecord(noun, id, ownIdProperty ?? idProperty)})`;
  const { objectWriteTraceId } = input;
  if (objectWriteTraceId !== undefined && typeof objectWriteTraceId !== 'string') {
    return invalid(
      'objectWriteTraceId',
      `${record()}: \`objectWriteTraceId\` must be a string, got ${kindOf(objectWriteTraceId)}`,
    );
  }
  const { properties } = input;
  if (!isPlainObject(properties)) {
    return invalid(
      'properties',
      `${record()}: \`properties\` must be an object of strings, got ${kindOf(properties)}`,
    );
  }
  return checkProperties(properties, record);
}

/** {@link checkUpdateInput} for tickets. */
export function checkTicketUpdateInput(
  input: unknown,
  index: number,
  idProperty: string | undefined,
): ItemError | undefined {
  return checkUpdateInput(input, index, idProperty);
}

/**
 * Why the `properties` of an input (already known to be an object) cannot be sent: a value that
 * is not a string. `record` names the input in the message.
 */
export function checkProperties(
  properties: Record<string, unknown>,
  record: () => string,
): ItemError | undefined {
  for (const name of Object.keys(properties)) {
    const value = properties[name];
    if (typeof value !== 'string') {
      return invalid(
        `properties.${name}`,
        `${record()}: property "${name}" must be a string, got ${kindOf(value)} (HubSpot takes every value as a string; '' clears it)`,
      );
    }
  }
  return undefined;
}

/**
 * The input as it goes on the wire: only the fields HubSpot knows, with the run's default
 * `idProperty` applied. Call it on inputs that passed {@link checkTicketUpdateInput}.
 */
export function toWireInput(
  input: ObjectUpdateInput,
  idProperty: string | undefined,
): ObjectUpdateInput {
  const wire: ObjectUpdateInput = { id: input.id, properties: input.properties };
  const chosen = input.idProperty ?? idProperty;
  if (chosen !== undefined) wire.idProperty = chosen;
  if (input.objectWriteTraceId !== undefined) wire.objectWriteTraceId = input.objectWriteTraceId;
  return wire;
}

export function invalid(field: string | undefined, message: string): ItemError {
  return field === undefined
    ? { code: 'invalid_input', message }
    : { code: 'invalid_input', message, field };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a blank string';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}
