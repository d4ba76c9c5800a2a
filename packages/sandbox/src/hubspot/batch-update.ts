import type { Route, SimulatorContext } from '../types.js';
import { renderRecord } from './responses.js';
import { applyProperties, findRecord, type HubSpotState, recordWrite } from './state.js';
import type { StoreResolver } from './store-resolver.js';
import { NOT_FOUND, targetedBatchRoute } from './targeted-batch.js';
import { traceIdOf, uniqueConflict } from './write-checks.js';

/**
 * `POST .../batch/update`: overwrites the given properties of each record, found by id or by
 * `idProperty` value. Failed inputs are reported per input (207); the others are written.
 */
export function batchUpdateRoute(
  ctx: SimulatorContext,
  state: HubSpotState,
  path: string,
  resolve: StoreResolver,
): Route {
  return targetedBatchRoute(ctx, state, path, resolve, (target) => {
    const { store, id, idProperty, properties, record, input } = target;
    const found = findRecord(store, id, idProperty);
    if (!found) return NOT_FOUND;
    const conflict = uniqueConflict(store, properties, record, [id], input, found.id);
    if (conflict) return { error: conflict };
    const at = ctx.now();
    const traceId = traceIdOf(input);
    applyProperties(found, properties, at);
    recordWrite(store, found.id, 'update', at, traceId);
    return { result: renderRecord(store.type, found, Object.keys(properties), traceId) };
  });
}
