import type { MpdxErrorDocument, NotificationPreferencesBulkResult } from './types.js';

/**
 * Whether one element of a bulk response is an error (the member was not created) rather than
 * the created preference.
 *
 * @example
 * const failed = results.filter(isBulkResultError).map((result) => result.id);
 */
export function isBulkResultError(
  result: NotificationPreferencesBulkResult,
): result is MpdxErrorDocument {
  return 'errors' in result && Array.isArray(result.errors);
}
