/**
 * The frame of the endpoints whose inputs name an existing ticket (update, upsert): the batch
 * checks, the per-input `id`/`idProperty`/`properties` checks, and one 200/207 answer that lists
 * the ids naming no ticket in a single `OBJECT_NOT_FOUND` entry ahead of the other errors. Each
 * endpoint supplies only what it does with a checked input.
 */
import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs, refuseDuplicates } from './batch-input.js';
import { batchResponse, type StandardErrorBody } from './responses.js';
import { checkTargetedInput, describeRecord, notFoundError } from './write-checks.js';

/** An input that passed the checks, as the endpoint's write receives it. */
export interface TargetedInput {
  id: string;
  idProperty: string | undefined;
  properties: Record<string, string>;
  /** The record as messages name it (`ticket 512`, `ticket with external_ref "EXT-1"`). */
  record: string;
  /** The input as sent. */
  input: Record<string, unknown>;
}

/** What became of one input: a ticket to list in `results`, an error, or no such ticket. */
export type TargetedOutcome =
  | { result: unknown }
  | { error: StandardErrorBody }
  | { notFound: true };

/** The outcome of an input whose `id` names no ticket. */
export const NOT_FOUND: TargetedOutcome = { notFound: true };

/** A `POST` route at `path` that writes each checked input with `write`. */
export function targetedBatchRoute(
  ctx: SimulatorContext,
  path: string,
  write: (target: TargetedInput) => TargetedOutcome,
): Route {
  return {
    method: 'POST',
    path,
    handle(request) {
      const requestedAt = ctx.now();
      const batch = readBatchInputs(ctx, request.body);
      if (!batch.ok) return batch.response;
      const duplicate = refuseDuplicates(ctx, batch.inputs);
      if (duplicate) return duplicate;

      const results: unknown[] = [];
      const errors: StandardErrorBody[] = [];
      const notFound: string[] = [];
      batch.inputs.forEach((input, index) => {
        const target = checkTargetedInput(input, index);
        if (!target.ok) {
          errors.push(target.error);
          return;
        }
        const { id, idProperty, properties } = target;
        const record = describeRecord(id, idProperty);
        const outcome = write({ id, idProperty, properties, record, input });
        if ('result' in outcome) results.push(outcome.result);
        else if ('error' in outcome) errors.push(outcome.error);
        else notFound.push(id);
      });
      if (notFound.length > 0) errors.unshift(notFoundError(notFound));
      return batchResponse(ctx, requestedAt, results, errors, 200);
    },
  };
}
