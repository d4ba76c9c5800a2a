export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  BackgroundJobTimeoutError,
  BackgroundJobUnreadableError,
  UnexpectedResponseError,
  WebinarImportError,
  type WebinarImportRequestOutcome,
} from './bulk-errors.js';
export {
  bulkUpdateCertificateTemplates,
  CERTIFICATE_TEMPLATES_BULK_UPDATE,
  certificateTemplatesBulkUpdate,
  certificateTemplatesBulkUpdateSendTimeoutMs,
  createCertificateTemplatesBulkUpdateAdapter,
  defaultCertificateTemplatesBulkUpdateOptions,
} from './certificate-templates-bulk-update.js';
export {
  bulkImportCourseGroupWebinars,
  COURSE_GROUP_WEBINARS_BULK_IMPORT,
  courseGroupWebinarsBulkImport,
} from './course-group-webinars-bulk-import.js';
export {
  createThoughtIndustriesClient,
  instanceBaseUrl,
  unwrap,
} from './create-thought-industries-client.js';
export {
  rateLimitHeaders,
  retryAfterFromHeaders,
  type ThoughtIndustriesDefaults,
  thoughtIndustriesDefaults,
} from './defaults.js';
export type * from './types.js';
export {
  defaultJobPollOptions,
  type ResolvedJobPollOptions,
  waitForBackgroundJob,
} from './wait-for-background-job.js';
