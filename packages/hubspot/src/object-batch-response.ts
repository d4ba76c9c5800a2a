/**
 * Maps HubSpot's answer to a batch write of any object type back to the inputs that were sent:
 * one `ItemResult` per input, in input order. Pure functions, so that the mapping can be tested
 * on its own against any answer HubSpot (or something in between) might give. `noun` names a
 * record of the type in messages (`ticket`, `contact`).
 */
import type { ItemError, ItemResult } from '@bulk-clients/core';
import { describeRecord } from './object-update-input.js';
import type { BatchItemError, CrmObject, ObjectUpdateInput } from './types.js';

/** A 2xx answer that is not a batch response at all: whether its inputs were written is unknown. */
export class InvalidBatchResponseError extends Error {
  override readonly name = 'InvalidBatchResponseError';
  readonly code = 'invalid_response';
  constructor(
    message: string,
    /** The body as it was received. */
    readonly body: unknown,
  ) {
    super(message);
  }
}

/**
 * Maps a 200 or 207 answer of a batch update or upsert to one result per sent input, in order:
 * - an input named in `errors[].context.ids` is `failed` with that error: its category as
 *   `code`, HubSpot's message (naming the record), the field it blames, the HTTP status, and the
 *   raw error entry in `vendor`;
 * - an input matched to an entry of `results` is `succeeded` with that record. Inputs by record
 *   id match the result of the same id; inputs by `idProperty` match the result holding that
 *   value, else the next unclaimed result whose properties agree with what the input wrote
 *   (HubSpot answers with its own record id, and merged records answer with the primary id);
 * - an input neither named nor matched (the answer is incomplete) is `resend`: updates are
 *   idempotent, so it is sent again in a new batch to learn its fate.
 *
 * Inputs are expected to carry distinct ids, as the batch update sends them; an error naming an
 * id fails every input with that id.
 *
 * @throws InvalidBatchResponseError when `body` has no `results` array or a non-array `errors`.
 */
export function mapObjectBatchResponse<R extends CrmObject = CrmObject>(
  inputs: readonly ObjectUpdateInput[],
  body: unknown,
  status: number,
  noun = 'ticket',
): ItemResult<R>[] {
  if (!isRecord(body) || !Array.isArray(body.results)) {
    throw new InvalidBatchResponseError(
      `HubSpot answered ${status} without a \`results\` array`,
      body,
    );
  }
  if (body.errors !== undefined && body.errors !== null && !Array.isArray(body.errors)) {
    throw new InvalidBatchResponseError(
      `HubSpot answered ${status} with \`errors\` that is not an array`,
      body,
    );
  }
  const errors = (body.errors ?? []) as unknown[];
  if (errors.length === 0) {
    const inOrder = resultsInInputOrder<R>(inputs, body.results as unknown[]);
    if (inOrder) return inOrder;
  }
  const results: (ItemResult<R> | undefined)[] = new Array(inputs.length).fill(undefined);
  const positionsById = errors.length > 0 ? positionsOf(inputs) : undefined;
  for (const entry of errors) {
    for (const position of namedPositions(entry, positionsById!)) {
      if (results[position] !== undefined) continue;
      results[position] = {
        kind: 'failed',
        error: itemErrorOf(entry as BatchItemError, inputs[position]!, status, noun),
      };
    }
  }

  const records = (body.results as unknown[]).filter(isCrmObject) as R[];
  // Records already given to an input; filled as the first pass goes only when some result ids
  // repeat, and from that pass's results when a later pass needs it.
  const claimed = new Set<R>();
  const assign = (position: number, record: R) => {
    claimed.add(record);
    results[position] = { kind: 'succeeded', value: record };
  };
  // By record id first (through an index: a batch of 100 would otherwise cost 5,000 comparisons),
  // then by the unique property value, then by agreement of what was written.
  const firstById = new Map<string, R>();
  let repeated = false;
  for (const record of records) {
    if (firstById.has(record.id)) repeated = true;
    else firstById.set(record.id, record);
  }
  let unmatched = false;
  for (let position = 0; position < inputs.length; position += 1) {
    const input = inputs[position]!;
    if (results[position] !== undefined) continue;
    if (usesIdProperty(input)) {
      unmatched = true;
      continue;
    }
    let record = firstById.get(input.id);
    if (!repeated) {
      // Result ids are unique: taking the record out of the index claims it.
      if (record) {
        firstById.delete(input.id);
        results[position] = { kind: 'succeeded', value: record };
      } else unmatched = true;
      continue;
    }
    // Two results with one id (an answer that repeats itself): take the next unclaimed one.
    if (record !== undefined && claimed.has(record)) {
      record = records.find((t) => !claimed.has(t) && t.id === input.id);
    }
    if (record) assign(position, record);
    else unmatched = true;
  }
  if (!unmatched) return results as ItemResult<R>[];
  if (!repeated) {
    for (const result of results) if (result?.kind === 'succeeded') claimed.add(result.value);
  }
  inputs.forEach((input, position) => {
    if (results[position] !== undefined || !usesIdProperty(input)) return;
    const property = input.idProperty!;
    const record = records.find((t) => !claimed.has(t) && propertyOf(t, property) === input.id);
    if (record) assign(position, record);
  });
  // A result carrying the id of an input belongs to that input, even when that input failed.
  const inputIds = new Set(inputs.map((input) => input.id));
  inputs.forEach((input, position) => {
    if (results[position] !== undefined) return;
    const record = records.find(
      (t) => !claimed.has(t) && !inputIds.has(t.id) && agrees(t, input.properties),
    );
    if (record) assign(position, record);
  });
  return results.map((result) => result ?? { kind: 'resend' });
}

