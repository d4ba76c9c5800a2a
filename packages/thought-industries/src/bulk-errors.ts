import type { BackgroundJob } from './types.js';

/**
 * A 2xx answer whose body does not have the documented shape, or that names records the batch
 * does not hold. The vendor may have applied the batch, so its items' outcome is unknown.
 */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  readonly code = 'invalid_response';
  constructor(
    message: string,
    /** The body as it was received. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/**
 * The background job that writes a batch was still pending or running when the wait ended. It
 * may still complete, so its records are neither succeeded nor failed.
 */
export class BackgroundJobTimeoutError extends Error {
  override readonly name = 'BackgroundJobTimeoutError';
  readonly code = 'job_timeout';
  constructor(
    /** The last state of the job that was read. */
    readonly job: BackgroundJob,
    waitedMs: number,
  ) {
    super(
      `Background job ${job.id} was still ${job.status} after waiting ${waitedMs} ms; it may still complete`,
    );
  }
}

/**
 * Reading the status of a background job failed with an error that polling does not get past
 * (such as a 404). The batch was accepted, so its records' outcome is unknown.
 */
export class BackgroundJobUnreadableError extends Error {
  override readonly name = 'BackgroundJobUnreadableError';
  readonly code = 'job_unreadable';
  constructor(jobId: string, options: { cause: unknown }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`The status of background job ${jobId} could not be read: ${reason}`, options);
  }
}

/** What became of a webinar import request that did not get an answer to work with. */
export type WebinarImportRequestOutcome =
  /** The vendor refused it (for example 422 `asset_not_found`), or kept refusing until retries ran out. */
  | 'failed'
  /** Its answer was lost: the vendor may have started an import. Check before importing again. */
  | 'unknown'
  /** The caller aborted before it was sent. */
  | 'skipped';

/** The webinar import request itself did not succeed; nothing is known to have been imported. */
export class WebinarImportError extends Error {
  override readonly name = 'WebinarImportError';
  /** The vendor's `error` code, an `ApiError` code, or the engine's (`aborted`, `ECONNRESET`...). */
  readonly code: string;
  /** HTTP status of the refusal, when there was one. */
  readonly status: number | undefined;
  /** The vendor's error body, when there was one. */
  readonly body: unknown;
  constructor(
    readonly outcome: WebinarImportRequestOutcome,
    assetPath: string,
    reason: { code: string; message: string; status?: number | undefined; vendor?: unknown },
  ) {
    const vendorCode = (reason.vendor as { error?: unknown } | undefined)?.error;
    const text =
      outcome === 'failed'
        ? `The webinar import of ${assetPath} was refused: ${reason.message}`
        : outcome === 'unknown'
          ? `The answer to the webinar import of ${assetPath} was lost (${reason.message}): an import may have started; check the instance before importing again`
          : `The webinar import of ${assetPath} was aborted before it was sent`;
    super(text);
    this.code = typeof vendorCode === 'string' ? vendorCode : reason.code;
    this.status = reason.status;
    this.body = reason.vendor;
  }
}
