import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs, refuseDuplicates } from './batch-input.js';
import { batchResponse, renderTicket, type StandardErrorBody } from './responses.js';
import {
  applyProperties,
  createTicket,
  findTicket,
  type HubSpotState,
  recordWrite,
} from './state.js';
import {
  checkTargetedInput,
  describeRecord,
  notFoundError,
  traceIdOf,
  uniqueConflict,
} from './write-checks.js';

/**
 * `POST /crm/v3/objects/tickets/batch/upsert`: updates the ticket whose `idProperty` holds `id`,
 * or creates one holding it. Without `idProperty` (or with `hs_object_id`), `id` is a ticket id
 * and a missing ticket is reported as not found: HubSpot cannot create a ticket with a chosen id.
 */
export function batchUpsertRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  return {
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/upsert',
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
        const existing = findTicket(state, id, idProperty);
        const byUniqueValue = idProperty !== undefined && idProperty !== 'hs_object_id';
        if (!existing && !byUniqueValue) {
          notFound.push(id);
          return;
        }
        // A new ticket takes the identifying value unless the input sets it itself.
        const written = existing || !idProperty ? properties : { [idProperty]: id, ...properties };
        const conflict = uniqueConflict(state, written, record, [id], input, existing?.id);
        if (conflict) {
          errors.push(conflict);
          return;
        }
        const at = ctx.now();
        const ticket = existing ?? createTicket(state, at);
        applyProperties(ticket, written, at);
        recordWrite(state, ticket.id, 'upsert', at, traceIdOf(input));
        results.push({ ...renderTicket(ticket, Object.keys(written)), new: !existing });
      });
      if (notFound.length > 0) errors.unshift(notFoundError(notFound));
      return batchResponse(ctx, requestedAt, results, errors, 200);
    },
  };
}
