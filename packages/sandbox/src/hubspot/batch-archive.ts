import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs, refuseDuplicates } from './batch-input.js';
import { MEDIA_TYPE } from './responses.js';
import { recordWrite } from './state.js';
import { isStore, type StoreResolver } from './store-resolver.js';

/**
 * `POST .../batch/archive`: archives the active records among the ids and ignores the rest
 * (missing or already archived), so a repeated call is harmless: 204 either way.
 */
export function batchArchiveRoute(
  ctx: SimulatorContext,
  path: string,
  resolve: StoreResolver,
): Route {
  return {
    method: 'POST',
    path,
    handle(request) {
      const store = resolve(request);
      if (!isStore(store)) return store;
      const batch = readBatchInputs(ctx, request.body);
      if (!batch.ok) return batch.response;
      const duplicate = refuseDuplicates(ctx, batch.inputs);
      if (duplicate) return duplicate;
      const at = ctx.now();
      for (const input of batch.inputs) {
        const record = typeof input.id === 'string' ? store.records.get(input.id) : undefined;
        if (!record || record.archived) continue;
        record.archived = true;
        record.archivedAt = at;
        recordWrite(store, record.id, 'archive', at);
      }
      return { status: 204, contentType: MEDIA_TYPE };
    },
  };
}
