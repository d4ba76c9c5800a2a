/**
 * The per-input checks shared by create, update and upsert: the `id`/`idProperty` pair and the
 * property values. A failed check becomes one `StandardError` naming that input; the other
 * inputs of the batch are still written.
 */
import { isRecord } from './batch-input.js';
import { checkPropertyWrites, idPropertyProblem, TICKET_PROPERTIES } from './properties.js';
import { type StandardErrorBody, standardError } from './responses.js';
import { type HubSpotState, holderOf } from './state.js';

/** A record as messages name it: `ticket 512` or `ticket with external_ref "EXT-000042"`. */
export function describeRecord(id: string, idProperty: string | undefined): string {
  return idProperty && idProperty !== 'hs_object_id'
    ? `ticket with ${idProperty} "${id}"`
    : `ticket ${id}`;
}

export type TargetCheck =
  | { ok: true; id: string; idProperty: string | undefined; properties: Record<string, string> }
  | { ok: false; error: StandardErrorBody };

/**
 * Reads `id`, `idProperty` and `properties` of an update or upsert input, checking the property
 * names and values (but not yet whether the ticket exists, nor unique-value conflicts).
 */
export function checkTargetedInput(input: Record<string, unknown>, index: number): TargetCheck {
  const trace = traceContext(input);
  if (typeof input.id !== 'string' || input.id === '') {
    return invalid(`inputs[${index}].id must be a non-empty string`, [String(index)], [], trace);
  }
  const id = input.id;
  const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
  if (idProperty !== undefined) {
    const problem = idPropertyProblem(idProperty);
    if (problem) return invalid(`${problem} (${describeRecord(id, idProperty)})`, [id], [], trace);
  }
  const properties = checkProperties(input, describeRecord(id, idProperty), [id]);
  if (!properties.ok) return properties;
  return { ok: true, id, idProperty, properties: properties.values };
}

export type PropertiesCheck =
  | { ok: true; values: Record<string, string> }
  | { ok: false; error: StandardErrorBody };

/** Checks the `properties` of one input; `ids` names the input in the error. */
export function checkProperties(
  input: Record<string, unknown>,
  record: string,
  ids: string[],
): PropertiesCheck {
  const trace = traceContext(input);
  if (!isRecord(input.properties)) {
    return invalid(`"properties" must be an object of strings (${record})`, ids, [], trace);
  }
  const problems = checkPropertyWrites(input.properties, record);
  if (problems.length > 0) {
    const details = problems.map((p) => ({ message: p.message, code: p.code, in: p.property }));
    const message =
      problems.length === 1
        ? problems[0]!.message
        : `${problems.length} property values were not valid (${record})`;
    return invalid(message, ids, details, trace);
  }
  return { ok: true, values: input.properties as Record<string, string> };
}

/**
 * A unique-value property (`external_ref`) set to a value another active ticket already holds.
 * `exceptId` is the ticket being written, which may keep its own value.
 */
export function uniqueConflict(
  state: HubSpotState,
  properties: Record<string, string>,
  record: string,
  ids: string[],
  input: Record<string, unknown>,
  exceptId?: string,
): StandardErrorBody | undefined {
  for (const [name, value] of Object.entries(properties)) {
    if (!TICKET_PROPERTIES.get(name)?.unique) continue;
    const holder = holderOf(state, name, value, exceptId);
    if (holder) {
      const message = `Property "${name}" value "${value}" already belongs to ticket ${holder.id} (${record})`;
      const detail = { message, code: 'VALUE_NOT_UNIQUE', in: name };
      return standardError('CONFLICT', message, ids, [detail], traceContext(input));
    }
  }
  return undefined;
}

/** `objectWriteTraceId` of an input as error context, so a caller can find its source row. */
export function traceContext(input: Record<string, unknown>): Record<string, string[]> {
  return typeof input.objectWriteTraceId === 'string'
    ? { objectWriteTraceId: [input.objectWriteTraceId] }
    : {};
}

function invalid(
  message: string,
  ids: string[],
  details: { message: string; code?: string; in?: string }[],
  context: Record<string, string[]>,
): { ok: false; error: StandardErrorBody } {
  return { ok: false, error: standardError('VALIDATION_ERROR', message, ids, details, context) };
}

/** HubSpot's error for inputs that name no active ticket; one entry lists them all. */
export function notFoundError(ids: string[]): StandardErrorBody {
  return standardError(
    'OBJECT_NOT_FOUND',
    `Could not get some TICKET objects, they may be deleted or not exist: ${ids.join(', ')}`,
    ids,
  );
}

/** The caller's `objectWriteTraceId` of an input, for the write log. */
export function traceIdOf(input: Record<string, unknown>): string | undefined {
  return typeof input.objectWriteTraceId === 'string' ? input.objectWriteTraceId : undefined;
}
