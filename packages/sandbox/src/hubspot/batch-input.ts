/**
 * Checks HubSpot makes on a batch as a whole before touching any record: the body has an
 * `inputs` array of objects, at most 100 of them, and no record named twice. Any failure refuses
 * the whole batch with a 400 `VALIDATION_ERROR`; nothing is written.
 */
import type { SandboxResponse, SimulatorContext } from '../types.js';
import { errorResponse } from './responses.js';

/** Most inputs one batch request accepts. */
export const MAX_BATCH_INPUTS = 100;
/** Most inputs of a batch read that asks for property history. */
export const MAX_BATCH_READ_WITH_HISTORY = 50;

export type BatchInputs =
  | { ok: true; body: Record<string, unknown>; inputs: Record<string, unknown>[] }
  | { ok: false; response: SandboxResponse };

export function readBatchInputs(
  ctx: SimulatorContext,
  body: unknown,
  limit = MAX_BATCH_INPUTS,
): BatchInputs {
  if (!isRecord(body) || !Array.isArray(body.inputs)) {
    return {
      ok: false,
      response: refuse(
        ctx,
        'Invalid input JSON: the body must be an object with an "inputs" array',
      ),
    };
  }
  const inputs = body.inputs as unknown[];
  const badIndex = inputs.findIndex((input) => !isRecord(input));
  if (badIndex !== -1) {
    return {
      ok: false,
      response: refuse(ctx, `Invalid input JSON: inputs[${badIndex}] must be an object`),
    };
  }
  if (inputs.length > limit) {
    const message = `Batch of ${inputs.length} inputs exceeds the limit of ${limit} inputs per request`;
    return { ok: false, response: refuse(ctx, message) };
  }
  return { ok: true, body, inputs: inputs as Record<string, unknown>[] };
}

/**
 * Refuses a batch that names the same record twice, as HubSpot does. Inputs are compared by
 * their `id` (and `idProperty`, since the same value may name different tickets under different
 * properties).
 */
export function refuseDuplicates(
  ctx: SimulatorContext,
  inputs: readonly Record<string, unknown>[],
  sharedIdProperty?: string,
): SandboxResponse | undefined {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const input of inputs) {
    if (typeof input.id !== 'string') continue;
    const idProperty = typeof input.idProperty === 'string' ? input.idProperty : sharedIdProperty;
    const key = `${idProperty ?? 'hs_object_id'}\u0000${input.id}`;
    if (seen.has(key)) duplicates.add(input.id);
    seen.add(key);
  }
  if (duplicates.size === 0) return undefined;
  const ids = [...duplicates];
  return refuse(
    ctx,
    `Duplicate IDs found in batch input: [${ids.join(', ')}]. IDs must be unique`,
    ids,
  );
}

function refuse(ctx: SimulatorContext, message: string, ids?: string[]): SandboxResponse {
  return errorResponse(ctx, 400, message, ids ? { context: { ids } } : {});
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
