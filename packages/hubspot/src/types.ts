/**
 * Friendly names for the generated HubSpot types. Code outside this package uses these, never
 * the vendor's long schema names, so a rename in the spec is absorbed here.
 */
import type {
  ApiClientOptions,
  ApiError,
  BulkReport,
  PassedRunBulkOptions,
  RateLimitOptions,
  RequestLimiter,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/schema.js';

type Schemas = components['schemas'];

/** Property values to write, by internal name; all strings, `''` clears a value. */
export type TicketPropertyInput = Schemas['PropertyValues'];
/** Property values as HubSpot returns them: strings, or `null` for a requested empty property. */
export type TicketPropertyValues = Schemas['ObjectProperties'];

/** A ticket as HubSpot returns it. */
export type Ticket = Schemas['SimplePublicObject'];
/** A ticket with its associations, as the single read returns it. */
export type TicketWithAssociations = Schemas['SimplePublicObjectWithAssociations'];
/** A ticket written by an upsert; `new` says whether it was created. */
export type UpsertedTicket = Schemas['SimplePublicUpsertObject'];
/** One past value of a property. */
export type TicketPropertyHistoryEntry = Schemas['ValueWithTimestamp'];

/** A reference to a ticket by id (or by unique property value where `idProperty` applies). */
export type TicketRef = Schemas['PublicObjectId'];

/** One input of a batch update. */
export type TicketUpdateInput = Schemas['SimplePublicObjectBatchInput'];
/** Body of `POST /crm/v3/objects/tickets/batch/update`. */
export type TicketBatchUpdateRequest = Schemas['BatchInputSimplePublicObjectBatchInput'];

/** One input of a batch upsert. */
export type TicketUpsertInput = Schemas['SimplePublicObjectBatchInputUpsert'];
/** Body of `POST /crm/v3/objects/tickets/batch/upsert`. */
export type TicketBatchUpsertRequest = Schemas['BatchInputSimplePublicObjectBatchInputUpsert'];

/** One input of a batch create. */
export type TicketCreateInput = Schemas['SimplePublicObjectInputForCreate'];
/** An association to create from a new ticket. */
export type TicketAssociationInput = Schemas['PublicAssociationsForObject'];
/** The kind of an association (category and type id). */
export type AssociationType = Schemas['AssociationSpec'];
/** Body of `POST /crm/v3/objects/tickets/batch/create`. */
export type TicketBatchCreateRequest = Schemas['BatchInputSimplePublicObjectInputForCreate'];

/** Body of `POST /crm/v3/objects/tickets/batch/read`. */
export type TicketBatchReadRequest = Schemas['BatchReadInputSimplePublicObjectId'];
/** Body of `POST /crm/v3/objects/tickets/batch/archive`. */
export type TicketBatchArchiveRequest = Schemas['BatchInputSimplePublicObjectId'];

/** Query of `GET /crm/v3/objects/tickets/{ticketId}`. */
export type GetTicketQuery = NonNullable<operations['getTicket']['parameters']['query']>;

/** Where a batch is; `COMPLETE` in practice. */
export type BatchStatus = Schemas['BatchStatus'];
/** A 200 (or 201) batch answer: every input was written. */
export type TicketBatchResult = Schemas['BatchResponseSimplePublicObject'];
/** A 207 batch answer: `errors` names the failed inputs, `results` holds the written ones. */
export type TicketBatchResultWithErrors = Schemas['BatchResponseSimplePublicObjectWithErrors'];
/** A 200 upsert answer. */
export type TicketUpsertResult = Schemas['BatchResponseSimplePublicUpsertObject'];
/** A 207 upsert answer. */
export type TicketUpsertResultWithErrors =
  Schemas['BatchResponseSimplePublicUpsertObjectWithErrors'];

/** One kind of failure inside a 207 answer; `context.ids` lists the inputs it hit. */
export type BatchItemError = Schemas['StandardError'];
/** One specific problem inside an error (a field, a missing scope). */
export type HubSpotErrorDetail = Schemas['ErrorDetail'];
/** HubSpot's common error body (400, 401, 404, 5xx). */
export type HubSpotErrorBody = Schemas['Error'];
/** The body of a 429 answer. */
export type HubSpotRateLimitErrorBody = Schemas['RateLimitError'];
/** The `ApiError` every failed HubSpot call throws through `unwrap`. */
export type HubSpotApiError = ApiError<HubSpotErrorBody | HubSpotRateLimitErrorBody>;

/** A request budget for the `rateLimit` option: at most `requests` requests every `perMs` ms. */
export type RateLimit = RateLimitOptions;

/** Options of `createHubSpotClient`. */
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
   * a {@link RateLimit} `{ requests, perMs, burst? }` for one of this client's own, or `false`
   * for none.
   * @default { requests: 100, perMs: 10_000 } (HubSpot's lowest plan)
   * @example { requests: 190, perMs: 10_000 }
   */
  rateLimit?: RequestLimiter | RateLimit | false | undefined;
}

/** The typed openapi-fetch client for the HubSpot ticket endpoints. */
export type HubSpotApi = Client<paths, `${string}/${string}`>;

/** What `createHubSpotClient` returns. */
export interface HubSpotClient {
  /**
   * The typed client: `api.POST('/crm/v3/objects/tickets/batch/update', { body })` and so on,
   * one method per HTTP verb, paths and bodies checked against the spec.
   */
  readonly api: HubSpotApi;
  /** The origin requests go to, e.g. `https://api.hubapi.com`. */
  readonly baseUrl: string;
  /**
   * The rate limiter every request of this client passes through (`undefined` with
   * `rateLimit: false`). Hand it to core's `runBulk` as `limiter` so that a run reports and
   * honours the same budget.
   */
  readonly limiter: RequestLimiter | undefined;
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

/** Options of the adapters of ticket batch writes. */
export interface TicketBatchWriteAdapterOptions {
  /**
   * The unique-value property that the `id` of every input holds a value of, for inputs that do
   * not name an `idProperty` themselves. Leave it out to address tickets by ticket id.
   * @default undefined (ticket ids)
   * @example 'external_ref'
   */
  idProperty?: string | undefined;
}

/**
 * Options of a ticket batch write: the vendor option `idProperty`, and the `runBulk` options that
 * make sense for it (documented in `@bulk-clients/core`). `batchSize` defaults to, and cannot
 * exceed, HubSpot's 100 inputs per request. The client's own rate limiter is always used; give
 * the client a shared `RateLimiter` to share a budget between clients.
 */
export interface TicketBatchWriteOptions<R extends Ticket>
  extends TicketBatchWriteAdapterOptions,
    PassedRunBulkOptions<TicketUpdateInput, R> {}

/** Options of `createTicketsBatchUpdateAdapter`. */
export type TicketsBatchUpdateAdapterOptions = TicketBatchWriteAdapterOptions;

/**
 * Options of `client.tickets.batchUpdate`: the vendor option `idProperty`, and the `runBulk`
 * options that make sense for it (documented in `@bulk-clients/core`).
 */
export type TicketsBatchUpdateOptions = TicketBatchWriteOptions<Ticket>;

/** The report of a batch update: one outcome per input, `value` being the ticket HubSpot returned. */
export type TicketsBatchUpdateReport = BulkReport<TicketUpdateInput, Ticket>;

/** Options of `createTicketsBatchUpsertAdapter`. */
export type TicketsBatchUpsertAdapterOptions = TicketBatchWriteAdapterOptions;

/**
 * Options of `client.tickets.batchUpsert`: the vendor option `idProperty` (the unique property
 * that finds or creates each ticket), and the `runBulk` options that make sense for it.
 */
export type TicketsBatchUpsertOptions = TicketBatchWriteOptions<UpsertedTicket>;

/** The report of a batch upsert: `value` is the ticket, `value.new` whether it was created. */
export type TicketsBatchUpsertReport = BulkReport<TicketUpsertInput, UpsertedTicket>;
