import {
  type Clock,
  classifyFailure,
  type PollResult,
  pollUntilDone,
  requestTimeoutSignal,
  unwrap,
} from '@bulk-clients/core';
import { UnexpectedResponseError } from './bulk-errors.js';
import { retryAfterFromHeaders } from './defaults.js';
import type {
  BackgroundJob,
  BackgroundJobStatus,
  JobPollOptions,
  ThoughtIndustriesApi,
} from './types.js';

/**
 * Defaults of `JobPollOptions`. A read every 1 to 15 s keeps a few jobs in flight well
 * inside the standard plan's 120 requests a minute, which bulk sends share.
 */
export const defaultJobPollOptions: Readonly<ResolvedJobPollOptions> = Object.freeze({
  minDelayMs: 1000,
  maxDelayMs: 15_000,
  maxWaitMs: 600_000,
});

/** {@link JobPollOptions} with every delay set. */
export interface ResolvedJobPollOptions extends JobPollOptions {
  minDelayMs: number;
  maxDelayMs: number;
  maxWaitMs: number;
}

/** {@link JobPollOptions} merged over the defaults and checked; bad values throw a `TypeError`. */
export function resolveJobPollOptions(
  poll: JobPollOptions | undefined,
  argument = 'poll',
): ResolvedJobPollOptions {
  if (poll !== undefined && (!poll || typeof poll !== 'object')) {
    throw new TypeError(`Expected \`${argument}\` to be an object`);
  }
  const merged: ResolvedJobPollOptions = { ...defaultJobPollOptions, ...poll };
  for (const key of ['minDelayMs', 'maxDelayMs', 'maxWaitMs'] as const) {
    const value = merged[key] ?? defaultJobPollOptions[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(
        `Expected \`${argument}.${key}\` to be a non-negative number, got ${String(value)}`,
      );
    }
    merged[key] = value;
  }
  if (merged.maxDelayMs < merged.minDelayMs) {
    throw new TypeError(
      `Expected \`${argument}.maxDelayMs\` (${merged.maxDelayMs}) to be at least \`${argument}.minDelayMs\` (${merged.minDelayMs})`,
    );
  }
  const ratio = merged.maxDelayRatio;
  if (ratio !== undefined && (typeof ratio !== 'number' || Number.isNaN(ratio) || ratio < 0)) {
    throw new TypeError(
      `Expected \`${argument}.maxDelayRatio\` to be a non-negative number, got ${String(ratio)}`,
    );
  }
  if (merged.random !== undefined && typeof merged.random !== 'function') {
    throw new TypeError(`Expected \`${argument}.random\` to be a function`);
  }
  return merged;
}

export interface WaitForJobOptions extends JobPollOptions {
  signal?: AbortSignal | undefined;
  /** Timeout of each status read; `0` for none. */
  httpTimeoutMs: number;
  clock?: Clock | undefined;
}

const TERMINAL: ReadonlySet<BackgroundJobStatus> = new Set(['complete', 'failed']);

/** Whether the job's status no longer changes. */
export function isSettledJob(job: BackgroundJob): boolean {
  return TERMINAL.has(job.status);
}

/**
 * Polls `GET /incoming/v2/jobs/{id}` until the job is `complete` or `failed`, with core's
 * `pollUntilDone`: backoff with jitter, `Retry-After` honoured, transient errors (429, 5xx,
 * dropped connections, unreadable bodies) survived. A job that is already settled is returned
 * without a request.
 */
export async function waitForBackgroundJob(
  api: ThoughtIndustriesApi,
  job: BackgroundJob,
  options: WaitForJobOptions,
): Promise<PollResult<BackgroundJob>> {
  if (isSettledJob(job)) {
    return {
      state: job.status === 'complete' ? 'succeeded' : 'failed',
      last: job,
      polls: 0,
      elapsedMs: 0,
    };
  }
  const result = await pollUntilDone<BackgroundJob>(
    async ({ signal }) => {
      const answer = await api.GET('/incoming/v2/jobs/{id}', {
        params: { path: { id: job.id } },
        signal: requestTimeoutSignal(signal, options.httpTimeoutMs),
      });
      const current = readJob(unwrap(answer, { retryAfter: retryAfterFromHeaders }));
      const state =
        current.status === 'complete'
          ? 'succeeded'
          : current.status === 'failed'
            ? 'failed'
            : 'pending';
      return { state, value: current };
    },
    {
      minDelayMs: options.minDelayMs ?? defaultJobPollOptions.minDelayMs,
      maxDelayMs: options.maxDelayMs ?? defaultJobPollOptions.maxDelayMs,
      maxWaitMs: options.maxWaitMs ?? defaultJobPollOptions.maxWaitMs,
      maxDelayRatio: options.maxDelayRatio,
      random: options.random,
      signal: options.signal,
      clock: options.clock,
      isTransient,
    },
  );
  // Until the first read answers, the job as the bulk call reported it is the latest we know.
  return result.last === undefined ? { ...result, last: job } : result;
}

function isTransient(error: unknown): boolean {
  // A status read changes nothing: a lost or unreadable answer is worth asking again.
  if (error instanceof UnexpectedResponseError) return true;
  const kind = classifyFailure(error).kind;
  return kind === 'retry' || kind === 'unknown';
}

/** The job of a `GET /incoming/v2/jobs/{id}` body; throws when the body lacks it. */
export function readJob(body: unknown): BackgroundJob {
  const job = (body as { data?: { APIBackgroundJob?: unknown } } | undefined)?.data
    ?.APIBackgroundJob;
  if (!isJob(job)) {
    throw new UnexpectedResponseError(
      'The background job answer has no `data.APIBackgroundJob` with an `id` and a `status`',
      body,
    );
  }
  return job;
}

/** Whether `value` has the fields of a job this package relies on. */
export function isJob(value: unknown): value is BackgroundJob {
  if (!value || typeof value !== 'object') return false;
  const { id, status } = value as { id?: unknown; status?: unknown };
  return typeof id === 'string' && id !== '' && typeof status === 'string';
}