/**
 * The results of a complete answer that lists one record per input, in input order and by the
 * inputs' record ids (as HubSpot usually answers), or `undefined` for any other answer. The
 * general matching gives the same results for such an answer; checking the order first spares
 * it an index of the batch.
 */
function resultsInInputOrder<R extends CrmObject>(
  inputs: readonly ObjectUpdateInput[],
  returned: readonly unknown[],
): ItemResult<R>[] | undefined {
  if (returned.length !== inputs.length) return undefined;
  const results: ItemResult<R>[] = new Array(inputs.length);
  for (let position = 0; position < inputs.length; position += 1) {
    const input = inputs[position]!;
    const record = returned[position];
    if (usesIdProperty(input) || !isCrmObject(record) || record.id !== input.id) return undefined;
    results[position] = { kind: 'succeeded', value: record as R };
  }
  return results;
}

/**
 * Maps a 400 that refused the whole batch. When the error names some of the sent inputs in
 * `context.ids` (HubSpot applies none of a refused batch), those fail with the error and the
 * others are `resend`. Returns `undefined` when it names none: the refusal is then about the
 * batch as a whole and every input fails with it.
 */
export function mapObjectBatchRejection<R extends CrmObject = CrmObject>(
  inputs: readonly ObjectUpdateInput[],
  body: unknown,
  status: number,
  noun = 'ticket',
): ItemResult<R>[] | undefined {
  const named = new Set(namedPositions(body, positionsOf(inputs)));
  if (named.size === 0) return undefined;
  return inputs.map((input, position) =>
    named.has(position)
      ? { kind: 'failed', error: itemErrorOf(body as BatchItemError, input, status, noun) }
      : { kind: 'resend' },
  );
}

/** The per-input error for `input` from one of HubSpot's error entries. */
export function itemErrorOf(
  entry: Partial<BatchItemError>,
  input: Pick<ObjectUpdateInput, 'id' | 'idProperty' | 'properties'>,
  status: number,
  noun = 'ticket',
  /** How the message names the input when HubSpot's does not; by default its noun and id. */
  record?: string,
): ItemError {
  const vendorMessage =
    typeof entry.message === 'string' && entry.message !== '' ? entry.message : undefined;
  let message = vendorMessage ?? `HubSpot refused the input without a message`;
  if (record !== undefined) {
    if (!message.includes(record)) message = `${message} (${record})`;
  } else if (!message.includes(input.id)) {
    message = `${message} (${describeRecord(noun, input.id, input.idProperty)})`;
  }
  const blamed = Array.isArray(entry.errors)
    ? entry.errors.find((detail) => typeof detail?.in === 'string' && detail.in !== '')?.in
    : undefined;
  const field =
    blamed !== undefined && isRecord(input.properties) && Object.hasOwn(input.properties, blamed)
      ? `properties.${blamed}`
      : blamed;
  const code =
    typeof entry.category === 'string' && entry.category !== '' ? entry.category : 'vendor_error';
  return {
    code,
    message,
    ...(field !== undefined ? { field } : {}),
    status,
    vendor: entry,
    ...(DEFINITE_CATEGORIES.has(code) ? { definite: true } : {}),
  };
}

/**
 * Refusals HubSpot gives the same input every time: a missing record or a bad value was refused
 * by any earlier attempt too, so that attempt (even one whose answer was lost) wrote nothing.
 */
const DEFINITE_CATEGORIES: ReadonlySet<string> = new Set(['OBJECT_NOT_FOUND', 'VALIDATION_ERROR']);

function positionsOf(inputs: readonly Pick<ObjectUpdateInput, 'id'>[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  inputs.forEach((input, position) => {
    const list = positions.get(input.id);
    if (list) list.push(position);
    else positions.set(input.id, [position]);
  });
  return positions;
}

/** Positions of the inputs an error entry names in `context.ids`. */
export function namedPositions(entry: unknown, positionsById: Map<string, number[]>): number[] {
  if (!isRecord(entry) || !isRecord(entry.context)) return [];
  const ids = entry.context.ids;
  if (!Array.isArray(ids)) return [];
  const named: number[] = [];
  for (const id of ids) {
    if (typeof id !== 'string') continue;
    for (const position of positionsById.get(id) ?? []) named.push(position);
  }
  return named;
}

function usesIdProperty(input: ObjectUpdateInput): boolean {
  return input.idProperty !== undefined && input.idProperty !== 'hs_object_id';
}

/** Whether a returned record shows no value contradicting what the input wrote. */
function agrees(record: CrmObject, written: Record<string, string>): boolean {
  const returned = record.properties;
  if (!isRecord(returned)) return true;
  for (const [name, value] of Object.entries(written)) {
    if (!Object.hasOwn(returned, name)) continue;
    const got = returned[name];
    const cleared = value === '' && (got === null || got === '' || got === undefined);
    if (!cleared && got !== value) return false;
  }
  return true;
}

function propertyOf(record: CrmObject, name: string): unknown {
  const properties: unknown = record.properties;
  return isRecord(properties) && Object.hasOwn(properties, name) ? properties[name] : undefined;
}

function isCrmObject(value: unknown): value is CrmObject {
  return isRecord(value) && typeof value.id === 'string';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** {@link mapObjectBatchResponse} for tickets. */
export const mapTicketBatchResponse = mapObjectBatchResponse;
/** {@link mapObjectBatchRejection} for tickets. */
export const mapTicketBatchRejection = mapObjectBatchRejection;
