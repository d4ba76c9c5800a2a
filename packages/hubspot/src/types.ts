/**
 * Friendly names for the generated HubSpot types. Code outside this package uses these, never
 * the vendor's long schema names, so a rename in the spec is absorbed here.
 */
import type { ApiError } from '@bulk-clients/core';
import type { components, operations } from './generated/schema.js';

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
