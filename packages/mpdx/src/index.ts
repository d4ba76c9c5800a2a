export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  bulkCreateNotificationPreferences,
  type NotificationPreferencesBulkCreateOptions,
  type NotificationPreferencesBulkCreateReport,
} from './bulk-create-notification-preferences.js';
export { isBulkResultError } from './bulk-result.js';
export {
  createMpdxClient,
  type MpdxApi,
  type MpdxClient,
  type MpdxClientOptions,
  unwrap,
} from './create-mpdx-client.js';
export {
  type MpdxDefaults,
  mpdxDefaults,
  RATE_LIMIT_HEADERS,
  type RateLimit,
  rateLimitHeaders,
  retryAfterFromHeaders,
} from './defaults.js';
export {
  checkNewNotificationPreference,
  type NewNotificationPreference,
  toBulkMember,
} from './new-notification-preference.js';
export {
  createNotificationPreferencesBulkCreateAdapter,
  NOTIFICATION_PREFERENCES_BULK_CREATE,
  type NotificationPreferencesBulkCreateAdapterOptions,
} from './notification-preferences-bulk-create.js';
export {
  type CreatedNotificationPreference,
  fieldOfPointer,
  type MapBulkResponseOptions,
  MpdxBulkResponseError,
  mapNotificationPreferencesBulkResponse,
  type SentNotificationPreference,
} from './notification-preferences-bulk-response.js';
export type * from './types.js';
