import {
  type BatchItem,
  type BulkAdapter,
  type ItemResult,
  pickRunBulkOptions,
  requestTimeoutSignal,
  runBulk,
  systemClock,
  unwrap,
} from '@bulk-clients/core';
import {
  BackgroundJobTimeoutError,
  BackgroundJobUnreadableError,
  UnexpectedResponseError,
} from './bulk-errors.js';
import {
  mapBulkUpdateResponse,
  mapUnsettledBulkUpdate,
  matchTemplateErrors,
  readBulkUpdateResult,
} from './certificate-templates-bulk-update-response.js';
import { retryAfterFromHeaders, thoughtIndustriesDefaults } from './defaults.js';
import type {
  BackgroundJob,
  BulkCertificateTemplatesResult,
  BulkUpdateInput,
  CertificateTemplatesBulkUpdateAdapterOptions,
  CertificateTemplatesBulkUpdateOptions,
  CertificateTemplatesBulkUpdateReport,
  CertificateTemplateUpdate,
  ThoughtIndustriesClient,
  UpdateCertificateTemplateInput,
} from './types.js';
import { validateTemplateUpdate } from './validate-template-update.js';
import {
  defaultJobPollOptions,
  isSettledJob,
  resolveJobPollOptions,
  waitForBackgroundJob,
} from './wait-for-background-job.js';

/** Name of the operation in reports and journals. */
export const CERTIFICATE_TEMPLATES_BULK_UPDATE =
  'thought-industries.certificateTemplates.bulkUpdate';

/** Defaults of `CertificateTemplatesBulkUpdateAdapterOptions`. */
export const defaultCertificateTemplatesBulkUpdateOptions = Object.freeze({
  batchSize: thoughtIndustriesDefaults.chunkSize,
  httpTimeoutMs: 60_000,
  poll: defaultJobPollOptions,
});

/** A job being waited for, kept between attempts of its batch. */
interface PendingJob {
  result: BulkCertificateTemplatesResult;
  job: BackgroundJob;
  /** Clock time the wait started. */
  startedAt: number;
  /** Clock time after which the wait gives up. */
  deadline: number;
}

/**
 * Batches whose job outlived an attempt. Bounded: a batch evicted from it is simply sent again,
 * which is harmless for updates.
 */
const MAX_REMEMBERED_JOBS = 1024;

/**
 * The engine adapter of `POST /incoming/v2/content/certificate-templates/bulk/update`, for
 * `runBulk` (the CLI hands it a journal this way):
 *
 * - `validate` fails records that break the request contract, naming the field and index;
 * - `send` posts one batch, maps `errors[]` back to the exact records, then waits for the
 *   background job with core's `pollUntilDone`: `complete` -> the other records succeeded,
 *   `failed` -> they fail with the job's `errorMessage`;
 * - a job still running after `poll.maxWaitMs`: the records the vendor rejected in its answer
 *   fail with its reason, the others are `unknown` (code `job_timeout`, the message of a
 *   {@link BackgroundJobTimeoutError}); the batch is not sent again, so no second job starts;
 * - a job whose status cannot be read throws a `BackgroundJobUnreadableError` (an unknown
 *   outcome): the engine retries, and a retry does not post again but reads the same job.
 *
 * The wait holds the batch's concurrency slot: a slot is an unfinished job at the vendor, so
 * `concurrency` bounds the jobs queued on the instance, and polls share the client's rate limit.
 *
 * @example
 * const adapter = createCertificateTemplatesBulkUpdateAdapter(ti, { batchSize: 200 });
 * const report = await runBulk(readTemplates(), adapter, { journal, limiter: ti.limiter });
 */
