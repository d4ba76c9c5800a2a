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
  VendorClient,
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

/** A CRM record of any object type, as HubSpot returns it (a {@link Ticket} is one). */
export type CrmObject = Schemas['SimplePublicObject'];
/** A record written by an upsert; `new` says whether it was created. */
export type UpsertedCrmObject = Schemas['SimplePublicUpsertObject'];
/** One input of an object batch update: `{ id, properties, idProperty?, objectWriteTraceId? }`. */
export type ObjectUpdateInput = Schemas['SimplePublicObjectBatchInput'];
/** One input of an object batch upsert: `id` is a value of the unique property `idProperty`. */
export type ObjectUpsertInput = Schemas['SimplePublicObjectBatchInputUpsert'];
/** One input of an object batch create: `{ properties, associations?, objectWriteTraceId? }`. */
export type ObjectCreateInput = Schemas['SimplePublicObjectInputForCreate'];
/** A reference to a record by id (or by unique property value where `idProperty` applies). */
export type ObjectRef = Schemas['PublicObjectId'];

/** The API version of the object batch paths: `v3`, or the date-versioned `2026-03`. */
export type HubSpotApiVersion = 'v3' | '2026-03';
/** The batch operations of an object type. */
export type ObjectBatchAction = 'create' | 'read' | 'update' | 'upsert' | 'archive';
/** A standard object type with batch endpoints, by the name paths use. */
export type StandardObjectType =
  | 'contacts'
  | 'companies'
  | 'deals'
  | 'tickets'
  | 'line_items'
  | 'products'
  | 'quotes'
  | 'calls'
  | 'emails'
  | 'meetings'
  | 'notes'
  | 'tasks'
  | 'leads';
/**
 * An object type as the batch endpoints take it: a standard name, a custom object's type id
 * (`2-<digits>`) or its fully qualified name (`p_<name>`).
 */
export type ObjectType = StandardObjectType | `2-${number}` | `p_${string}`;

/** A request budget for the `rateLimit` option: at most `requests` requests every `perMs` ms. */
export type RateLimit = RateLimitOptions;

/** Options of `createHubSpotClient`. */
export interface HubSpotClientOptions extends ApiClientOptions {
  /**
   * A private app access token or an OAuth access token with the `tickets` scope, sent as
   * `Authorization: Bearer <token>`. It never appears in errors or in `util.inspect(client)`.
   * @example 'pat-na1-00000000-0000-0000-0000-000000000000'
   */
  token: ApiClientOptions['token'];
  /**
   * Scheme, host and optional port of the API (the paths are absolute).
   * @default 'https://api.hubapi.com'
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: ApiClientOptions['baseUrl'];
  /**
   * The rate limit every request of this client passes through: a core `RateLimiter` to share
   * one budget between clients (HubSpot counts per app, across all its tokens' calls),
   * a {@link RateLimit} `{ requests, perMs, burst? }` for one of this client's own, or `false`
   * for none.
   * @default { requests: 100, perMs: 10_000 } (HubSpot's lowest plan)
   * @example { requests: 190, perMs: 10_000 }
   */
  rateLimit?: ApiClientOptions['rateLimit'];
  /**
   * The version of the object batch paths `objects(type)` calls: `v3`
   * (`/crm/v3/objects/{objectType}/batch/...`) or `2026-03`
   * (`/crm/objects/2026-03/{objectType}/batch/...`). Bodies and answers are the same.
   * `tickets.*` always calls the v3 ticket paths.
   * @default 'v3'
   * @example '2026-03'
   */
  apiVersion?: HubSpotApiVersion | undefined;
}

/** The typed openapi-fetch client for the HubSpot ticket endpoints. */
export type HubSpotApi = Client<paths, `${string}/${string}`>;

/**
 * What `createHubSpotClient` returns: the typed `api` (`api.POST('/crm/v3/objects/tickets/batch/update', { body })`), its `baseUrl`
 * and `limiter` (see core's `VendorClient`), and the bulk operations.
 */
export interface HubSpotClient extends VendorClient<HubSpotApi> {
  /** Bulk operations on tickets, built on core's `runBulk`. */
  readonly tickets: HubSpotTickets;
  /** The version of the object batch paths, from the `apiVersion` option. */
  readonly apiVersion: HubSpotApiVersion;
  /**
   * The bulk operations of one object type at the client's `apiVersion`. Throws a `TypeError`
   * naming `objectType` when it is not a standard type, a custom type id (`2-12345`) or name
   * (`p_cars`), or names something HubSpot has no batch endpoints for.
   *
   * @example
   * const report = await hubspot.objects('contacts').batchUpdate(
   *   [{ id: '42', properties: { lifecyclestage: 'customer' } }],
   * );
   */
  objects(objectType: ObjectType): HubSpotObjects;
}

/** Inputs of a bulk operation: read lazily, so memory stays bounded whatever their number. */
export type BulkInputs<T> = Iterable<T> | AsyncIterable<T>;

