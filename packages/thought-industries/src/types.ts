/**
 * Friendly names for the generated types. The generated module is an implementation detail:
 * code outside this package uses these names, so a regenerated schema cannot rename them.
 */
import type { components, operations, paths } from './generated/schema.js';

type Schemas = components['schemas'];

export type { components, operations, paths };

/** The changes to one certificate template: its `id` and the fields to change. */
export type UpdateCertificateTemplateInput = Schemas['UpdateCertificateTemplateInput'];
/** A new certificate template. */
export type CreateCertificateTemplateInput = Schemas['CreateCertificateTemplateInput'];
/** Body of `POST /incoming/v2/content/certificate-templates/bulk/update`. */
export type BulkUpdateCertificateTemplatesRequest =
  Schemas['BulkUpdateCertificateTemplatesRequest'];
/** Body of `POST /incoming/v2/content/certificate-templates/bulk`. */
export type BulkCreateCertificateTemplatesRequest =
  Schemas['BulkCreateCertificateTemplatesRequest'];
/** Outcome of a bulk create or update of certificate templates. */
export type BulkCertificateTemplatesResult = Schemas['BulkCertificateTemplatesResult'];
/** One certificate template the bulk call rejected, with the reason and the input record. */
export type BulkCertificateTemplateError = Schemas['BulkCertificateTemplateError'];
/** Full 200 body of the bulk update (`data.APIBulkUpdateCertificateTemplates`). */
export type BulkUpdateCertificateTemplatesResponse =
  Schemas['BulkUpdateCertificateTemplatesResponse'];
/** Full 200 body of the bulk create (`data.APIBulkCreateCertificateTemplates`). */
export type BulkCreateCertificateTemplatesResponse =
  Schemas['BulkCreateCertificateTemplatesResponse'];

/** Body of `POST /incoming/v2/content/courseGroup/webinar/bulk`. */
export type BulkImportCourseGroupWebinarsRequest = Schemas['BulkImportCourseGroupWebinarsRequest'];
/** Outcome of reading a webinar import file. */
export type CourseGroupWebinarImportResult = Schemas['BulkCourseGroupWebinarImportResult'];
/** Full 200 body of the webinar import (`data.APIBulkCourseGroupWebinarImport`). */
export type BulkImportCourseGroupWebinarsResponse =
  Schemas['BulkImportCourseGroupWebinarsResponse'];
/** One row of a webinar import file, keyed by column name. */
export type WebinarImportRow = Schemas['WebinarImportRow'];
/** One row of a webinar import file that failed the checks, with `reason`. */
export type InvalidWebinarImportRow = Schemas['InvalidWebinarImportRow'];

/** Queued work started by a bulk call. */
export type BackgroundJob = Schemas['BackgroundJob'];
/** `pending` -> `running` -> `complete` | `failed`. */
export type BackgroundJobStatus = Schemas['BackgroundJobStatus'];
/** Full 200 body of `GET /incoming/v2/jobs/{id}` (`data.APIBackgroundJob`). */
export type GetBackgroundJobResponse = Schemas['GetBackgroundJobResponse'];

/** Body of every Thought Industries error response. */
export type ThoughtIndustriesErrorBody = Schemas['ErrorBody'];
/** Body of a 429 response: the error body plus `retryAfter` in seconds. */
export type ThoughtIndustriesRateLimitErrorBody = Schemas['RateLimitErrorBody'];
/** One problem with a request that does not match the contract (in a 400 body's `details`). */
export type ThoughtIndustriesValidationProblem = Schemas['ValidationProblem'];
