import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs, refuseDuplicates } from './batch-input.js';
import { MEDIA_TYPE } from './responses.js';
import type { HubSpotState } from './state.js';
import { recordWrite } from './state.js';

/**
 * `POST /crm/v3/objects/tickets/batch/archive`: archives the active tickets among the ids and
 * ignores the rest (missing or already archived), so a repeated call is harmless: 204 either way.
 */
export function batchArchiveRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  return {
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/archive',
    handle(request) {
      const batch = readBatchInputs(ctx, request.body);
      if (!batch.ok) return batch.response;
      const duplicate = refuseDuplicates(ctx, batch.inputs);
      if (duplicate) return duplicate;
      const at = ctx.now();
      for (const input of batch.inputs) {
        const ticket = typeof input.id === 'string' ? state.tickets.get(input.id) : undefined;
        if (!ticket || ticket.archived) continue;
        ticket.archived = true;
        ticket.archivedAt = at;
        recordWrite(state, ticket.id, 'archive', at);
      }
      return { status: 204, contentType: MEDIA_TYPE };
    },
  };
}
