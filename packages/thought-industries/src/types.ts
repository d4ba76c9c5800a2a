/**
 * Friendly names for the generated types. The generated module is an implementation detail:
 * code outside this package uses these names, so a regenerated schema cannot rename them.
 */
import type {
  ApiClientOptions,
  BulkReport,
  Clock,
  PassedRunBulkOptions,
  RateLimitOptions,
  RetryOptions,
  VendorClient,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
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

/** A request budget for the `rateLimit` option: at most `requests` requests every `perMs` ms. */
export type RateLimit = RateLimitOptions;

/** Options of `createThoughtIndustriesClient`. */
export interface ThoughtIndustriesClientOptions extends ApiClientOptions {
  /**
   * Scheme, host and optional port of the customer's instance. Required unless `instance` is
   * given: Thought Industries has no shared production host.
   * @default `https://{instance}.thoughtindustries.com` when `instance` is given
   * @example 'https://acme.thoughtindustries.com'
   */
  baseUrl?: ApiClientOptions['baseUrl'];
  /**
   * Subdomain of the customer's instance, used to build `baseUrl`. Give this or `baseUrl`,
   * not both.
   * @default undefined
   * @example 'acme'
   */
  instance?: string | undefined;
  /**
   * The rate limit every request of this client passes through (bulk sends and job polls
   * alike): a core `RateLimiter` to share one budget between clients of the same instance,
   * a {@link RateLimit} `{ requests, perMs, burst? }` for one of this client's own, or `false`
   * for none.
   * @default { requests: 120, perMs: 60_000, burst: 20 } (the standard plan)
   * @example thoughtIndustriesDefaults.enterpriseRateLimit
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the Thought Industries paths. */
export type ThoughtIndustriesApi = Client<paths>;

/**
 * What `createThoughtIndustriesClient` returns: the typed `api` (`api.POST('/incoming/v2/...', { body })`), its `baseUrl`
 * and `limiter` (see core's `VendorClient`), and the bulk operations.
 */
export interface ThoughtIndustriesClient extends VendorClient<ThoughtIndustriesApi> {
  /** Bulk operations on certificate templates, built on core's `runBulk`. */
  readonly certificateTemplates: {
    /**
     * Updates templates in batches, waits for each batch's background job, and reports every
     * input once. See `certificateTemplatesBulkUpdate`.
     */
    readonly bulkUpdate: (
      templates: BulkUpdateInput,
      options?: CertificateTemplatesBulkUpdateOptions,
    ) => Promise<CertificateTemplatesBulkUpdateReport>;
  };
  /** Course group webinar imports. */
  readonly courseGroupWebinars: {
    /**
     * Checks (`dryRun: true`) or imports a stored webinar file and waits for the import job.
     * See `courseGroupWebinarsBulkImport`.
     */
    readonly bulkImport: BulkImportWebinars;
  };
}

/** How to wait for a background job (passed to core's `pollUntilDone`). */
export interface JobPollOptions {
  /**
   * Shortest wait between two status reads.
   * @default 1000
   */
  minDelayMs?: number | undefined;
  /**
   * Longest wait between two status reads (a `Retry-After` may ask for longer).
   * @default 15000
   */
  maxDelayMs?: number | undefined;
  /**
   * How long to wait for one job before giving up on it (its records are then `unknown`).
   * @default 600000
   */
  maxWaitMs?: number | undefined;
  /**
   * Caps each wait at `minDelayMs` plus this share of the time waited so far, so that a job is
   * seen settled within about that share of its duration (core's `pollUntilDone` option).
   * `Infinity` leaves the waits to the backoff alone.
   * @default 0.1
   */
  maxDelayRatio?: number | undefined;
  /**
   * Source of randomness in [0, 1) for the jitter between reads.
   * @default Math.random
   */
  random?: (() => number) | undefined;
}

/** What a succeeded template update reports. */
export interface CertificateTemplateUpdate {
  /** Id of the updated template. */
  id: string;
  /**
   * The background job that wrote the change (in its final state), when the vendor started one.
   * One object shared by the records of a batch.
   */
  backgroundJob?: BackgroundJob | undefined;
}

/** What `bulkUpdate` reads: any iterable, read lazily (a generator over a large file is fine). */
export type BulkUpdateInput =
  | Iterable<UpdateCertificateTemplateInput>
  | AsyncIterable<UpdateCertificateTemplateInput>;

/** The core report of a bulk update, typed with this operation's input and result. */
export type CertificateTemplatesBulkUpdateReport = BulkReport<
  UpdateCertificateTemplateInput,
  CertificateTemplateUpdate
>;

/** Options of `createCertificateTemplatesBulkUpdateAdapter`. */
export interface CertificateTemplatesBulkUpdateAdapterOptions {
  /**
   * Templates per request. The vendor documents no maximum; this is also the largest `batchSize`
   * the engine accepts with this adapter.
   * @default 100 (`thoughtIndustriesDefaults.chunkSize`)
   */
  batchSize?: number | undefined;
  /**
   * Timeout of each HTTP call inside a send (the update request, each job status read), in ms.
   * A call that times out has an unknown outcome; updates are then sent again. `0` for none.
   * @default 60000
   */
  httpTimeoutMs?: number | undefined;
  /**
   * How to wait for the background job that writes each batch. `maxWaitMs` bounds the wait for
   * one job; a job still running then leaves its records `unknown` (it may still complete).
   * @default { minDelayMs: 1000, maxDelayMs: 15000, maxWaitMs: 600000 }
   * @example { minDelayMs: 500, maxWaitMs: 5 * 60_000 }
   */
  poll?: JobPollOptions | undefined;
  /**
   * Time source of the job wait; inject a fake one in tests (give the same to `runBulk`).
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** Options of `client.certificateTemplates.bulkUpdate`: the engine's, and this operation's. */
export interface CertificateTemplatesBulkUpdateOptions
  extends PassedRunBulkOptions<
      UpdateCertificateTemplateInput,
      CertificateTemplateUpdate,
      'batchSize' | 'requestTimeoutMs'
    >,
    CertificateTemplatesBulkUpdateAdapterOptions {
  /**
   * Milliseconds after which the engine gives up on a whole send: the update request and the
   * wait for its job. Keep it above `poll.maxWaitMs`, or a slow job is cut short by the engine
   * instead (its records are then retried, and `unknown` in the end).
   * @default 2 x httpTimeoutMs + poll.maxWaitMs (720000 with the defaults)
   */
  requestTimeoutMs?: number | undefined;
}

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
