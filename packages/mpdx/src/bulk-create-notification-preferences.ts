import {
  type BulkReport,
  type PassedRunBulkOptions,
  pickRunBulkOptions,
  rateLimiterOf,
  runBulk,
} from '@bulk-clients/core';
import type { MpdxClient } from './create-mpdx-client.js';
import type { NewNotificationPreference } from './new-notification-preference.js';
import {
  createNotificationPreferencesBulkCreateAdapter,
  type NotificationPreferencesBulkCreateAdapterOptions,
} from './notification-preferences-bulk-create.js';
import type { CreatedNotificationPreference } from './notification-preferences-bulk-response.js';

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

/**
 * Creates notification preferences in one account list, 100 per request by default, through the
 * client's rate limiter. Every record ends in exactly one state; see the README's "Bulk
 * operations" section.
 */
export async function bulkCreateNotificationPreferences(
  client: Pick<MpdxClient, 'api'>,
  accountListId: string,
  preferences: Iterable<NewNotificationPreference> | AsyncIterable<NewNotificationPreference>,
  options: NotificationPreferencesBulkCreateOptions = {},
): Promise<NotificationPreferencesBulkCreateReport> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { batchSize, checkDuplicateIds, verifyConflicts } = options;
  const adapter = createNotificationPreferencesBulkCreateAdapter(client, accountListId, {
    batchSize,
    checkDuplicateIds,
    verifyConflicts,
  });
  return runBulk(preferences, adapter, {
    ...pickRunBulkOptions<NewNotificationPreference, CreatedNotificationPreference>(options),
    limiter: rateLimiterOf(client.api),
  });
}
