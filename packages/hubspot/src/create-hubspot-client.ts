import {
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  rateLimiterOf,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import { checkApiVersion } from './api-version.js';
import {
  hubSpotDefaults,
  isDailyRefusal,
  rateLimitHeaders,
  retryAfterFromHeaders,
} from './defaults.js';
import type { paths } from './generated/schema.js';
import { objectsClient } from './objects-client.js';
import { ticketsBatchUpdate } from './tickets-batch-update.js';
import { ticketsBatchUpsert } from './tickets-batch-upsert.js';
import type {
  HubSpotClient,
  HubSpotClientOptions,
  ObjectType,
  TicketsBatchUpdateOptions,
  TicketsBatchUpsertOptions,
  TicketUpdateInput,
  TicketUpsertInput,
} from './types.js';

/**
 * Creates a client for HubSpot's CRM batch endpoints: tickets (`client.tickets`) and every object
 * type at v3 or 2026-03 (`client.objects(type)`). Every request carries the bearer token
 * and passes through the client's rate limiter (`client.limiter`), which follows the budget
 * HubSpot states in its rate-limit headers and pauses on a 429 for the window they report.
 *
 * @example
 * const hubspot = createHubSpotClient({ token: process.env.HUBSPOT_TOKEN! });
 * const result = await hubspot.api.POST('/crm/v3/objects/tickets/batch/update', {
 *   body: { inputs: [{ id: '512', properties: { hs_pipeline_stage: '2' } }] },
 * });
 * const batch = unwrap(result);
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const apiVersion = checkApiVersion(options?.apiVersion ?? 'v3');
  const api = createApiClient<paths>(options, {
    name: 'HubSpot',
    defaultBaseUrl: hubSpotDefaults.baseUrl,
    mediaType: hubSpotDefaults.mediaType,
    rateLimit: hubSpotDefaults.rateLimit,
    retryAfter: retryAfterFromHeaders,
    rateLimitHeaders,
    isDailyRefusal,
  });
  const client: HubSpotClient = Object.freeze({
    api,
    // The form createApiClient sends requests to (it has already validated the URL).
    baseUrl: normalizeBaseUrl(options.baseUrl ?? hubSpotDefaults.baseUrl),
    limiter: rateLimiterOf(api),
    tickets: Object.freeze({
      batchUpdate: (
        inputs: Iterable<TicketUpdateInput> | AsyncIterable<TicketUpdateInput>,
        bulkOptions?: TicketsBatchUpdateOptions,
      ) => ticketsBatchUpdate(client, inputs, bulkOptions),
      batchUpsert: (
        inputs: Iterable<TicketUpsertInput> | AsyncIterable<TicketUpsertInput>,
        bulkOptions?: TicketsBatchUpsertOptions,
      ) => ticketsBatchUpsert(client, inputs, bulkOptions),
    }),
    apiVersion,
    objects: (objectType: ObjectType) => objectsClient(client, apiVersion, objectType),
  });
  return client;
}

/**
 * Returns the data of a 2xx answer, or throws an `ApiError` carrying the status, HubSpot's error
 * body, its correlation id and how long HubSpot's rate-limit headers say to wait.
 *
 * @example const batch = unwrap(await hubspot.api.POST('/crm/v3/objects/tickets/batch/read', { body }));
 */
export function unwrap<Data, Err>(result: FetchResultLike<Data, Err>): Data {
  return unwrapResult(result, { retryAfter: retryAfterFromHeaders });
}

/** @deprecated Use {@link unwrap}. */
export const unwrapHubSpot = unwrap;
