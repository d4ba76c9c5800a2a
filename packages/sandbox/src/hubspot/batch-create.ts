import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs } from './batch-input.js';
import {
  batchResponse,
  renderRecord,
  type StandardErrorBody,
  wholeBatchRefusal,
} from './responses.js';
import { applyProperties, createRecord, type HubSpotState, recordWrite } from './state.js';
import { isStore, type StoreResolver } from './store-resolver.js';
import { checkProperties, traceIdOf, uniqueConflict } from './write-checks.js';

/**
 * `POST .../batch/create`: creates one record per valid input (201), or reports the failed ones
 * (207). Creating is not idempotent: the same input sent twice creates two records. A create
 * input has no id yet, so the `context.ids` of its error is its position in `inputs` (`"0"` for
 * the first). Associations are checked by the spec but not stored.
 */
export function batchCreateRoute(
  ctx: SimulatorContext,
  state: HubSpotState,
  path: string,
  resolve: StoreResolver,
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

      const describe = (index: number) => `new ${store.type.singular} inputs[${index}]`;
      const checked = batch.inputs.map((input, index) =>
        checkProperties(store.type, input, describe(index), [String(index)]),
      );
      const failed = checked.flatMap((check) => (check.ok ? [] : check.problems));
      if (state.refuseWholeBatch && failed.length > 0) return wholeBatchRefusal(ctx, failed);

      const results: unknown[] = [];
      const errors: StandardErrorBody[] = [];
      checked.forEach((check, index) => {
        if (!check.ok) {
          errors.push(check.error);
          return;
        }
        const input = batch.inputs[index] as Record<string, unknown>;
        const conflict = uniqueConflict(
          store,
          check.values,
          describe(index),
          [String(index)],
          input,
        );
        if (conflict) {
          errors.push(conflict);
          return;
        }
        const at = ctx.now();
        const traceId = traceIdOf(input);
        const record = createRecord(store, at);
        applyProperties(record, check.values, at);
        recordWrite(store, record.id, 'create', at, traceId);
        results.push(renderRecord(store.type, record, Object.keys(check.values), traceId));
      });
      return batchResponse(ctx, requestedAt, results, errors, 201);
    },
  };
}
