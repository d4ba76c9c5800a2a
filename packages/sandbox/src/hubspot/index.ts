/**
 * The HubSpot CRM objects simulator: the batch endpoints of `specs/hubspot/openapi.yaml` for
 * every object type it knows (`object-types.ts`) at v3 and 2026-03, the ticket paths, and the
 * single ticket read, over seeded, deterministic records.
 *
 * Behaviour worth knowing:
 * - Tickets `1`..`tickets` (5,000 by default) are seeded, each with a unique `external_ref`
 *   (`EXT-000001`...) usable as `idProperty`; so are records `1`..`records` (100 by default) of
 *   every other type (contacts also have a unique `email`, the custom object `p_cars` /
 *   `2-12345` a unique `vin` and no `external_ref`).
 * - The ticket paths and the generic paths with `tickets` share one store.
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
import { fixedStore, type StoreResolver, storeFromPath } from './store-resolver.js';

export {
  CUSTOM_OBJECT_NAME,
  CUSTOM_OBJECT_TYPE_ID,
  externalRefOf,
  OBJECT_TYPES,
  type ObjectType,
} from './object-types.js';
export { EXTERNAL_REF, type PropertyDefinition, TICKET_PROPERTIES } from './properties.js';
export type {
  HubSpotState,
  ObjectStore,
  RecordOperation,
  RecordWrite,
  StoredRecord,
  StoredTicket,
  TicketOperation,
  TicketWrite,
} from './state.js';

/** The generic batch paths, one per API version, with `{objectType}` and `{operation}` left open. */
export const OBJECT_BATCH_PATHS = [
  '/crm/v3/objects/{objectType}/batch/',
  '/crm/objects/2026-03/{objectType}/batch/',
] as const;

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
  /**
   * How many records of every other object type (contacts, companies, deals, line items,
   * products, the custom object) to seed, with ids `"1"` to `String(records)`.
   * @default 100
   */
  records?: number;
  /**
   * Refuse a whole create, update or upsert batch with a 400 "Property values were not valid"
   * that names no input when any input fails validation, instead of a 207 failing only that
   * input. Also switchable at run time through `state.refuseWholeBatch`.
   * @default false
   */
  refuseWholeBatch?: boolean;
}

export function createHubSpotSimulator(
  ctx: SimulatorContext,
  options: HubSpotSimulatorOptions,
): VendorSimulator<HubSpotState> {
  const count = options.tickets ?? 5000;
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError(`Expected \`tickets\` to be a non-negative integer, got ${count}`);
  }
  const records = options.records ?? 100;
  if (!Number.isInteger(records) || records < 0) {
    throw new TypeError(`Expected \`records\` to be a non-negative integer, got ${records}`);
  }
  const state = seedState(ctx, count, records, options.refuseWholeBatch ?? false);
  const batchRoutes = (base: string, resolve: StoreResolver) => [
    batchUpdateRoute(ctx, state, `${base}update`, resolve),
    batchReadRoute(ctx, `${base}read`, resolve),
    batchCreateRoute(ctx, state, `${base}create`, resolve),
    batchUpsertRoute(ctx, state, `${base}upsert`, resolve),
    batchArchiveRoute(ctx, `${base}archive`, resolve),
  ];
  const error = (status: number, message: string, details?: ErrorDetails) =>
    status === 429
      ? rateLimitResponse(ctx, details?.rateLimitPolicy)
      : errorResponse(ctx, status, message, {
          errors: validationDetails(details?.validation ?? []),
        });

  return {
    name: 'hubspot',
    prefixes: ['/crm/v3/', '/crm/objects/'],
    mediaType: MEDIA_TYPE,
    routes: [
      ...batchRoutes('/crm/v3/objects/tickets/batch/', fixedStore(state, 'tickets')),
      ...OBJECT_BATCH_PATHS.flatMap((base) => batchRoutes(base, storeFromPath(ctx, state))),
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
