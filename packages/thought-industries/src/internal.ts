/**
 * The pieces behind the bulk operations, for tests and for debugging a mapping: not part of the
 * package's supported API, and free to change in any release.
 */
export {
  mapBulkUpdateResponse,
  mapUnsettledBulkUpdate,
  matchTemplateErrors,
  readBulkUpdateResult,
  templateItemError,
} from './certificate-templates-bulk-update-response.js';
export { readWebinarImportResult } from './course-group-webinars-bulk-import.js';
export { validateTemplateUpdate } from './validate-template-update.js';
export { resolveJobPollOptions } from './wait-for-background-job.js';