export function createCertificateTemplatesBulkUpdateAdapter(
  client: Pick<ThoughtIndustriesClient, 'api'>,
  options: CertificateTemplatesBulkUpdateAdapterOptions = {},
): BulkAdapter<UpdateCertificateTemplateInput, CertificateTemplateUpdate> {
  if (!client || typeof client !== 'object' || !client.api) {
    throw new TypeError('Expected `client` to be a Thought Industries client (with `api`)');
  }
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const defaults = defaultCertificateTemplatesBulkUpdateOptions;
  const batchSize = options.batchSize ?? defaults.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TypeError(
      `Expected \`batchSize\` to be a positive integer, got ${String(batchSize)}`,
    );
  }
  const httpTimeoutMs = options.httpTimeoutMs ?? defaults.httpTimeoutMs;
  if (typeof httpTimeoutMs !== 'number' || !Number.isFinite(httpTimeoutMs) || httpTimeoutMs < 0) {
    throw new TypeError(
      `Expected \`httpTimeoutMs\` to be a non-negative number, got ${String(httpTimeoutMs)}`,
    );
  }
  const poll = resolveJobPollOptions(options.poll);
  const clock = options.clock ?? systemClock;
  const { api } = client;
  const pendingJobs = new Map<string, PendingJob>();
  const remember = (key: string, pending: PendingJob) => {
    pendingJobs.delete(key);
    pendingJobs.set(key, pending);
    if (pendingJobs.size > MAX_REMEMBERED_JOBS) {
      const oldest = pendingJobs.keys().next().value;
      if (oldest !== undefined) pendingJobs.delete(oldest);
    }
  };

  return {
    operation: CERTIFICATE_TEMPLATES_BULK_UPDATE,
    maxBatchSize: batchSize,
    idempotent: true,
    validate: validateTemplateUpdate,
    async send(batch, ctx) {
      let pending = pendingJobs.get(ctx.batchKey);
      if (!pending) {
        const answer = await api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
          body: { templates: batch.map((entry) => entry.item) },
          signal: requestTimeoutSignal(ctx.signal, httpTimeoutMs),
        });
        if (answer.response.status === 400) {
          const split = splitContractRejection(batch, answer.error);
          if (split) return split;
        }
        const result = readBulkUpdateResult(unwrap(answer, { retryAfter: retryAfterFromHeaders }));
        const job = result.backgroundJob;
        // Matching first makes an answer that names records we did not send fail before any wait.
        const rejected = matchTemplateErrors(
          batch.map((entry) => entry.item),
          result.errors,
        );
        if (!job || isSettledJob(job) || rejected.every((entry) => entry !== undefined)) {
          return mapBulkUpdateResponse(batch, result, job);
        }
        const startedAt = clock.now();
        pending = { result, job, startedAt, deadline: startedAt + poll.maxWaitMs };
      }
      let waited: Awaited<ReturnType<typeof waitForBackgroundJob>>;
      try {
        waited = await waitForBackgroundJob(api, pending.job, {
          ...poll,
          maxWaitMs: Math.max(0, pending.deadline - clock.now()),
          signal: ctx.signal,
          httpTimeoutMs,
          clock,
        });
      } catch (error) {
        remember(ctx.batchKey, pending);
        throw new BackgroundJobUnreadableError(pending.job.id, { cause: error });
      }
      const job = waited.last ?? pending.job;
      if (waited.state === 'succeeded' || waited.state === 'failed') {
        pendingJobs.delete(ctx.batchKey);
        return mapBulkUpdateResponse(batch, pending.result, job);
      }
      if (waited.state === 'aborted') {
        remember(ctx.batchKey, { ...pending, job });
        throw ctx.signal.reason ?? new DOMException('The wait was aborted', 'AbortError');
      }
      // The wait is over: what the vendor rejected in its answer failed, the rest is unknown.
      pendingJobs.delete(ctx.batchKey);
      const timeout = new BackgroundJobTimeoutError(job, clock.now() - pending.startedAt);
      return mapUnsettledBulkUpdate(batch, pending.result, {
        code: timeout.code,
        message: timeout.message,
        status: 200,
        vendor: job,
      });
    },
    classifyError(error) {
      if (
        error instanceof BackgroundJobTimeoutError ||
        error instanceof BackgroundJobUnreadableError ||
        error instanceof UnexpectedResponseError
      ) {
        // The vendor may have applied the batch (or may still): an unknown outcome.
        return { kind: 'unknown', reason: error.code };
      }
      return undefined;
    },
  };
}

/**
 * A 400 whose `details` point into `templates[N]`: the vendor refused the whole request for
 * those records. They fail with the vendor's message and field; the others are sent again in a
 * new batch. `undefined` when the details blame no record (the whole batch then fails).
 */
