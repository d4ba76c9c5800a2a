/**
 * Pure mapping of a bulk update answer back to its inputs: one `ItemResult` per input, in
 * order. Kept apart from the transport so that it can be tested on any answer, valid or not.
 */
import type { BatchItem, ItemError, ItemResult } from '@bulk-clients/core';
import { UnexpectedResponseError } from './bulk-errors.js';
import type {
  BackgroundJob,
  BulkCertificateTemplateError,
  BulkCertificateTemplatesResult,
  CertificateTemplateUpdate,
  UpdateCertificateTemplateInput,
} from './types.js';
import { isJob } from './wait-for-background-job.js';

/** Fields of `UpdateCertificateTemplateInput` the vendor's messages may start with. */
const KNOWN_FIELDS = new Set(['id', 'title', 'description', 'status', 'body', 'expirationDays']);

/**
 * Reads the `data.APIBulkUpdateCertificateTemplates` of a 200 body. Throws an
 * {@link UnexpectedResponseError} when it is missing or its `errors` is not an array: the batch
 * may have been applied, so its outcome is unknown.
 */
export function readBulkUpdateResult(body: unknown): BulkCertificateTemplatesResult {
  const result = (body as { data?: { APIBulkUpdateCertificateTemplates?: unknown } } | undefined)
    ?.data?.APIBulkUpdateCertificateTemplates;
  if (!result || typeof result !== 'object') {
    throw new UnexpectedResponseError(
      'The bulk update answer has no `data.APIBulkUpdateCertificateTemplates` object',
      body,
    );
  }
  const { errors, backgroundJob } = result as { errors?: unknown; backgroundJob?: unknown };
  if (!Array.isArray(errors)) {
    throw new UnexpectedResponseError(
      'The bulk update answer has no `errors` array: which records were rejected is unknown',
      body,
    );
  }
  if (backgroundJob !== undefined && !isJob(backgroundJob)) {
    throw new UnexpectedResponseError(
      'The bulk update answer has a `backgroundJob` without an `id` and a `status`',
      body,
    );
  }
  return result as BulkCertificateTemplatesResult;
}

/**
 * For each input, the vendor's `errors[]` entry that rejects it, or `undefined` when it was
 * accepted. Entries are matched by `resourceId` (case-insensitive); when several inputs share an
 * id, the entry's `record` (the rejected input as JSON) picks the right one; an entry whose id
 * names no input (the nil UUID) is matched by `record` alone. An entry reported twice counts once.
 * Throws an {@link UnexpectedResponseError} for an entry that matches no input at all: some
 * record was rejected, and which one cannot be told.
 */
