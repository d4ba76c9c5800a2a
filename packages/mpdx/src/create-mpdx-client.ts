import {
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  rateLimiterOf,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import { mpdxDefaults, rateLimitHeaders, retryAfterFromHeaders } from './defaults.js';
import { notificationPreferencesBulkCreate } from './notification-preferences-bulk-create.js';
import type {
  MpdxClient,
  MpdxClientOptions,
  NewNotificationPreference,
  NotificationPreferencesBulkCreateOptions,
  paths,
} from './types.js';

/**
 * Creates an MPDX API v2 client. Every request carries the bearer token and the JSON:API media
 * type in `Content-Type` and `Accept`, and passes through the client's rate limiter
 * (`client.limiter`).
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
    limiter: rateLimiterOf(api),
    notificationPreferences: Object.freeze({
      bulkCreate: (
        accountListId: string,
        preferences: Iterable<NewNotificationPreference> | AsyncIterable<NewNotificationPreference>,
        bulkOptions?: NotificationPreferencesBulkCreateOptions,
      ) => notificationPreferencesBulkCreate(client, accountListId, preferences, bulkOptions),
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