function splitContractRejection(
  batch: readonly BatchItem<UpdateCertificateTemplateInput>[],
  body: unknown,
): ItemResult<CertificateTemplateUpdate>[] | undefined {
  const details = (body as { details?: unknown } | undefined)?.details;
  if (!Array.isArray(details)) return undefined;
  const blamed = new Map<number, { field: string | undefined; message: string; detail: unknown }>();
  for (const detail of details) {
    const { pointer, message } = (detail ?? {}) as { pointer?: unknown; message?: unknown };
    const match =
      typeof pointer === 'string' ? /^\/templates\/(\d+)(?:\/([^/]+))?/.exec(pointer) : null;
    const position = match ? Number(match[1]) : Number.NaN;
    if (!match || position >= batch.length || blamed.has(position)) continue;
    blamed.set(position, {
      field: match[2],
      message: typeof message === 'string' ? message : 'does not match the contract',
      detail,
    });
  }
  if (blamed.size === 0) return undefined;
  return batch.map(({ index, item }, position) => {
    const problem = blamed.get(position);
    if (!problem) return { kind: 'resend' };
    const subject = problem.field ? `\`${problem.field}\` ` : '';
    return {
      kind: 'failed',
      error: {
        code: 'invalid_request',
        message: `Record ${index} (certificate template ${String(item.id)}): ${subject}${problem.message}`,
        field: problem.field,
        status: 400,
        vendor: problem.detail,
        // The contract refuses this input every time: no earlier attempt can have written it.
        definite: true,
      },
    };
  });
}

/**
 * The engine's bound for one send of a certificate template bulk update: the update request, a
 * job status read and the wait for the job (`2 x httpTimeoutMs + poll.maxWaitMs`). Per-call
 * timeouts switched off (`0`) still leave the engine a bound for a hung send. It is the default
 * `requestTimeoutMs` of `certificateTemplates.bulkUpdate`; give it to `runBulk` when running the
 * adapter yourself.
 *
 * @example runBulk(templates, adapter, { requestTimeoutMs: certificateTemplatesBulkUpdateSendTimeoutMs({ poll }) })
 */
export function certificateTemplatesBulkUpdateSendTimeoutMs(
  options: Pick<CertificateTemplatesBulkUpdateAdapterOptions, 'httpTimeoutMs' | 'poll'> = {},
): number {
  const defaults = defaultCertificateTemplatesBulkUpdateOptions;
  return (
    2 * (options.httpTimeoutMs || defaults.httpTimeoutMs) +
    (options.poll?.maxWaitMs ?? defaults.poll.maxWaitMs)
  );
}

/**
 * Updates certificate templates in batches with core's `runBulk`, through the client's rate
 * limiter, and waits for each batch's background job. Every input is counted once in the report:
 * `succeeded + failed + unknown + skipped === total`.
 *
 * @example
 * const report = await ti.certificateTemplates.bulkUpdate(templates, { concurrency: 2 });
 */
export function certificateTemplatesBulkUpdate(
  client: Pick<ThoughtIndustriesClient, 'api' | 'limiter'>,
  templates: BulkUpdateInput,
  options: CertificateTemplatesBulkUpdateOptions = {},
): Promise<CertificateTemplatesBulkUpdateReport> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { batchSize, httpTimeoutMs, poll, requestTimeoutMs, clock } = options;
  const adapter = createCertificateTemplatesBulkUpdateAdapter(client, {
    batchSize,
    httpTimeoutMs,
    poll,
    clock,
  });
  return runBulk(templates, adapter, {
    ...pickRunBulkOptions<UpdateCertificateTemplateInput, CertificateTemplateUpdate>(options),
    requestTimeoutMs:
      requestTimeoutMs ?? certificateTemplatesBulkUpdateSendTimeoutMs({ httpTimeoutMs, poll }),
    limiter: client.limiter,
  });
}

/** @deprecated Use {@link certificateTemplatesBulkUpdate}. */
export const bulkUpdateCertificateTemplates = certificateTemplatesBulkUpdate;
