import {
  type BulkAdapter,
  type Clock,
  type RetryOptions,
  rateLimiterOf,
  runBulk,
  systemClock,
  unwrap,
} from '@bulk-clients/core';
import { UnexpectedResponseError, WebinarImportError } from './bulk-errors.js';
import type { ThoughtIndustriesClient } from './create-thought-industries-client.js';
import { retryAfterFromHeaders } from './defaults.js';
import type {
  BackgroundJob,
  BulkImportCourseGroupWebinarsRequest,
  CourseGroupWebinarImportResult,
  InvalidWebinarImportRow,
  WebinarImportRow,
} from './types.js';
import {
  type JobPollOptions,
  resolveJobPollOptions,
  waitForBackgroundJob,
} from './wait-for-background-job.js';

/** Name of the operation in reports and errors. */
export const COURSE_GROUP_WEBINARS_BULK_IMPORT =
  'thought-industries.courseGroupWebinars.bulkImport';

/** Options of `client.courseGroupWebinars.bulkImport`. */
export interface WebinarImportOptions {
  /**
   * Retries of the import request after a refusal that allows one (429, 503, connection
   * refused), with backoff and full jitter. A dry run is also retried after a lost answer; a real
   * import is not (it could import the rows twice) and fails with outcome `unknown` instead.
   * @default { retries: 5, minDelayMs: 500, maxDelayMs: 30000, factor: 2 }
   */
  retry?: RetryOptions | undefined;
  /**
   * Milliseconds before the import request is abandoned (its outcome is then unknown).
   * @default 120000
   */
  requestTimeoutMs?: number | undefined;
  /**
   * How to wait for the import job of a real import.
   * @default { minDelayMs: 1000, maxDelayMs: 15000, maxWaitMs: 600000 }
   */
  poll?: JobPollOptions | undefined;
  /**
   * Timeout of each job status read, in ms (a read that times out is simply made again). `0`
   * for none.
   * @default 60000
   */
  httpTimeoutMs?: number | undefined;
  /**
   * Stops the request (before it is sent: `WebinarImportError` with outcome `skipped`) or the
   * wait (the result's `state` is then `aborted`; the job goes on at the vendor).
   */
  signal?: AbortSignal | undefined;
  /**
   * Time source of backoff and the wait; inject a fake one in tests.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** What a dry run found in the file: nothing was written and no job started. */
export interface WebinarDryRunResult {
  dryRun: true;
  /** Rows that pass the vendor's checks. */
  validRows: WebinarImportRow[];
  /** Rows that fail them, each with the vendor's `reason`. */
  invalidRows: InvalidWebinarImportRow[];
}

/**
 * How a real import ended: `succeeded` (the job completed), `failed` (the job failed: see
 * `job.errorMessage`), `timeout` (still running after `poll.maxWaitMs`: it may still complete)
 * or `aborted` (the caller's signal ended the wait; the job goes on).
 */
export type WebinarImportState = 'succeeded' | 'failed' | 'timeout' | 'aborted';

/** The outcome of a real import. */
export interface WebinarImportResult {
  dryRun: false;
  state: WebinarImportState;
  /** The import job in the last state read; `undefined` when the vendor started none. */
  job: BackgroundJob | undefined;
  /** Rows the job imports. */
  validRows: WebinarImportRow[];
  /** Rows that are never imported, each with the vendor's `reason`. */
  invalidRows: InvalidWebinarImportRow[];
  /** Job status reads made. */
  polls: number;
  /** Milliseconds from the request to the end of the wait. */
  elapsedMs: number;
}

/** `bulkImport`, typed by `dryRun`: a dry run resolves with the rows, an import with its job. */
export interface BulkImportWebinars {
  (
    request: BulkImportCourseGroupWebinarsRequest & { dryRun: true },
    options?: WebinarImportOptions,
  ): Promise<WebinarDryRunResult>;
  (
    request: BulkImportCourseGroupWebinarsRequest & { dryRun?: false | undefined },
    options?: WebinarImportOptions,
  ): Promise<WebinarImportResult>;
  (
    request: BulkImportCourseGroupWebinarsRequest,
    options?: WebinarImportOptions,
  ): Promise<WebinarDryRunResult | WebinarImportResult>;
}

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
export function bulkImportCourseGroupWebinars(
  client: Pick<ThoughtIndustriesClient, 'api'>,
  request: BulkImportCourseGroupWebinarsRequest & { dryRun: true },
  options?: WebinarImportOptions,
): Promise<WebinarDryRunResult>;
export function bulkImportCourseGroupWebinars(
  client: Pick<ThoughtIndustriesClient, 'api'>,
  request: BulkImportCourseGroupWebinarsRequest & { dryRun?: false | undefined },
  options?: WebinarImportOptions,
): Promise<WebinarImportResult>;
export function bulkImportCourseGroupWebinars(
  client: Pick<ThoughtIndustriesClient, 'api'>,
  request: BulkImportCourseGroupWebinarsRequest,
  options?: WebinarImportOptions,
): Promise<WebinarDryRunResult | WebinarImportResult>;
export async function bulkImportCourseGroupWebinars(
  client: Pick<ThoughtIndustriesClient, 'api'>,
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
    limiter: rateLimiterOf(api),
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