export function matchTemplateErrors(
  templates: readonly unknown[],
  errors: readonly unknown[],
): (BulkCertificateTemplateError | undefined)[] {
  const matched: (BulkCertificateTemplateError | undefined)[] = new Array(templates.length).fill(
    undefined,
  );
  const positionsById = new Map<string, number[]>();
  templates.forEach((template, position) => {
    const id = (template as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    const key = id.toLowerCase();
    const positions = positionsById.get(key);
    if (positions) positions.push(position);
    else positionsById.set(key, [position]);
  });
  const serialized: (string | undefined)[] = [];
  const recordOf = (position: number) => {
    serialized[position] ??= JSON.stringify(templates[position]) ?? '';
    return serialized[position];
  };
  const unmatched: unknown[] = [];
  for (const entry of errors) {
    const { resourceId, record } = (entry ?? {}) as { resourceId?: unknown; record?: unknown };
    const byId =
      typeof resourceId === 'string' ? positionsById.get(resourceId.toLowerCase()) : undefined;
    const sameRecord = (position: number) =>
      typeof record === 'string' && recordOf(position) === record;
    const free = (position: number) => matched[position] === undefined;
    let candidates: readonly number[] = byId ?? [];
    if (candidates.length === 0 && typeof record === 'string') {
      candidates = templates.map((_, position) => position).filter(sameRecord);
    }
    if (candidates.length === 0 || !entry || typeof entry !== 'object') {
      unmatched.push(entry);
      continue;
    }
    // When the record names one of them, only a copy of that record may be picked; otherwise
    // (the vendor re-serialised the record differently) the next one with that id.
    const named = candidates.filter(sameRecord);
    const pick = (named.length > 0 ? named : candidates).find(free);
    // Every input it could name is already rejected: the same rejection reported twice.
    if (pick !== undefined) matched[pick] = entry as BulkCertificateTemplateError;
  }
  if (unmatched.length > 0) {
    const first = JSON.stringify(unmatched[0]) ?? String(unmatched[0]);
    throw new UnexpectedResponseError(
      `The bulk update answer rejects ${unmatched.length} record(s) that match no template of the batch, first ${first.slice(0, 200)}`,
      errors,
    );
  }
  return matched;
}

/**
 * The engine's error for an input the vendor rejected in `errors[]`: its reason, the field its
 * message names, `status` 200 (the answer that carried it) and the raw entry in `vendor`.
 */
export function templateItemError(
  entry: BulkCertificateTemplateError,
  template: unknown,
  index: number,
): ItemError {
  const reason =
    typeof entry.error === 'string' && entry.error.trim() !== ''
      ? entry.error
      : 'rejected without a reason';
  const field = fieldOf(reason, template);
  const code = /not found/i.test(reason) ? 'not_found' : field ? 'invalid_field' : 'rejected';
  const id = (template as { id?: unknown } | null)?.id;
  const subject =
    typeof id === 'string' ? `Certificate template ${id} (record ${index})` : `Record ${index}`;
  return {
    code,
    message: `${subject}: ${reason}`,
    field: field ?? (code === 'not_found' ? 'id' : undefined),
    status: 200,
    vendor: entry,
    // A missing template or a bad field is refused on every attempt: no attempt wrote it.
    ...(code !== 'rejected' ? { definite: true } : {}),
  };
}

/** The input field a vendor message starts with (`title must not be empty` -> `title`). */
function fieldOf(reason: string, template: unknown): string | undefined {
  const word = /^\s*([A-Za-z_$][\w$]*)\b/.exec(reason)?.[1];
  if (word === undefined) return undefined;
  if (KNOWN_FIELDS.has(word)) return word;
  if (template && typeof template === 'object' && Object.hasOwn(template, word)) return word;
  return undefined;
}

/**
 * Maps one bulk update answer to one result per input, in order: inputs in `errors[]` fail with
 * the vendor's reason; the others succeed when the vendor started no job or its job completed,
 * and fail with the job's `errorMessage` when it failed.
 *
 * @param batch the inputs, as the engine handed them to `send`
 * @param result the answer, see {@link readBulkUpdateResult}
 * @param job the final state of the answer's background job; defaults to `result.backgroundJob`.
 * A job that is not `complete` or `failed` is a `TypeError`: wait for it first.
 */
export function mapBulkUpdateResponse(
  batch: readonly BatchItem<UpdateCertificateTemplateInput>[],
  result: BulkCertificateTemplatesResult,
  job: BackgroundJob | undefined = result.backgroundJob,
): ItemResult<CertificateTemplateUpdate>[] {
  const rejected = matchTemplateErrors(
    batch.map((entry) => entry.item),
    result.errors,
  );
  const accepted = rejected.some((entry) => entry === undefined);
  if (accepted && job && job.status !== 'complete' && job.status !== 'failed') {
    throw new TypeError(
      `Expected \`job\` ${job.id} to be complete or failed, got ${job.status}: wait for it first`,
    );
  }
  let jobError: Omit<ItemError, 'message'> | undefined;
  if (job?.status === 'failed') {
    jobError = { code: 'job_failed', status: 200, vendor: job };
  }
  return batch.map(({ index, item }, position): ItemResult<CertificateTemplateUpdate> => {
    const entry = rejected[position];
    if (entry) return { kind: 'failed', error: templateItemError(entry, item, index) };
    if (jobError && job) {
      return {
        kind: 'failed',
        error: {
          ...jobError,
          message: `Certificate template ${item.id} (record ${index}): background job ${job.id} failed: ${job.errorMessage ?? 'no reason given'}`,
        },
      };
    }
    const value: CertificateTemplateUpdate = { id: item.id };
    if (job) value.backgroundJob = job;
    return { kind: 'succeeded', value };
  });
}

/**
 * Maps a bulk update answer whose background job had not settled when the wait ended, one
 * result per input, in order: inputs in `errors[]` fail with the vendor's reason (it rejected
 * them when it answered, whatever the job does), and the others are `unknown` with `error`
 * (naming the record): the job may still write them.
 *
 * @param batch the inputs, as the engine handed them to `send`
 * @param result the answer, see {@link readBulkUpdateResult}
 * @param error why the others are unknown, e.g. the message of a `BackgroundJobTimeoutError`
 */
export function mapUnsettledBulkUpdate(
  batch: readonly BatchItem<UpdateCertificateTemplateInput>[],
  result: BulkCertificateTemplatesResult,
  error: ItemError,
): ItemResult<CertificateTemplateUpdate>[] {
  const rejected = matchTemplateErrors(
    batch.map((entry) => entry.item),
    result.errors,
  );
  return batch.map(({ index, item }, position): ItemResult<CertificateTemplateUpdate> => {
    const entry = rejected[position];
    if (entry) return { kind: 'failed', error: templateItemError(entry, item, index) };
    return {
      kind: 'unknown',
      error: {
        ...error,
        message: `Certificate template ${item.id} (record ${index}): ${error.message}`,
      },
    };
  });
}
