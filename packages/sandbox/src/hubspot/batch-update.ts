import type { Route, SimulatorContext } from '../types.js';
import { readBatchInputs, refuseDuplicates } from './batch-input.js';
import { batchResponse, renderTicket, type StandardErrorBody } from './responses.js';
import { applyProperties, findTicket, type HubSpotState, recordWrite } from './state.js';
import {
  checkTargetedInput,
  describeRecord,
  notFoundError,
  traceIdOf,
  uniqueConflict,
} from './write-checks.js';

/**
 * `POST /crm/v3/objects/tickets/batch/update`: overwrites the given properties of each ticket,
 * found by id or by `idProperty` value. Failed inputs are reported per input (207); the others
 * are written.
 */
export function batchUpdateRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  return {
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/update',
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
        const ticket = findTicket(state, target.id, target.idProperty);
        if (!ticket) {
          notFound.push(target.id);
          return;
        }
        const record = describeRecord(target.id, target.idProperty);
        const conflict = uniqueConflict(
          state,
          target.properties,
          record,
          [target.id],
          input,
          ticket.id,
        );
        if (conflict) {
          errors.push(conflict);
          return;
        }
        const at = ctx.now();
        applyProperties(ticket, target.properties, at);
        recordWrite(state, ticket.id, 'update', at, traceIdOf(input));
        results.push(renderTicket(ticket, Object.keys(target.properties)));
      });
      if (notFound.length > 0) errors.unshift(notFoundError(notFound));
      return batchResponse(ctx, requestedAt, results, errors, 200);
    },
  };
}
