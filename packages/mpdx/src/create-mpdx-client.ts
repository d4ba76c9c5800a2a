import {
  type ApiClientOptions,
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import {
  bulkCreateNotificationPreferences,
  type NotificationPreferencesBulkCreateOptions,
  type NotificationPreferencesBulkCreateReport,
} from './bulk-create-notification-preferences.js';
import { mpdxDefaults, rateLimitHeaders, retryAfterFromHeaders } from './defaults.js';
import type { NewNotificationPreference } from './new-notification-preference.js';
import type { paths } from './types.js';

/** Options of {@link createMpdxClient}. */
export interface MpdxClientOptions extends ApiClientOptions {
  /**
   * The user's JSON Web Token, sent as `Authorization: Bearer <jwt>`. It never appears in
   * errors or in `util.inspect(client)`.
   * @example process.env.MPDX_TOKEN
   */
  token: string;
  /**
   * Scheme, host and optional port of the API (paths in the spec are absolute).
   * @default 'https://api.mpdx.org'
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: string | undefined;
  /**
   * The rate limit every request of this client passes through: a core `RateLimiter` to share
   * one budget between clients, `{ requests, perMs, burst? }` for one of this client's own, or
   * `false` for none. MPDX documents no limit; the default is a conservative guess.
   * @default { requests: 60, perMs: 60_000 }
   * @example { requests: 30, perMs: 60_000 }
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the MPDX paths. */
export type MpdxApi = Client<paths>;

/** What {@link createMpdxClient} returns. */
export interface MpdxClient {
  /** Typed openapi-fetch client: `api.POST('/api/v2/...', { params, body })`. */
  readonly api: MpdxApi;
  /** The base URL requests go to (scheme, host and port). */
  readonly baseUrl: string;
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
 * Creates an MPDX API v2 client. Every request carries the bearer token and the JSON:API media
 * type in `Content-Type` and `Accept`, and passes through the client's rate limiter (read it
 * with core's `rateLimiterOf(client.api)`).
 *
 * @example
 * const mpdx = createMpdxClient({ token: process.env.MPDX_TOKEN });
 * const { data } = await mpdx.api.GET('/api/v2/notification_types');
 */
export function createMpdxClient(options: MpdxClientOptions): MpdxClient {
  const api = createApiClient<paths>(options, {
    name: 'MPDX',
    defaultBaseUrl: mpdxDefaults.baseUrl,
    mediaType: mpdxDefaults.mediaType,
    rateLimit: mpdxDefaults.rateLimit,
    retryAfter: retryAfterFromHeaders,
    // Follows the budget the headers state; holds requests back until the reset once it is spent.
    rateLimitHeaders,
  });
  const client: MpdxClient = Object.freeze({
    api,
    // The form createApiClient sends requests to (it has already validated the URL).
    baseUrl: normalizeBaseUrl(options.baseUrl ?? mpdxDefaults.baseUrl),
    notificationPreferences: Object.freeze({
      bulkCreate: (
        accountListId: string,
        preferences: Iterable<NewNotificationPreference> | AsyncIterable<NewNotificationPreference>,
        bulkOptions?: NotificationPreferencesBulkCreateOptions,
      ) => bulkCreateNotificationPreferences(client, accountListId, preferences, bulkOptions),
    }),
  });
  return client;
}

/**
 * Returns the data of a successful call, or throws an `ApiError` carrying the status, the
 * JSON:API error document, the request id and how long MPDX asked us to wait.
 *
 * @example const types = unwrap(await mpdx.api.GET('/api/v2/notification_types'));
 */
export function unwrap<Data, Err>(result: FetchResultLike<Data, Err>): Data {
  return unwrapResult(result, { retryAfter: retryAfterFromHeaders });
}
