import type { Route, SimulatorContext } from '../types.js';
import {
  MAX_BATCH_INPUTS,
  MAX_BATCH_READ_WITH_HISTORY,
  readBatchInputs,
  refuseDuplicates,
} from './batch-input.js';
import { idPropertyProblem, readableProperties } from './properties.js';
import { batchResponse, errorResponse, iso, renderRecord } from './responses.js';
import { findRecord, type StoredRecord } from './state.js';
import { isStore, type StoreResolver } from './store-resolver.js';
import { notFoundError } from './write-checks.js';

/**
 * `POST .../batch/read`: returns the records asked for with the listed properties. Unknown
 * property names are ignored, as HubSpot does; ids that match no record are one
 * `OBJECT_NOT_FOUND` entry of a 207. With `archived=true` it reads archived records only.
 */
export function batchReadRoute(ctx: SimulatorContext, path: string, resolve: StoreResolver): Route {
  return {
    method: 'POST',
    path,
    handle(request) {
      const requestedAt = ctx.now();
      const store = resolve(request);
      if (!isStore(store)) return store;
      const body = request.body as Record<string, unknown> | undefined;
      const withHistory = stringList(body?.propertiesWithHistory);
      const limit = withHistory.length > 0 ? MAX_BATCH_READ_WITH_HISTORY : MAX_BATCH_INPUTS;
      const batch = readBatchInputs(ctx, request.body, limit);
      if (!batch.ok) return batch.response;
      const idProperty =
        typeof batch.body.idProperty === 'string' ? batch.body.idProperty : undefined;
      if (idProperty !== undefined) {
        const problem = idPropertyProblem(store.type, idProperty);
        if (problem) return errorResponse(ctx, 400, problem);
      }
      const duplicate = refuseDuplicates(ctx, batch.inputs, idProperty);
      if (duplicate) return duplicate;

      const archived = request.query.get('archived') === 'true';
      const names = readableProperties(store.type, stringList(batch.body.properties));
      const historyNames = readableProperties(store.type, withHistory);
      const results: unknown[] = [];
      const notFound: string[] = [];
      for (const input of batch.inputs) {
        const id = typeof input.id === 'string' ? input.id : String(input.id);
        const record = findRecord(store, id, idProperty, archived);
        if (!record) {
          notFound.push(id);
          continue;
        }
        const rendered = renderRecord(store.type, record, [...names, ...historyNames]);
        if (historyNames.length > 0) rendered.propertiesWithHistory = history(record, historyNames);
        results.push(rendered);
      }
      const errors = notFound.length > 0 ? [notFoundError(store.type, notFound)] : [];
      return batchResponse(ctx, requestedAt, results, errors, 200);
    },
  };
}

/**
 * The simulator keeps no history of values: it reports the current value, set at the record's
 * last write, which is enough for a client to parse the shape.
 */
function history(record: StoredRecord, names: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    const value = record.properties[name];
    out[name] =
      value === undefined ? [] : [{ value, timestamp: iso(record.updatedAt), sourceType: 'API' }];
  }
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