/** The bulk operations of one object type, from `client.objects(objectType)`. */
export interface HubSpotObjects {
  /** The object type, as given. */
  readonly objectType: ObjectType;
  /**
   * Updates any number of records, by record id or unique property (`idProperty`). Same
   * behaviour as `tickets.batchUpdate`.
   */
  batchUpdate(
    inputs: BulkInputs<ObjectUpdateInput>,
    options?: ObjectBatchWriteOptions<ObjectUpdateInput, CrmObject>,
  ): Promise<ObjectBatchWriteReport<ObjectUpdateInput, CrmObject>>;
  /**
   * Creates or updates records found by the value of a unique property (`idProperty`, per input
   * or for all). `value.new` says whether a record was created.
   */
  batchUpsert(
    inputs: BulkInputs<ObjectUpsertInput>,
    options?: ObjectBatchWriteOptions<ObjectUpsertInput, UpsertedCrmObject>,
  ): Promise<ObjectBatchWriteReport<ObjectUpsertInput, UpsertedCrmObject>>;
  /**
   * Creates records. HubSpot's create is not idempotent: with `dedupeProperty`, a batch whose
   * answer was lost is read back by that unique property before anything is sent again; without
   * it, its inputs end `unknown`.
   */
  batchCreate(
    inputs: BulkInputs<ObjectCreateInput>,
    options?: ObjectBatchCreateOptions,
  ): Promise<ObjectBatchWriteReport<ObjectCreateInput, CrmObject>>;
  /** Archives records by id; ids that match no record succeed (HubSpot ignores them). */
  batchArchive(
    inputs: BulkInputs<ObjectRef>,
    options?: ObjectBatchArchiveOptions,
  ): Promise<ObjectBatchWriteReport<ObjectRef, ObjectRef>>;
  /**
   * Reads records by id (or `idProperty` value), 100 per request (50 with
   * `propertiesWithHistory`), and yields each record as its batch is answered. Ids that match
   * nothing are reported through `onDrop`, not yielded.
   *
   * @example
   * for await (const contact of hubspot.objects('contacts').batchRead(ids, { properties: ['email'] })) {
   *   console.log(contact.id, contact.properties.email);
   * }
   */
  batchRead(
    ids: BulkInputs<string | ObjectRef>,
    options?: ObjectBatchReadOptions,
  ): AsyncIterable<CrmObject>;
}

/** Options of the adapters of object batch writes by id or unique property (update, upsert). */
export interface ObjectBatchWriteAdapterOptions {
  /**
   * The unique-value property that the `id` of every input holds a value of, for inputs that do
   * not name an `idProperty` themselves. Leave it out to address records by record id.
   * @default undefined (record ids)
   * @example 'email'
   */
  idProperty?: string | undefined;
  /**
   * When HubSpot refuses a whole batch for invalid property values without naming the inputs at
   * fault, split it in halves until the refused inputs stand alone (about 7 more requests per
   * bad input in a batch of 100), and write the rest. `false` fails the whole batch instead.
   * @default true
   */
  isolate?: boolean | undefined;
}

/** Options of an object batch write: the vendor options and the `runBulk` options passed through. */
export interface ObjectBatchWriteOptions<T, R>
  extends ObjectBatchWriteAdapterOptions,
    PassedRunBulkOptions<T, R> {}

/** Options of the adapter of an object batch create. */
export interface ObjectBatchCreateAdapterOptions {
  /**
   * A unique property that every input sets (e.g. `email`, or an `external_ref` of your own).
   * When the answer to a batch is lost (a reset connection, a timeout, a 5xx), the batch is read
   * back by this property: inputs found were created and succeed with that record, the others
   * are sent again. Without it, such inputs end `unknown` and are not sent again, because a
   * second create would make a second record.
   * @default undefined (a lost answer leaves the batch's inputs unknown)
   * @example 'email'
   */
  dedupeProperty?: string | undefined;
  /** As for updates: isolate the inputs of a batch refused whole without naming them. @default true */
  isolate?: boolean | undefined;
}

/** Options of `objects(type).batchCreate`. */
export interface ObjectBatchCreateOptions
  extends ObjectBatchCreateAdapterOptions,
    PassedRunBulkOptions<ObjectCreateInput, CrmObject> {}

/** Options of `objects(type).batchArchive`. */
export type ObjectBatchArchiveOptions = PassedRunBulkOptions<ObjectRef, ObjectRef>;

/** Options of the adapter of an object batch read. */
export interface ObjectBatchReadAdapterOptions {
  /**
   * Properties to return; HubSpot adds the ones it always returns.
   * @default [] (HubSpot's default set)
   */
  properties?: readonly string[] | undefined;
  /**
   * Properties to return with their past values; batches then hold at most 50 ids.
   * @default []
   */
  propertiesWithHistory?: readonly string[] | undefined;
  /**
   * Unique property the ids are values of.
   * @default undefined (record ids)
   */
  idProperty?: string | undefined;
  /**
   * Read archived records instead of active ones.
   * @default false
   */
  archived?: boolean | undefined;
}

/** Options of `objects(type).batchRead`. */
export interface ObjectBatchReadOptions
  extends ObjectBatchReadAdapterOptions,
    PassedRunBulkOptions<string | ObjectRef, CrmObject> {}

/**
 * The report of an object batch operation: core's report, plus the requests spent isolating
 * inputs of batches HubSpot refused whole without naming them (already counted in `requests`).
 */
export interface ObjectBatchWriteReport<T, R> extends BulkReport<T, R> {
  isolationRequests: number;
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
