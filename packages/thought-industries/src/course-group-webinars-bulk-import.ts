import { type BulkAdapter, runBulk, systemClock, unwrap } from '@bulk-clients/core';
import { UnexpectedResponseError, WebinarImportError } from './bulk-errors.js';
import { retryAfterFromHeaders } from './defaults.js';
import type {
  BulkImportCourseGroupWebinarsRequest,
  CourseGroupWebinarImportResult,
  ThoughtIndustriesClient,
  WebinarDryRunResult,
  WebinarImportOptions,
  WebinarImportResult,
} from './types.js';
import { resolveJobPollOptions, waitForBackgroundJob } from './wait-for-background-job.js';

/** Name of the operation in reports and errors. */
export const COURSE_GROUP_WEBINARS_BULK_IMPORT =
  'thought-industries.courseGroupWebinars.bulkImport';

/**
 * Imports (or, with `dryRun: true`, only checks) the webinar file stored at
 * `bulkImportAssetPath`, then waits for the import job.
 *
 * The request is one item sent through core's `runBulk`, which owns retries (backoff, jitter,
 * `Retry-After`, the shared rate limiter) and the idempotency rule: a lost answer is retried for
 * a dry run only. The job is then awaited with core's `pollUntilDone`, which survives 429s, 5xx
 * and dropped connections while polling.
 *
 * Throws a `WebinarImportError` when the request gets no answer to work with (refused, lost, or
 * aborted before sending), a `TypeError` for a bad argument.
 *
 * @example
 * const check = await ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: 'imports/w.csv', dryRun: true });
 * if (check.invalidRows.length === 0) {
 *   const run = await ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: 'imports/w.csv' });
 *   console.log(run.state, run.job?.errorMessage);
 * }
 */
export function courseGroupWebinarsBulkImport(
  client: Pick<ThoughtIndustriesClient, 'api' | 'limiter'>,
  request: BulkImportCourseGroupWebinarsRequest & { dryRun: true },
  options?: WebinarImportOptions,
): Promise<WebinarDryRunResult>;
export function courseGroupWebinarsBulkImport(
  client: Pick<ThoughtIndustriesClient, 'api' | 'limiter'>,
  request: BulkImportCourseGroupWebinarsRequest & { dryRun?: false | undefined },
  options?: WebinarImportOptions,
): Promise<WebinarImportResult>;
export function courseGroupWebinarsBulkImport(
  client: Pick<ThoughtIndustriesClient, 'api' | 'limiter'>,
  request: BulkImportCourseGroupWebinarsRequest,
  options?: WebinarImportOptions,
): Promise<WebinarDryRunResult | WebinarImportResult>;
export async function courseGroupWebinarsBulkImport(
  client: Pick<ThoughtIndustriesClient, 'api' | 'limiter'>,
  request: BulkImportCourseGroupWebinarsRequest,
  options: WebinarImportOptions = {},
): Promise<WebinarDryRunResult | WebinarImportResult> {
  if (!client || typeof client !== 'object' || !client.api) {
    throw new TypeError('Expected `client` to be a Thought Industries client (with `api`)');
  }
  if (!request || typeof request !== 'object') {
    throw new TypeError('Expected `request` to be an object with `bulkImportAssetPath`');
  }
  const { bulkImportAssetPath, dryRun } = request;
  if (typeof bulkImportAssetPath !== 'string' || bulkImportAssetPath.trim() === '') {
    throw new TypeError('Expected `request.bulkImportAssetPath` to be a non-empty string');
  }
  if (dryRun !== undefined && typeof dryRun !== 'boolean') {
    throw new TypeError(`Expected \`request.dryRun\` to be a boolean, got ${typeof dryRun}`);
  }
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const poll = resolveJobPollOptions(options.poll);
  const { api } = client;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const body: BulkImportCourseGroupWebinarsRequest =
    dryRun === undefined ? { bulkImportAssetPath } : { bulkImportAssetPath, dryRun };

  const adapter: BulkAdapter<BulkImportCourseGroupWebinarsRequest, CourseGroupWebinarImportResult> =
    {
      operation: COURSE_GROUP_WEBINARS_BULK_IMPORT,
      maxBatchSize: 1,
      // A dry run writes nothing; a real import sent twice would import the rows twice.
      idempotent: dryRun === true,
      async send(batch, ctx) {
        const answer = await api.POST('/incoming/v2/content/courseGroup/webinar/bulk', {
          body: batch[0]?.item ?? body,
          signal: ctx.signal,
        });
        const result = readWebinarImportResult(
          unwrap(answer, { retryAfter: retryAfterFromHeaders }),
        );
        return [{ kind: 'succeeded', value: result }];
      },
      classifyError: (error) =>
        error instanceof UnexpectedResponseError
          ? { kind: 'unknown', reason: error.code }
          : undefined,
    };
  const report = await runBulk([body], adapter, {
    concurrency: 1,
    collect: true,
    retry: options.retry,
    requestTimeoutMs: options.requestTimeoutMs,
    signal: options.signal,
    clock: options.clock,
    limiter: client.limiter,
  });
  const outcome = report.outcomes?.[0];
  if (outcome?.status !== 'succeeded' || outcome.value === undefined) {
    const error = outcome?.error ?? { code: 'aborted', message: 'not sent' };
    const status =
      outcome?.status === 'failed' || outcome?.status === 'unknown' ? outcome.status : 'skipped';
    throw new WebinarImportError(status, bulkImportAssetPath, error);
  }
  const { validRows, invalidRows, backgroundJob } = outcome.value;
  if (dryRun === true) return { dryRun: true, validRows, invalidRows };
  if (!backgroundJob) {
    // Nothing left to wait for: the vendor imported synchronously (or had nothing to import).
    return {
      dryRun: false,
      state: 'succeeded',
      job: undefined,
      validRows,
      invalidRows,
      polls: 0,
      elapsedMs: clock.now() - startedAt,
    };
  }
  const waited = await waitForBackgroundJob(api, backgroundJob, {
    ...poll,
    signal: options.signal,
    httpTimeoutMs: options.httpTimeoutMs ?? 60_000,
    clock,
  });
  return {
    dryRun: false,
    state: waited.state,
    job: waited.last ?? backgroundJob,
    validRows,
    invalidRows,
    polls: waited.polls,
    elapsedMs: clock.now() - startedAt,
  };
}

/** @deprecated Use {@link courseGroupWebinarsBulkImport}. */
export const bulkImportCourseGroupWebinars = courseGroupWebinarsBulkImport;

/**
 * Reads the `data.APIBulkCourseGroupWebinarImport` of a 200 body; throws an
 * {@link UnexpectedResponseError} when it lacks the row arrays.
 */
export function readWebinarImportResult(body: unknown): CourseGroupWebinarImportResult {
  const result = (body as { data?: { APIBulkCourseGroupWebinarImport?: unknown } } | undefined)
    ?.data?.APIBulkCourseGroupWebinarImport as Partial<CourseGroupWebinarImportResult> | undefined;
  if (
    !result ||
    typeof result !== 'object' ||
    !Array.isArray(result.validRows) ||
    !Array.isArray(result.invalidRows)
  ) {
    throw new UnexpectedResponseError(
      'The webinar import answer has no `data.APIBulkCourseGroupWebinarImport` with `validRows` and `invalidRows`',
      body,
    );
  }
  return result as CourseGroupWebinarImportResult;
}
