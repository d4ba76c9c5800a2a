import type { Route, SimulatorContext } from '../types.js';
import { DEFAULT_READ_PROPERTIES, idPropertyProblem, readableProperties } from './properties.js';
import { errorResponse, MEDIA_TYPE, renderRecord } from './responses.js';
import { findRecord, type HubSpotState, storeOf } from './state.js';
import { describeRecord } from './write-checks.js';

/**
 * `GET /crm/v3/objects/tickets/{ticketId}`: one ticket with the listed properties (repeated
 * `properties=` parameters or one comma-separated value), or the default set. 404 when no
 * ticket matches.
 */
export function getTicketRoute(ctx: SimulatorContext, state: HubSpotState): Route {
  const store = storeOf(state, 'tickets');
  return {
    method: 'GET',
    path: '/crm/v3/objects/tickets/{ticketId}',
    handle(request) {
      const ticketId = request.params.ticketId ?? '';
      const idProperty = request.query.get('idProperty') ?? undefined;
      if (idProperty !== undefined) {
        const problem = idPropertyProblem(store.type, idProperty);
        if (problem) return errorResponse(ctx, 400, problem);
      }
      const archived = request.query.get('archived') === 'true';
      const ticket = findRecord(store, ticketId, idProperty, archived);
      if (!ticket) {
        return errorResponse(
          ctx,
          404,
          `No ${archived ? 'archived ' : ''}${describeRecord(store.type, ticketId, idProperty)} exists`,
        );
      }
      const asked = listParameter(request.query, 'properties');
      const names =
        asked.length > 0 ? readableProperties(store.type, asked) : [...DEFAULT_READ_PROPERTIES];
      return {
        status: 200,
        contentType: MEDIA_TYPE,
        body: renderRecord(store.type, ticket, names),
      };
    },
  };
}

/** Values of a list query parameter, repeated or comma-separated. */
function listParameter(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
