import type { Route, SimulatorContext } from '../types.js';
import { renderTicket } from './responses.js';
import {
  applyProperties,
  createTicket,
  findTicket,
  type HubSpotState,
  recordWrite,
} from './state.js';
import { NOT_FOUND, targetedBatchRoute } from './targeted-batch.js';
import { traceIdOf, uniqueConflict } from './write-checks.js';

/**
 * `POST /crm/v3/objects/tickets/batch/upsert`: updates the ticket whose `idProperty` holds `id`,
 * or creates one holding it. Without `idProperty` (or with `hs_object_id`), `id` is a ticket id
 * and a missing ticket is reported as not found: HubSpot cannot create a ticket with a chosen id.
 */
export function batchUpsertRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  return targetedBatchRoute(
    ctx,
    '/crm/v3/objects/tickets/batch/upsert',
    ({ id, idProperty, properties, record, input }) => {
      const existing = findTicket(state, id, idProperty);
      const byUniqueValue = idProperty !== undefined && idProperty !== 'hs_object_id';
      if (!existing && !byUniqueValue) return NOT_FOUND;
      // A new ticket takes the identifying value unless the input sets it itself.
      const written = existing || !idProperty ? properties : { [idProperty]: id, ...properties };
      const conflict = uniqueConflict(state, written, record, [id], input, existing?.id);
      if (conflict) return { error: conflict };
      const at = ctx.now();
      const ticket = existing ?? createTicket(state, at);
      applyProperties(ticket, written, at);
      recordWrite(state, ticket.id, 'upsert', at, traceIdOf(input));
      return { result: { ...renderTicket(ticket, Object.keys(written)), new: !existing } };
    },
  );
}
