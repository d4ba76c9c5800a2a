/**
 * The frame of the endpoints whose inputs name an existing record (update, upsert): the batch
 * checks, the per-input `id`/`idProperty`/`properties` checks, and one 200/207 answer that lists
 * the ids naming no record in a single `OBJECT_NOT_FOUND` entry ahead of the other errors. Each
 * endpoint supplies only what it does with a checked input.
 */
import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs, refuseDuplicates } from './batch-input.js';
import { batchResponse, type StandardErrorBody, wholeBatchRefusal } from './responses.js';
import type { HubSpotState, ObjectStore } from './state.js';
import { isStore, type StoreResolver } from './store-resolver.js';
import { checkTargetedInput, describeRecord, notFoundError } from './write-checks.js';

/** An input that passed the checks, as the endpoint's write receives it. */
export interface TargetedInput {
  store: ObjectStore;
  id: string;
  idProperty: string | undefined;
  properties: Record<string, string>;
  /** The record as messages name it (`ticket 512`, `contact with email "a@b.c"`). */
  record: string;
  /** The input as sent. */
  input: Record<string, unknown>;
}

/** What became of one input: a record to list in `results`, an error, or no such record. */
export type TargetedOutcome =
  | { result: unknown }
  | { error: StandardErrorBody }
  | { notFound: true };

/** The outcome of an input whose `id` names no record. */
export const NOT_FOUND: TargetedOutcome = { notFound: true };

/** A `POST` route at `path` that writes each checked input with `write`. */
export function targetedBatchRoute(
  ctx: SimulatorContext,
  state: HubSpotState,
  path: string,
  resolve: StoreResolver,
  write: (target: TargetedInput) => TargetedOutcome,
): Route {
  return {
    method: 'POST',
    path,
    handle(request) {
      const requestedAt = ctx.now();
      const store = resolve(request);
      if (!isStore(store)) return store;
      const batch = readBatchInputs(ctx, request.body);
      if (!batch.ok) return batch.response;
      const duplicate = refuseDuplicates(ctx, batch.inputs);
      if (duplicate) return duplicate;

      const checked = batch.inputs.map((input, index) =>
        checkTargetedInput(store.type, input, index),
      );
      const failed = checked.flatMap((check) => (check.ok ? [] : check.problems));
      if (state.refuseWholeBatch && failed.length > 0) return wholeBatchRefusal(ctx, failed);

      const results: unknown[] = [];
      const errors: StandardErrorBody[] = [];
      const notFound: string[] = [];
      checked.forEach((target, index) => {
        if (!target.ok) {
          errors.push(target.error);
          return;
        }
        const { id, idProperty, properties } = target;
        const record = describeRecord(store.type, id, idProperty);
        const input = batch.inputs[index] as Record<string, unknown>;
        const outcome = write({ store, id, idProperty, properties, record, input });
        if ('result' in outcome) results.push(outcome.result);
        else if ('error' in outcome) errors.push(outcome.error);
        else notFound.push(id);
      });
      if (notFound.length > 0) errors.unshift(notFoundError(store.type, notFound));
      return batchResponse(ctx, requestedAt, results, errors, 200);
    },
  };
}
