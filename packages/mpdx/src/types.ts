/**
 * Friendly names for the generated types. The generated module is an implementation detail:
 * code outside this package uses these names, so a regenerated schema cannot rename them.
 */
import type {
  ApiClientOptions,
  BulkReport,
  PassedRunBulkOptions,
  RateLimitOptions,
  VendorClient,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
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

/** A request budget for the `rateLimit` option: at most `requests` requests every `perMs` ms. */
export type RateLimit = RateLimitOptions;

/** Options of `createMpdxClient`. */
export interface MpdxClientOptions extends ApiClientOptions {
  /**
   * The user's JSON Web Token, sent as `Authorization: Bearer <jwt>`. It never appears in
   * errors or in `util.inspect(client)`.
   * @example process.env.MPDX_TOKEN
   */
  token: ApiClientOptions['token'];
  /**
   * Scheme, host and optional port of the API (paths in the spec are absolute).
   * @default 'https://api.mpdx.org'
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: ApiClientOptions['baseUrl'];
  /**
   * The rate limit every request of this client passes through: a core `RateLimiter` to share
   * one budget between clients, a {@link RateLimit} `{ requests, perMs, burst? }` for one of this
   * client's own, or `false` for none. MPDX documents no limit; the default is a conservative
   * guess.
   * @default { requests: 60, perMs: 60_000 }
   * @example { requests: 30, perMs: 60_000 }
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the MPDX paths. */
export type MpdxApi = Client<paths>;

/**
 * What `createMpdxClient` returns: the typed `api` (`api.POST('/api/v2/...', { params, body })`), its `baseUrl`
 * and `limiter` (see core's `VendorClient`), and the bulk operations.
 */
export interface MpdxClient extends VendorClient<MpdxApi> {
  /** Bulk operations on notification preferences. */
  readonly notificationPreferences: {
    /**
     * Creates notification preferences in one account list with core's bulk engine: batches of
     * 100 (configurable), client ids derived per run unless given, retries that never create a
     * preference twice, and a report that accounts for every record.
     *
     * @example
     * const report = await mpdx.notificationPreferences.bulkCreate(accountListId, [
     *   { notificationTypeId, app: true, email: true },
     * ]);
     */
    bulkCreate(
      accountListId: string,
      preferences: Iterable<NewNotificationPreference> | AsyncIterable<NewNotificationPreference>,
      options?: NotificationPreferencesBulkCreateOptions,
    ): Promise<NotificationPreferencesBulkCreateReport>;
  };
}

/**
 * A notification preference to create, in the flat shape callers (and CSV or JSON Lines files)
 * have it. `toBulkMember` turns it into the JSON:API member MPDX expects.
 *
 * @example { notificationTypeId: 'ed0218b7-1f9c-4d20-9777-a9447820f410', email: true }
 */
export interface NewNotificationPreference {
  /**
   * The uuid of the new preference. Leave it out to have one derived from the run and the
   * record's position, which a resumed run derives again.
   * @default derived with `deriveItemId(runId, index)`
   */
  id?: string | undefined;
  /** The uuid of the notification type the preference is for. */
  notificationTypeId: string;
  /**
   * Show the notification inside the MPDX application.
   * @default false (MPDX stores a flag left out as false)
   */
  app?: boolean | undefined;
  /**
   * Send the notification by email.
   * @default false
   */
  email?: boolean | undefined;
  /**
   * Create a task for the notification.
   * @default false
   */
  task?: boolean | undefined;
}

/** What a bulk create reports for a record that exists after the run. */
export interface CreatedNotificationPreference {
  /** The preference's id: the caller's, or the one derived for it. */
  id: string;
  /**
   * `true` when this request created it; `false` when MPDX answered 409 because it already
   * existed (created by an earlier attempt whose answer was lost, or by an earlier run).
   */
  created: boolean;
  /**
   * The stored preference as MPDX returned it. `undefined` when it already existed and was not
   * read back (ids derived by this package are not: only this run can have created them).
   */
  preference: NotificationPreference | undefined;
}

/** Options of `createNotificationPreferencesBulkCreateAdapter`. */
export interface NotificationPreferencesBulkCreateAdapterOptions {
  /**
   * Preferences per bulk request, and the largest batch `runBulk` may be asked for. MPDX documents
   * no maximum; a `413` answer means the request was too large: lower it.
   * @default 100 (`mpdxDefaults.chunkSize`)
   */
  batchSize?: number | undefined;
  /**
   * Fail a record whose caller-given `id` an earlier record of the same run already used
   * (`duplicate_id`), instead of sending it. Holds every caller-given id of the run in memory
   * (about 100 bytes each); turn it off for inputs of many millions of records with given ids.
   * Ids derived by this package are unique by construction and never held.
   * @default true
   */
  checkDuplicateIds?: boolean | undefined;
  /**
   * When MPDX answers 409 for a caller-given id, read the stored preference back and count the
   * record as succeeded (`created: false`) when it has the same notification type and flags in
   * this account list, else fail it with `conflict`. When `false`, a 409 counts as succeeded only
   * on a retry of the same batch (attempt 2 or later), and a resumed run reports a record an
   * earlier run created as `conflict`. Ids derived by this package never need the read: only this
   * run can have created them.
   * @default true
   */
  verifyConflicts?: boolean | undefined;
}

/**
 * Options of `client.notificationPreferences.bulkCreate`: the vendor's own, plus the options of
 * core's `runBulk` that make sense for one call (their TSDoc and defaults are core's). The
 * client's rate limiter is always used.
 */
export interface NotificationPreferencesBulkCreateOptions
  extends NotificationPreferencesBulkCreateAdapterOptions,
    PassedRunBulkOptions<NewNotificationPreference, CreatedNotificationPreference, 'batchSize'> {}

/** The report of a bulk create: core's `BulkReport` typed with this package's item types. */
export type NotificationPreferencesBulkCreateReport = BulkReport<
  NewNotificationPreference,
  CreatedNotificationPreference
>;
