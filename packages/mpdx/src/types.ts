/**
 * Friendly names for the generated types. The generated module is an implementation detail:
 * code outside this package uses these names, so a regenerated schema cannot rename them.
 */
import type { components, operations, paths } from './generated/schema.js';

type Schemas = components['schemas'];

export type { components, operations, paths };

/** Body of `POST /api/v2/account_lists/{account_list_id}/notification_preferences/bulk`. */
export type NotificationPreferencesBulkRequest = Schemas['NotificationPreferencesBulkRequest'];
/** One member of a bulk request: a resource object wrapped in its own `data` key. */
export type NotificationPreferenceBulkItem = Schemas['NotificationPreferenceBulkItem'];
/** A preference to create, with the uuid the caller chose as its `id`. */
export type NotificationPreferenceInput = Schemas['NotificationPreferenceInput'];
/** The `app`, `email` and `task` flags of a new preference. */
export type NotificationPreferenceFlags = Schemas['NotificationPreferenceFlags'];
/** Points a new preference at its notification type (`type: "notification_types"`). */
export type NotificationTypeIdentifier = Schemas['NotificationTypeIdentifier'];

/** The 200 body of a bulk create: one result per submitted member, in request order. */
export type NotificationPreferencesBulkResponse = Schemas['NotificationPreferencesBulkResponse'];
/** One element of a bulk response: the created preference or the error for that member. */
export type NotificationPreferencesBulkResult = Schemas['NotificationPreferencesBulkResult'];

/** A stored notification preference. */
export type NotificationPreference = Schemas['NotificationPreference'];
/** The flags and timestamps of a stored preference. */
export type NotificationPreferenceAttributes = Schemas['NotificationPreferenceAttributes'];
/** A document holding one preference: a created bulk element, or the read endpoint's body. */
export type NotificationPreferenceDocument = Schemas['NotificationPreferenceDocument'];
/** One page of an account list's preferences. */
export type NotificationPreferenceList = Schemas['NotificationPreferenceCollection'];
/** The notification type as responses name it (`type: "notification_type"`, singular). */
export type NotificationTypeLinkage = Schemas['NotificationTypeLinkage'];

/** An event MPDX can notify about. */
export type NotificationType = Schemas['NotificationType'];
/** Every notification type. */
export type NotificationTypeList = Schemas['NotificationTypeCollection'];
/** A shared list of ministry partners. */
export type AccountList = Schemas['AccountList'];
/** One page of account lists. */
export type AccountListList = Schemas['AccountListCollection'];
/** `meta.pagination` of a list response. */
export type Pagination = Schemas['Pagination'];

/**
 * A JSON:API error document: the body of every non-2xx response, and a refused element of a
 * bulk response (then with the member's client `id`).
 */
export type MpdxErrorDocument = Schemas['ErrorDocument'];
/** One problem in an {@link MpdxErrorDocument}. */
export type MpdxErrorObject = Schemas['ErrorObject'];
