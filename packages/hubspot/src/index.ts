import {
  type ApiClientOptions,
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  unwrap,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import {
  hubSpotDefaults,
  isDailyRefusal,
  rateLimitHeaders,
  retryAfterFromHeaders,
} from './defaults.js';
import type { paths } from './generated/schema.js';
import {
  type TicketsBatchUpdateOptions,
  type TicketsBatchUpdateReport,
  ticketsBatchUpdate,
} from './tickets-batch-update.js';
import {
  type TicketsBatchUpsertOptions,
  type TicketsBatchUpsertReport,
  ticketsBatchUpsert,
} from './tickets-batch-upsert.js';
import type { TicketUpdateInput, TicketUpsertInput } from './types.js';

/** Options of {@link createHubSpotClient}. */
export interface HubSpotClientOptions extends ApiClientOptions {
  /**
   * A private app access token or an OAuth access token with the `tickets` scope, sent as
   * `Authorization: Bearer <token>`. It never appears in errors or in `util.inspect(client)`.
   * @example 'pat-na1-00000000-0000-0000-0000-000000000000'
   */
  token: string;
  /**
   * Scheme, host and optional port of the API (the paths are absolute).
   * @default 'https://api.hubapi.com'
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: string | undefined;
  /**
   * The rate limit every request of this client passes through: a core `RateLimiter` to share
   * one budget between clients (HubSpot counts per app, across all its tokens' calls),
   * `{ requests, perMs, burst? }` for one of this client's own, or `false` for none.
   * @default { requests: 100, perMs: 10_000 } (HubSpot's lowest plan)
   * @example { requests: 190, perMs: 10_000 }
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the HubSpot ticket endpoints. */
export type HubSpotApi = Client<paths, `${string}/${string}`>;

/** What {@link createHubSpotClient} returns. */
export interface HubSpotClient {
  /**
   * The typed client: `api.POST('/crm/v3/objects/tickets/batch/update', { body })` and so on,
   * one method per HTTP verb, paths and bodies checked against the spec.
   */
  readonly api: HubSpotApi;
  /** The origin requests go to, e.g. `https://api.hubapi.com`. */
  readonly baseUrl: string;
  /** Bulk operations on tickets, built on core's `runBulk`. */
  readonly tickets: HubSpotTickets;
}

/** The bulk ticket operations of a {@link HubSpotClient}. */
export interface HubSpotTickets {
  /**
   * Updates any number of tickets, by ticket id or by a unique property (`idProperty`), in
   * batches of up to 100 through the client's rate limiter. Resolves with a report that counts
   * every input once: `succeeded + failed + unknown + skipped === total`.
   *
   * @example
   * const report = await hubspot.tickets.batchUpdate(
   *   [{ id: '512', properties: { hs_pipeline_stage: '2' } }],
   *   { concurrency: 4, onDrop: (outcome) => console.error(outcome.index, outcome.error?.message) },
   * );
   */
  batchUpdate(
    inputs: Iterable<TicketUpdateInput> | AsyncIterable<TicketUpdateInput>,
    options?: TicketsBatchUpdateOptions,
  ): Promise<TicketsBatchUpdateReport>;
  /**
   * Creates or updates any number of tickets, each found by the value of a unique property
   * (`idProperty`, per input or for all) and created when none holds it, in batches of up to 100
   * through the client's rate limiter. `value.new` says whether a ticket was created.
   *
   * @example
   * const report = await hubspot.tickets.batchUpsert(
   *   [{ id: 'EXT-900001', properties: { subject: 'Printer on fire' } }],
   *   { idProperty: 'external_ref' },
   * );
   */
  batchUpsert(
    inputs: Iterable<TicketUpsertInput> | AsyncIterable<TicketUpsertInput>,
    options?: TicketsBatchUpsertOptions,
  ): Promise<TicketsBatchUpsertReport>;
}

/**
 * Creates a client for HubSpot's CRM v3 ticket endpoints. Every request carries the bearer token
 * and passes through the client's rate limiter (read it with core's `rateLimiterOf(client.api)`),
 * which pauses on a 429 for the window HubSpot reports in its rate-limit headers.
 *
 * @example
 * const hubspot = createHubSpotClient({ token: process.env.HUBSPOT_TOKEN! });
 * const result = await hubspot.api.POST('/crm/v3/objects/tickets/batch/update', {
 *   body: { inputs: [{ id: '512', properties: { hs_pipeline_stage: '2' } }] },
 * });
 * const batch = unwrapHubSpot(result);
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
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
  });
  return client;
}

/**
 * Core's `unwrap` with HubSpot's rate-limit headers as the source of `retryAfterMs`: returns the
 * data of a 2xx answer, or throws an `ApiError` with status, HubSpot's error body and its
 * correlation id.
 */
export function unwrapHubSpot<Data, Err>(result: FetchResultLike<Data, Err>): Data {
  return unwrap(result, { retryAfter: retryAfterFromHeaders });
}

export { hasBatchErrors } from './batch-errors.js';
export {
  type HubSpotDefaults,
  hubSpotDefaults,
  isDailyRefusal,
  RATE_LIMIT_HEADERS,
  rateLimitHeaders,
  retryAfterFromHeaders,
} from './defaults.js';
export type { components, operations, paths } from './generated/schema.js';
export {
  InvalidBatchResponseError,
  itemErrorOf,
  mapTicketBatchRejection,
  mapTicketBatchResponse,
} from './ticket-batch-response.js';
export type {
  TicketBatchWriteAdapterOptions,
  TicketBatchWriteOptions,
} from './ticket-batch-write.js';
export { checkTicketUpdateInput, describeTicket, toWireInput } from './ticket-update-input.js';
export {
  createTicketsBatchUpdateAdapter,
  TICKETS_BATCH_UPDATE,
  type TicketsBatchUpdateAdapterOptions,
  type TicketsBatchUpdateOptions,
  type TicketsBatchUpdateReport,
  ticketsBatchUpdate,
} from './tickets-batch-update.js';
export {
  createTicketsBatchUpsertAdapter,
  TICKETS_BATCH_UPSERT,
  type TicketsBatchUpsertAdapterOptions,
  type TicketsBatchUpsertOptions,
  type TicketsBatchUpsertReport,
  ticketsBatchUpsert,
} from './tickets-batch-upsert.js';
export type {
  AssociationType,
  BatchItemError,
  BatchStatus,
  GetTicketQuery,
  HubSpotApiError,
  HubSpotErrorBody,
  HubSpotErrorDetail,
  HubSpotRateLimitErrorBody,
  Ticket,
  TicketAssociationInput,
  TicketBatchArchiveRequest,
  TicketBatchCreateRequest,
  TicketBatchReadRequest,
  TicketBatchResult,
  TicketBatchResultWithErrors,
  TicketBatchUpdateRequest,
  TicketBatchUpsertRequest,
  TicketCreateInput,
  TicketPropertyHistoryEntry,
  TicketPropertyInput,
  TicketPropertyValues,
  TicketRef,
  TicketUpdateInput,
  TicketUpsertInput,
  TicketUpsertResult,
  TicketUpsertResultWithErrors,
  TicketWithAssociations,
  UpsertedTicket,
} from './types.js';
