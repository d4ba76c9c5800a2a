import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs } from './batch-input.js';
import { batchResponse, renderTicket, type StandardErrorBody } from './responses.js';
import { applyProperties, createTicket, type HubSpotState, recordWrite } from './state.js';
import { checkProperties, traceIdOf, uniqueConflict } from './write-checks.js';

/**
 * `POST /crm/v3/objects/tickets/batch/create`: creates one ticket per valid input (201), or
 * reports the failed ones (207). A create input has no id yet, so the `context.ids` of its error
 * is its position in `inputs` (`"0"` for the first). Associations are checked by the spec but
 * not stored.
 */
export function batchCreateRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  return {
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/create',
    handle(request) {
      const requestedAt = ctx.now();
      const batch = readBatchInputs(ctx, request.body);
      if (!batch.ok) return batch.response;

      const results: unknown[] = [];
      const errors: StandardErrorBody[] = [];
      batch.inputs.forEach((input, index) => {
        const record = `new ticket inputs[${index}]`;
        const ids = [String(index)];
        const checked = checkProperties(input, record, ids);
        if (!checked.ok) {
          errors.push(checked.error);
          return;
        }
        const conflict = uniqueConflict(state, checked.values, record, ids, input);
        if (conflict) {
          errors.push(conflict);
          return;
        }
        const at = ctx.now();
        const ticket = createTicket(state, at);
        applyProperties(ticket, checked.values, at);
        recordWrite(state, ticket.id, 'create', at, traceIdOf(input));
        results.push(renderTicket(ticket, Object.keys(checked.values)));
      });
      return batchResponse(ctx, requestedAt, results, errors, 201);
    },
  };
}
