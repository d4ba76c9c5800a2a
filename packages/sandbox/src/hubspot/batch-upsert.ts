import type { Route, SimulatorContext } from '../types.js';
import { renderRecord } from './responses.js';
import {
  applyProperties,
  createRecord,
  findRecord,
  type HubSpotState,
  recordWrite,
} from './state.js';
import type { StoreResolver } from './store-resolver.js';
import { NOT_FOUND, targetedBatchRoute } from './targeted-batch.js';
import { traceIdOf, uniqueConflict } from './write-checks.js';

/**
 * `POST .../batch/upsert`: updates the record whose `idProperty` holds `id`, or creates one
 * holding it. Without `idProperty` (or with `hs_object_id`), `id` is a record id and a missing
 * record is reported as not found: HubSpot cannot create a record with a chosen id.
 */
export function batchUpsertRoute(
  ctx: SimulatorContext,
  state: HubSpotState,
  path: string,
  resolve: StoreResolver,
): Route {
  return targetedBatchRoute(ctx, state, path, resolve, (target) => {
    const { store, id, idProperty, properties, record, input } = target;
    const existing = findRecord(store, id, idProperty);
    const byUniqueValue = idProperty !== undefined && idProperty !== 'hs_object_id';
    if (!existing && !byUniqueValue) return NOT_FOUND;
    // A new record takes the identifying value unless the input sets it itself.
    const values = existing || !idProperty ? properties : { [idProperty]: id, ...properties };
    const conflict = uniqueConflict(store, values, record, [id], input, existing?.id);
    if (conflict) return { error: conflict };
    const at = ctx.now();
    const traceId = traceIdOf(input);
    const saved = existing ?? createRecord(store, at);
    applyProperties(saved, values, at);
    recordWrite(store, saved.id, 'upsert', at, traceId);
    const rendered = renderRecord(store.type, saved, Object.keys(values), traceId);
    return { result: { ...rendered, new: !existing } };
  });
}
