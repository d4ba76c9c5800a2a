/**
 * The per-input checks shared by create, update and upsert: the `id`/`idProperty` pair and the
 * property values, against the addressed type's catalogue. A failed check becomes one
 * `StandardError` naming that input; the other inputs of the batch are still written (unless
 * the whole batch is refused, see `refuseWholeBatch` in `state.ts`).
 */
import { isRecord } from './batch-input.js';
import type { ObjectType } from './object-types.js';
import { checkPropertyWrites, idPropertyProblem, type PropertyProblem } from './properties.js';
import { type StandardErrorBody, standardError } from './responses.js';
import { holderOf, type ObjectStore } from './state.js';

/** A record as messages name it: `ticket 512` or `ticket with external_ref "EXT-000042"`. */
export function describeRecord(
  type: ObjectType,
  id: string,
  idProperty: string | undefined,
): string {
  return idProperty && idProperty !== 'hs_object_id'
    ? `${type.singular} with ${idProperty} "${id}"`
    : `${type.singular} ${id}`;
}

/** A failed check: the per-input error, and the record-free problems for a whole-batch refusal. */
export interface FailedCheck {
  ok: false;
  error: StandardErrorBody;
  problems: { property: string; code?: PropertyProblem['code']; reason: string }[];
}

export type TargetCheck =
  | { ok: true; id: string; idProperty: string | undefined; properties: Record<string, string> }
  | FailedCheck;

/**
 * Reads `id`, `idProperty` and `properties` of an update or upsert input, checking the property
 * names and values (but not yet whether the record exists, nor unique-value conflicts).
 */
export function checkTargetedInput(
  type: ObjectType,
  input: Record<string, unknown>,
  index: number,
): TargetCheck {
  const trace = traceContext(input);
  if (typeof input.id !== 'string' || input.id === '') {
    const reason = `inputs[${index}].id must be a non-empty string`;
    return invalid(reason, [String(index)], [], trace, [{ property: 'id', reason }]);
  }
  const id = input.id;
  const idProperty = typeof input.idProperty === 'string' ? input.idProperty : undefined;
  if (idProperty !== undefined) {
    const problem = idPropertyProblem(type, idProperty);
    if (problem) {
      const message = `${problem} (${describeRecord(type, id, idProperty)})`;
      return invalid(message, [id], [], trace, [{ property: idProperty, reason: problem }]);
    }
  }
  const properties = checkProperties(type, input, describeRecord(type, id, idProperty), [id]);
  if (!properties.ok) return properties;
  return { ok: true, id, idProperty, properties: properties.values };
}

export type PropertiesCheck = { ok: true; values: Record<string, string> } | FailedCheck;

/** Checks the `properties` of one input; `ids` names the input in the error. */
export function checkProperties(
  type: ObjectType,
  input: Record<string, unknown>,
  record: string,
  ids: string[],
): PropertiesCheck {
  const trace = traceContext(input);
  if (!isRecord(input.properties)) {
    const reason = '"properties" must be an object of strings';
    return invalid(`${reason} (${record})`, ids, [], trace, [{ property: 'properties', reason }]);
  }
  const problems = checkPropertyWrites(type, input.properties, record);
  if (problems.length > 0) {
    const details = problems.map((p) => ({ message: p.message, code: p.code, in: p.property }));
    const message =
      problems.length === 1
        ? problems[0]!.message
        : `${problems.length} property values were not valid (${record})`;
    return invalid(message, ids, details, trace, problems);
  }
  return { ok: true, values: input.properties as Record<string, string> };
}

/**
 * A unique-value property (`external_ref`, `email`) set to a value another active record of the
 * type already holds. `exceptId` is the record being written, which may keep its own value.
 */
export function uniqueConflict(
  store: ObjectStore,
  properties: Record<string, string>,
  record: string,
  ids: string[],
  input: Record<string, unknown>,
  exceptId?: string,
): StandardErrorBody | undefined {
  for (const [name, value] of Object.entries(properties)) {
    if (!store.type.properties.get(name)?.unique) continue;
    const holder = holderOf(store, name, value, exceptId);
    if (holder) {
      const message = `Property "${name}" value "${value}" already belongs to ${store.type.singular} ${holder.id} (${record})`;
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
  problems: FailedCheck['problems'],
): FailedCheck {
  return {
    ok: false,
    error: standardError('VALIDATION_ERROR', message, ids, details, context),
    problems,
  };
}

/** HubSpot's error for inputs that name no active record; one entry lists them all. */
export function notFoundError(type: ObjectType, ids: string[]): StandardErrorBody {
  return standardError(
    'OBJECT_NOT_FOUND',
    `Could not get some ${type.label} objects, they may be deleted or not exist: ${ids.join(', ')}`,
    ids,
  );
}

/** The caller's `objectWriteTraceId` of an input, for the write log and the result. */
export function traceIdOf(input: Record<string, unknown>): string | undefined {
  return typeof input.objectWriteTraceId === 'string' ? input.objectWriteTraceId : undefined;
}
