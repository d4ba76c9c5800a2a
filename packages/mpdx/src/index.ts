export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export { isBulkResultError } from './bulk-result.js';
export { createMpdxClient, unwrap } from './create-mpdx-client.js';
export {
  type MpdxDefaults,
  mpdxDefaults,
  rateLimitHeaders,
  retryAfterFromHeaders,
} from './defaults.js';
export { toBulkMember } from './new-notification-preference.js';
export {
  bulkCreateNotificationPreferences,
  createNotificationPreferencesBulkCreateAdapter,
  NOTIFICATION_PREFERENCES_BULK_CREATE,
  notificationPreferencesBulkCreate,
} from './notification-preferences-bulk-create.js';
export { MpdxBulkResponseError } from './notification-preferences-bulk-create-response.js';
export type * from './types.js';
