/**
 * The pieces behind the bulk operation, for tests and for debugging a mapping: not part of the
 * package's supported API, and free to change in any release.
 */
export { checkNewNotificationPreference, toBulkMember } from './new-notification-preference.js';
export {
  fieldOfPointer,
  type MapBulkResponseOptions,
  MpdxBulkResponseError,
  mapNotificationPreferencesBulkResponse,
  type SentNotificationPreference,
} from './notification-preferences-bulk-create-response.js';
