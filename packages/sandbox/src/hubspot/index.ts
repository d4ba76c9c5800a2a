/**
 * The HubSpot CRM v3 tickets simulator: the batch endpoints and the single read of
 * `specs/hubspot/openapi.yaml`, over seeded, deterministic tickets.
 *
 * Behaviour worth knowing:
 * - Tickets `1`..`tickets` (5,000 by default) are seeded, each with a unique `external_ref`
 *   (`EXT-000001`...) usable as `idProperty`.
 * - A batch over 100 inputs, or naming one record twice, is refused whole with a 400.
 * - Unknown ids, unknown or read-only properties, bad enumeration values and unique-value
 *   conflicts fail only their input: a 207 lists them in `errors` (`context.ids` names them);
 *   when every input fails the answer is still a 207, with empty `results`.
 */
import type {
  ErrorDetails,
  RateLimitState,
  SandboxRequest,
  SandboxResponse,
  SimulatorContext,
  SimulatorOptions,
  ValidationProblem,
  VendorRateLimitPolicy,
  VendorSimulator,
} from '../types.js';
import { batchArchiveRoute } from './batch-archive.js';
import { batchCreateRoute } from './batch-create.js';
import { batchReadRoute } from './batch-read.js';
import { batchUpdateRoute } from './batch-update.js';
import { batchUpsertRoute } from './batch-upsert.js';
import { getTicketRoute } from './get-ticket.js';
import { errorResponse, MEDIA_TYPE, rateLimitResponse, validationDetails } from './responses.js';
import { type HubSpotState, seedState } from './state.js';

export { EXTERNAL_REF, TICKET_PROPERTIES } from './properties.js';
export {
  externalRefOf,
  type HubSpotState,
  type StoredTicket,
  type TicketOperation,
  type TicketWrite,
} from './state.js';

/**
 * HubSpot's documented limits: a rolling 10-second window per app (`TEN_SECONDLY_ROLLING`), its
 * `X-HubSpot-RateLimit-*` headers on every answer, and no `Retry-After`.
 */
export const HUBSPOT_RATE_LIMIT_POLICY: VendorRateLimitPolicy = {
  mode: 'rolling',
  retryAfter: false,
  everyResponse: true,
};

/** Options of {@link createHubSpotSimulator}. */
export interface HubSpotSimulatorOptions extends SimulatorOptions {
  /**
   * How many tickets to seed, with ids `"1"` to `String(tickets)`.
   * @default 5000
   */
  tickets?: number;
}

export function createHubSpotSimulator(
  ctx: SimulatorContext,
  options: HubSpotSimulatorOptions,
): VendorSimulator<HubSpotState> {
  const count = options.tickets ?? 5000;
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError(`Expected \`tickets\` to be a non-negative integer, got ${count}`);
  }
  const state = seedState(ctx, count);
  const error = (status: number, message: string, details?: ErrorDetails) =>
    status === 429
      ? rateLimitResponse(ctx, details?.rateLimitPolicy)
      : errorResponse(ctx, status, message, {
          errors: validationDetails(details?.validation ?? []),
        });

  return {
    name: 'hubspot',
    prefixes: ['/crm/v3/'],
    mediaType: MEDIA_TYPE,
    routes: [
      batchUpdateRoute(ctx, state),
      batchReadRoute(ctx, state),
      batchCreateRoute(ctx, state),
      batchUpsertRoute(ctx, state),
      batchArchiveRoute(ctx, state),
      getTicketRoute(ctx, state),
    ],
    state,
    authorize(request: SandboxRequest): SandboxResponse | undefined {
      state.requestsToday += 1;
      if (request.token === undefined) {
        return errorResponse(
          ctx,
          401,
          'Authentication credentials not found. Send a private app or OAuth access token as a Bearer token.',
        );
      }
      if (request.token !== options.token) {
        return errorResponse(
          ctx,
          401,
          'The access token used to make this call is expired or not valid.',
        );
      }
      return undefined;
    },
    error,
    invalid(problems: ValidationProblem[]): SandboxResponse {
      const first = problems[0];
      const summary = first
        ? `${first.pointer || '/'} ${first.message}`
        : 'the request does not match the API';
      return error(400, `Invalid input JSON: ${summary}`, { validation: problems });
    },
    rateLimitHeaders: hubSpotRateLimitHeaders,
    rateLimitPolicy: HUBSPOT_RATE_LIMIT_POLICY,
  };
}

/** The `X-HubSpot-RateLimit-*` headers of the limits that apply (daily ones only with a daily limit). */
export function hubSpotRateLimitHeaders(state: RateLimitState): Record<string, string> {
  const headers: Record<string, string> = {};
  const { window, secondly, daily } = state;
  if (window) {
    headers['X-HubSpot-RateLimit-Max'] = String(window.limit);
    headers['X-HubSpot-RateLimit-Remaining'] = String(Math.max(0, window.remaining));
    headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(window.windowMs);
  }
  if (secondly) {
    headers['X-HubSpot-RateLimit-Secondly'] = String(secondly.limit);
    headers['X-HubSpot-RateLimit-Secondly-Remaining'] = String(Math.max(0, secondly.remaining));
  }
  if (daily) {
    headers['X-HubSpot-RateLimit-Daily'] = String(daily.limit);
    headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, daily.remaining));
  }
  return headers;
}
