export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  BackgroundJobTimeoutError,
  BackgroundJobUnreadableError,
  UnexpectedResponseError,
  WebinarImportError,
  type WebinarImportRequestOutcome,
} from './bulk-errors.js';
export {
  type BulkUpdateInput,
  bulkUpdateCertificateTemplates,
  CERTIFICATE_TEMPLATES_BULK_UPDATE,
  type CertificateTemplatesBulkUpdateAdapterOptions,
  type CertificateTemplatesBulkUpdateOptions,
  type CertificateTemplatesBulkUpdateReport,
  createCertificateTemplatesBulkUpdateAdapter,
  defaultCertificateTemplatesBulkUpdateOptions,
} from './certificate-templates-bulk-update.js';
export {
  type CertificateTemplateUpdate,
  mapBulkUpdateResponse,
  mapUnsettledBulkUpdate,
  matchTemplateErrors,
  readBulkUpdateResult,
  templateItemError,
} from './certificate-templates-response.js';
export {
  type BulkImportWebinars,
  bulkImportCourseGroupWebinars,
  COURSE_GROUP_WEBINARS_BULK_IMPORT,
  readWebinarImportResult,
  type WebinarDryRunResult,
  type WebinarImportOptions,
  type WebinarImportResult,
  type WebinarImportState,
} from './course-group-webinars-bulk-import.js';
export {
  createThoughtIndustriesClient,
  instanceBaseUrl,
  type ThoughtIndustriesApi,
  type ThoughtIndustriesClient,
  type ThoughtIndustriesClientOptions,
  unwrap,
} from './create-thought-industries-client.js';
export {
  type RateLimit,
  rateLimitHeaders,
  retryAfterFromHeaders,
  type ThoughtIndustriesDefaults,
  thoughtIndustriesDefaults,
} from './defaults.js';
export type * from './types.js';
export { validateTemplateUpdate } from './validate-template-update.js';
export {
  defaultJobPollOptions,
  type JobPollOptions,
  type ResolvedJobPollOptions,
  resolveJobPollOptions,
  waitForBackgroundJob,
} from './wait-for-background-job.js';
