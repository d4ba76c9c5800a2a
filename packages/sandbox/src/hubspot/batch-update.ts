import type { Route, SimulatorContext } from '../types.js';
import { renderTicket } from './responses.js';
import { applyProperties, findTicket, type HubSpotState, recordWrite } from './state.js';
import { NOT_FOUND, targetedBatchRoute } from './targeted-batch.js';
import { traceIdOf, uniqueConflict } from './write-checks.js';

/**
 * `POST /crm/v3/objects/tickets/batch/update`: overwrites the given properties of each ticket,
 * found by id or by `idProperty` value. Failed inputs are reported per input (207); the others
 * are written.
 */
export function batchUpdateRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  return targetedBatchRoute(
    ctx,
    '/crm/v3/objects/tickets/batch/update',
    ({ id, idProperty, properties, record, input }) => {
      const ticket = findTicket(state, id, idProperty);
      if (!ticket) return NOT_FOUND;
      const conflict = uniqueConflict(state, properties, record, [id], input, ticket.id);
      if (conflict) return { error: conflict };
      const at = ctx.now();
      applyProperties(ticket, properties, at);
      recordWrite(state, ticket.id, 'update', at, traceIdOf(input));
      return { result: renderTicket(ticket, Object.keys(properties)) };
    },
  );
}
