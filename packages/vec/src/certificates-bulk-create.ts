/**
 * `certificates.bulkCreate`: uploads the documents, sends the bulk requests, follows each batch
 * until its certificates settle, and reads back from the vault when an answer is lost. The engine
 * in `@bulk-clients/core` does the batching, concurrency, retries, throttling, accounting and
 * journal; this module only speaks the vault's language.
 */
import {
  ApiError,
  type BatchItem,
  type BulkAdapter,
  type BulkReport,
  type Clock,
  type FailureClass,
  type ItemError,
  type ItemResult,
  type PassedRunBulkOptions,
  pickRunBulkOptions,
  pollUntilDone,
  type ReconcileResult,
  type RetryOptions,
  rateLimiterOf,
  resolveRetryOptions,
  runBulk,
  type SendContext,
  systemClock,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import {
  type CertificateMatch,
  type EntryFields,
  mapBulkRejection,
  matchBatchCertificates,
  sameFields,
  showsAllFilesUsed,
} from './bulk-create-response.js';
import {
  type BulkCertificateEntry,
  checkEntry,
  requestEntry,
  resolveFile,
} from './certificate-entry.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { VecApi } from './create-vec-client.js';
import { retryAfterFromHeaders, vecDefaults } from './defaults.js';
import { fileIdNote, recordedFileIds } from './file-id-note.js';
import type {
  BatchStatusValue,
  Certificate,
  CertificateEntry,
  ListCertificatesQuery,
} from './types.js';
import { uploadCertificateFile } from './upload-certificate-file.js';

/** How a batch is followed after the vault accepted it. */
export interface BulkCreatePollOptions {
  /**
   * Shortest wait between two status checks.
   * @default 1000
   */
  minDelayMs?: number | undefined;
  /**
   * Longest wait between two status checks.
   * @default 15000
   */
  maxDelayMs?: number | undefined;
  /**
   * How long to wait for a batch to settle; entries still pending then are reported `unknown`.
   * @default 600000
   */
  maxWaitMs?: number | undefined;
}

/** Options of {@link createCertificatesBulkCreateAdapter}. */
export interface CertificatesBulkCreateAdapterOptions {
  /**
   * Entries per bulk request. The vault documents no maximum.
   * @default vecDefaults.chunkSize (100)
   */
  batchSize?: number | undefined;
  /**
   * Uploads in flight at once, over all batches of the run.
   * @default 4
   */
  uploadConcurrency?: number | undefined;
  /**
   * How each accepted batch is followed until its certificates settle.
   * @default { minDelayMs: 1000, maxDelayMs: 15000, maxWaitMs: 600000 }
   */
  poll?: BulkCreatePollOptions | undefined;
  /**
   * Timeout of each HTTP request the operation makes (upload, bulk request, status read), in ms;
   * a bulk request that times out has an unknown outcome and is read back, never re-sent blindly.
   * `0` disables it.
   * @default 60000
   */
  httpTimeoutMs?: number | undefined;
  /**
   * Check field lengths and the date format before sending, as the vault would. `false` leaves
   * them to the vault (its 422 then fails the entries it names). Shape and document checks are
   * always made.
   * @default true
   */
  checkEntries?: boolean | undefined;
  /**
   * Backoff between the attempts of one upload (uploads are safe to retry).
   * @default defaultRetryOptions of `@bulk-clients/core`
   */
  retry?: RetryOptions | undefined;
  /**
   * Time source for polling and upload backoff; inject one in tests.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** Options of `certificates.bulkCreate`: the engine's options that apply, and the vault's own. */
export interface BulkCreateCertificatesOptions
  extends CertificatesBulkCreateAdapterOptions,
    PassedRunBulkOptions<
      BulkCertificateEntry,
      Certificate,
      'batchSize' | 'requestTimeoutMs' | 'retry' | 'clock'
    > {
  /**
   * Milliseconds before the engine abandons one batch (uploads, bulk request and the wait for
   * its certificates); its outcome is then unknown and read back. Each HTTP request has its own
   * `httpTimeoutMs` and the wait its own `poll.maxWaitMs`, so no overall bound is needed.
   * @default 0 (none)
   */
  requestTimeoutMs?: number | undefined;
}

/** The report of `certificates.bulkCreate`: each entry's `value` is its certificate. */
export type BulkCreateCertificatesReport = BulkReport<BulkCertificateEntry, Certificate>;

/** Defaults of {@link CertificatesBulkCreateAdapterOptions}, merged once per adapter. */
export const defaultBulkCreateOptions = Object.freeze({
  batchSize: vecDefaults.chunkSize,
  uploadConcurrency: 4,
  poll: Object.freeze({ minDelayMs: 1000, maxDelayMs: 15_000, maxWaitMs: 600_000 }),
  httpTimeoutMs: 60_000,
  checkEntries: true,
});

/**
 * Thrown by `send` when a batch was accepted but its certificates could not all be settled
 * (the wait timed out, or reading them failed). The engine treats the outcome as unknown and
 * calls `reconcile`, which reads the batch once more and reports what is still open `unknown`.
 */
export class VecTrackingError extends Error {
  override readonly name = 'VecTrackingError';
  constructor(
    readonly code: 'tracking_timeout' | 'tracking_failed' | 'tracking_incomplete',
    readonly batchId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const OPERATION = 'vec.certificates.bulkCreate';
const PAGE_SIZE = vecDefaults.listPageSize.max;
/** Pages of one recipient's certificates searched for a lost batch, newest first. */
const LOOKUP_PAGES = 3;
/** Candidate batches examined per lookup. */
const LOOKUP_BATCHES = 5;

/** A batch the vault accepted: what was sent, for following it and reading it back. */
interface Tracking {
  batchId: string;
  /** Positions in the engine's batch of the entries sent. */
  positions: number[];
  entries: EntryFields[];
  records: number[];
  timedOut: boolean;
}

/**
 * The vault's bulk create as a `BulkAdapter` for `runBulk`, for callers that run it themselves
 * (with a journal, for example). Not idempotent: a bulk request whose answer is lost is never
 * sent again blindly; `reconcile` reads back what the vault holds first.
 *
 * @example
 * const adapter = createCertificatesBulkCreateAdapter(vec.api, { batchSize: 50 });
 * const report = await runBulk(entries, adapter, { journal, limiter: rateLimiterOf(vec.api), requestTimeoutMs: 0 });
 */
export function createCertificatesBulkCreateAdapter(
  api: VecApi,
  options: CertificatesBulkCreateAdapterOptions = {},
): BulkAdapter<BulkCertificateEntry, Certificate> {
  if (!api || typeof api.POST !== 'function' || typeof api.GET !== 'function') {
    throw new TypeError('Expected `api` to be the typed client of createVecClient (`vec.api`)');
  }
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const batchSize = positiveInteger(
    'batchSize',
    options.batchSize,
    defaultBulkCreateOptions.batchSize,
  );
  const uploadLimit = new ConcurrencyLimit(
    positiveInteger(
      'uploadConcurrency',
      options.uploadConcurrency,
      defaultBulkCreateOptions.uploadConcurrency,
    ),
  );
  const httpTimeoutMs = positiveInteger(
    'httpTimeoutMs',
    options.httpTimeoutMs,
    defaultBulkCreateOptions.httpTimeoutMs,
    0,
  );
  const poll = { ...defaultBulkCreateOptions.poll, ...definedOf(options.poll, 'poll') };
  const checkFields = options.checkEntries ?? defaultBulkCreateOptions.checkEntries;
  const retry = resolveRetryOptions(options.retry);
  const clock = options.clock ?? systemClock;
  const settledBatch: readonly BatchStatusValue[] = vecDefaults.settledBatchStatuses;

  // Keyed by the engine's batch items, which live as long as the run holds them: a retried or
  // re-sent entry reuses the file it uploaded, so a read-back can name the same file_id.
  const uploadedFileId = new WeakMap<BatchItem<BulkCertificateEntry>, string>();
  const uploadFailure = new WeakMap<BatchItem<BulkCertificateEntry>, ItemError>();
  // Batches accepted whose wait did not finish, by the engine's batch key, for reconcile.
  const acceptedByKey = new Map<string, Tracking>();
  // Batches already reported, so that a read-back never takes one of them for a lost one.
  const reported = new Set<string>();
  // Once the vault refuses the token, every further request would be refused too.
  let refusal: { status: number; code: string; reason: string; body: unknown } | undefined;

  const requestSignal = (signal: AbortSignal): AbortSignal =>
    httpTimeoutMs > 0 ? AbortSignal.any([signal, AbortSignal.timeout(httpTimeoutMs)]) : signal;
  const unwrap = <Data, Err>(result: { data?: Data; error?: Err; response: Response }) =>
    unwrapResult(result, { retryAfter: retryAfterFromHeaders });

  const refusalFor = (record: number): ItemError => ({
    code: refusal!.code,
    status: refusal!.status,
    message: `Record ${record}: ${refusal!.reason}`,
    vendor: refusal!.body,
  });
  const noteRefusal = (status: number, body: unknown) => {
    const vendor = body as { message?: unknown; required_permission?: unknown } | undefined;
    const message = typeof vendor?.message === 'string' ? vendor.message : `HTTP ${status}`;
    const permission =
      typeof vendor?.required_permission === 'string'
        ? `; the token needs the ${vendor.required_permission} permission`
        : '';
    refusal = {
      status,
      code: status === 401 ? 'unauthorized' : 'forbidden',
      reason: `the vault refused the token (${status} ${message})${permission}`,
      body,
    };
  };

  /** The file id of each entry (uploading what needs it), or why it has none. */
  const filesOf = async (
    batch: readonly BatchItem<BulkCertificateEntry>[],
    signal: AbortSignal,
  ): Promise<(string | ItemError)[]> => {
    const out: (string | ItemError)[] = new Array(batch.length);
    const uploads: Promise<void>[] = [];
    batch.forEach((batchItem, position) => {
      const { item, index } = batchItem;
      if (item.file_id !== undefined) out[position] = item.file_id;
      else {
        const known = uploadedFileId.get(batchItem) ?? uploadFailure.get(batchItem);
        if (known !== undefined) out[position] = known;
        else
          uploads.push(
            upload(batchItem, index, signal).then((result) => {
              out[position] = result;
            }),
          );
      }
    });
    await Promise.all(uploads);
    return out;
  };

  const upload = (
    batchItem: BatchItem<BulkCertificateEntry>,
    record: number,
    signal: AbortSignal,
  ): Promise<string | ItemError> =>
    uploadLimit.run(async () => {
      if (refusal) return refusalFor(record);
      const item = batchItem.item;
      if (item.file === undefined)
        return {
          code: 'invalid_entry',
          field: 'file_id',
          message: `Record ${record}: file_id or file is required`,
        };
      let file: Awaited<ReturnType<typeof resolveFile>>;
      try {
        file = await resolveFile(item);
      } catch (error) {
        const failure: ItemError = {
          code: 'file_unreadable',
          field: 'file',
          message: `Record ${record}: file could not be read: ${error instanceof Error ? error.message : String(error)}`,
        };
        uploadFailure.set(batchItem, failure);
        return failure;
      }
      const outcome = await uploadCertificateFile(file, {
        api,
        record,
        retry,
        clock,
        signal,
        requestSignal,
      });
      if (outcome.ok) {
        uploadedFileId.set(batchItem, outcome.file.file_id);
        return outcome.file.file_id;
      }
      if (outcome.error.status === 401 || outcome.error.status === 403) {
        noteRefusal(outcome.error.status, outcome.error.vendor);
        return refusalFor(record);
      }
      uploadFailure.set(batchItem, outcome.error);
      return outcome.error;
    }, signal);

  /** Every certificate a query finds, over at most `maxPages` pages. */
  const listAll = async (
    query: ListCertificatesQuery,
    signal: AbortSignal,
    maxPages: number,
  ): Promise<Certificate[]> => {
    const found: Certificate[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const list = unwrap(
        await api.GET('/business/certificate-vault', {
          params: { query: { ...query, per_page: PAGE_SIZE, page } },
          signal: requestSignal(signal),
        }),
      );
      found.push(...list.data);
      if (!list.links?.next || list.data.length === 0) break;
    }
    return found;
  };

  /**
   * Follows an accepted batch until every entry's certificate settles: the batch status first
   * (one cheap request per check), then its certificates through the list's `batch_id` filter.
   * Where the status endpoint does not know the batch, the list alone is polled.
   */
  const follow = async (
    tracking: Tracking,
    signal: AbortSignal,
    maxWaitMs: number,
    listOnly = false,
  ): Promise<{ matches: CertificateMatch[]; timedOut: boolean }> => {
    let useList = listOnly;
    const maxPages = Math.ceil(tracking.entries.length / PAGE_SIZE) + 1;
    const result = await pollUntilDone<CertificateMatch[] | undefined>(
      async ({ signal: pollSignal }) => {
        const current = pollSignal ?? signal;
        if (!useList) {
          try {
            const status = unwrap(
              await api.GET('/business/batches/{batchId}/status', {
                params: { path: { batchId: tracking.batchId } },
                signal: requestSignal(current),
              }),
            );
            if (!settledBatch.includes(status.status))
              return { state: 'pending', value: undefined };
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 404)) throw error;
            useList = true;
          }
        }
        const certificates = await listAll({ batch_id: tracking.batchId }, current, maxPages);
        const matches = matchBatchCertificates(tracking.entries, certificates, tracking.records);
        // Through the list alone, a certificate not listed yet may still appear.
        const open = matches.some(
          (match) => match.kind === 'pending' || (useList && match.kind === 'missing'),
        );
        return { state: open ? 'pending' : 'succeeded', value: matches };
      },
      { ...poll, maxWaitMs, signal, clock },
    );
    if (result.state === 'aborted')
      throw signal.reason ?? new DOMException('Aborted', 'AbortError');
    const matches =
      result.last ?? tracking.entries.map((): CertificateMatch => ({ kind: 'missing' }));
    return { matches, timedOut: result.state === 'timeout' };
  };

  /**
   * Looks in the vault for the certificates of a request whose answer was lost: the recipients'
   * recent certificates name candidate batches, and a candidate is ours when each of its
   * certificates carries the fields of one of our entries, in entry order. Returns the batch and
   * which of our entries it holds (the others were not in it).
   */
  const findLostBatch = async (
    entries: readonly EntryFields[],
    signal: AbortSignal,
  ): Promise<{ batchId: string; held: number[] } | undefined> => {
    const examined = new Set<string>();
    for (const entry of entries.slice(0, 3)) {
      let recent: Certificate[];
      try {
        recent = await listAll({ applicant_email: entry.applicant_email }, signal, LOOKUP_PAGES);
      } catch (error) {
        // An address the vault cannot filter by was never stored either.
        if (error instanceof ApiError && error.status === 422) continue;
        throw error;
      }
      const candidates: string[] = [];
      for (const certificate of recent) {
        const batchId = certificate.batch_id;
        if (!batchId || reported.has(batchId) || examined.has(batchId)) continue;
        if (!sameFields(entry, certificate) || candidates.includes(batchId)) continue;
        candidates.push(batchId);
      }
      for (const batchId of candidates.slice(0, LOOKUP_BATCHES)) {
        examined.add(batchId);
        const maxPages = Math.ceil(entries.length / PAGE_SIZE) + 1;
        const certificates = await listAll({ batch_id: batchId }, signal, maxPages);
        const held = heldEntries(entries, certificates);
        if (held) return { batchId, held };
      }
    }
    return undefined;
  };

  /** Follows a batch and turns its matches into reconcile results at `positions`. */
  const settleInto = async (
    results: ReconcileResult<Certificate>[],
    tracking: Tracking,
    signal: AbortSignal,
    maxWaitMs: number,
    listOnly: boolean,
  ) => {
    const { matches } = await follow(tracking, signal, maxWaitMs, listOnly);
    reported.add(tracking.batchId);
    matches.forEach((match, at) => {
      const position = tracking.positions[at]!;
      results[position] =
        match.kind === 'succeeded' || match.kind === 'failed' ? match : { kind: 'unknown' };
    });
  };

  const trackingOf = (
    batchId: string,
    batch: readonly BatchItem<BulkCertificateEntry>[],
    positions: number[],
  ): Tracking => ({
    batchId,
    positions,
    entries: positions.map((position) => batch[position]!.item),
    records: positions.map((position) => batch[position]!.index),
    timedOut: false,
  });

  const adapter: BulkAdapter<BulkCertificateEntry, Certificate> = {
    operation: OPERATION,
    maxBatchSize: batchSize,
    idempotent: false,

    validate(item, index) {
      return checkEntry(item, index, { fields: checkFields });
    },

    // The bulk body carries the fields and the file id; the documents travel in their uploads.
    sizeOf(item) {
      const { file: _file, fileName: _name, ...fields } = item;
      return JSON.stringify({
        ...fields,
        file_id: item.file_id ?? '00000000-0000-0000-0000-000000000000',
      }).length;
    },

    async send(batch, ctx: SendContext) {
      const results: ItemResult<Certificate>[] = new Array(batch.length);
      if (refusal) return batch.map(({ index }) => ({ kind: 'failed', error: refusalFor(index) }));
      const files = await filesOf(batch, ctx.signal);
      const positions: number[] = [];
      const entries: CertificateEntry[] = [];
      files.forEach((file, position) => {
        if (typeof file === 'string') {
          positions.push(position);
          entries.push(requestEntry(batch[position]!.item, file));
        } else results[position] = { kind: 'failed', error: file };
      });
      if (positions.length === 0) return results;
      const records = positions.map((position) => batch[position]!.index);

      // Journalled before the request that may create the certificates: after a crash, a
      // resumed run sends the same file ids again instead of uploading new ones.
      await ctx.note(
        fileIdNote(
          records,
          entries.map((entry) => entry.file_id),
        ),
      );
      const answer = await api.POST('/business/certificate-vault/bulk', {
        body: { entries },
        signal: requestSignal(ctx.signal),
      });
      const { status } = answer.response;
      if (status === 422) {
        // Nothing was created: the named entries fail, the others go again in a new batch.
        mapBulkRejection(answer.error, records, status).forEach((result, at) => {
          results[positions[at]!] = result;
        });
        return results;
      }
      if (status === 401 || status === 403) {
        noteRefusal(status, answer.error);
        for (const position of positions) {
          results[position] = { kind: 'failed', error: refusalFor(batch[position]!.index) };
        }
        return results;
      }
      const accepted = unwrap(answer).data;
      const tracking = trackingOf(accepted.batch_id, batch, positions);
      // Kept until the wait ends, so that a reconcile after an abandoned wait finds the batch.
      acceptedByKey.set(ctx.batchKey, tracking);
      let followed: { matches: CertificateMatch[]; timedOut: boolean };
      try {
        followed = await follow(tracking, ctx.signal, poll.maxWaitMs);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw new VecTrackingError(
          'tracking_failed',
          tracking.batchId,
          `Batch ${tracking.batchId} was accepted, but reading its certificates failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      const open = followed.matches.filter(
        (match) => match.kind === 'pending' || match.kind === 'missing',
      ).length;
      if (open > 0) {
        tracking.timedOut = followed.timedOut;
        throw new VecTrackingError(
          followed.timedOut ? 'tracking_timeout' : 'tracking_incomplete',
          tracking.batchId,
          followed.timedOut
            ? `Batch ${tracking.batchId} was accepted, but ${open} of its certificates had not settled after ${poll.maxWaitMs} ms`
            : `Batch ${tracking.batchId} was accepted, but ${open} of its certificates could not be found`,
        );
      }
      acceptedByKey.delete(ctx.batchKey);
      reported.add(tracking.batchId);
      followed.matches.forEach((match, at) => {
        results[positions[at]!] = match as ItemResult<Certificate>;
      });
      return results;
    },

    async reconcile(batch, ctx) {
      const results: ReconcileResult<Certificate>[] = new Array(batch.length);
      const known = acceptedByKey.get(ctx.batchKey);
      if (known) {
        // The vault accepted the batch; only its wait was lost. One more read (a full wait when
        // the first one ended early) settles what it can; the rest stays unknown.
        acceptedByKey.delete(ctx.batchKey);
        batch.forEach((batchItem, position) => {
          if (!known.positions.includes(position)) {
            const failure = uploadFailure.get(batchItem);
            results[position] = failure ? { kind: 'failed', error: failure } : { kind: 'unknown' };
          }
        });
        await settleInto(
          results,
          known,
          ctx.signal,
          known.timedOut ? 0 : poll.maxWaitMs,
          known.timedOut,
        );
        return results;
      }

      // Which entries the lost request carried: those with a file id. An entry whose upload
      // failed was not in it. After a crash, the notes of the earlier process name the file id of
      // every entry its requests carried (each request wrote one first): an entry they do not
      // name was in none. With no note at all, no request was made (or the journal predates
      // notes: the read-back below is then the only evidence).
      const noted = ctx.recorded ? recordedFileIds(ctx.recorded) : undefined;
      const positions: number[] = [];
      const fileIds: (string | undefined)[] = [];
      batch.forEach((batchItem, position) => {
        const failure = uploadFailure.get(batchItem);
        if (failure) {
          results[position] = { kind: 'failed', error: failure };
          return;
        }
        let fileId = batchItem.item.file_id ?? uploadedFileId.get(batchItem);
        if (noted && noted.size > 0) {
          const recorded = noted.get(batchItem.index);
          if (recorded === undefined) {
            results[position] = { kind: 'absent' };
            return;
          }
          if (fileId === undefined) {
            // Kept, so that a later request for this entry names the same file.
            fileId = recorded;
            uploadedFileId.set(batchItem, recorded);
          }
        }
        positions.push(position);
        fileIds.push(fileId);
      });
      if (positions.length === 0) return results;
      const entries = positions.map((position) => batch[position]!.item);
      // Follows a batch the vault holds (found by the read-back, or accepted now) to its end.
      const settleBatch = (batchId: string, held: number[]) =>
        settleInto(results, trackingOf(batchId, batch, held), ctx.signal, poll.maxWaitMs, false);

      const readBack = async (): Promise<boolean> => {
        const found = await findLostBatch(entries, ctx.signal);
        if (!found) return false;
        for (const [at, position] of positions.entries()) {
          if (!found.held.includes(at)) results[position] = { kind: 'absent' };
        }
        await settleBatch(
          found.batchId,
          found.held.map((at) => positions[at]!),
        );
        return true;
      };
      if (await readBack()) return results;

      if (fileIds.some((fileId) => fileId === undefined)) {
        // Documents uploaded by an earlier process that left no note: it never made the bulk
        // request, which it notes first, so nothing can apply it now. (A journal written before
        // notes existed gives no such proof: the read-back above is its only evidence.)
        for (const position of positions) results[position] = { kind: 'absent' };
        return results;
      }

      // Every entry names a file id, and the vault lets a file back one certificate only: sending
      // the same entries again cannot create anything twice, even while the lost request still
      // waits in the vault's queue. If it was applied, the vault answers that every file is
      // already used; otherwise this request creates them. Noted first, as any bulk request.
      const records = positions.map((position) => batch[position]!.index);
      await ctx.note(fileIdNote(records, fileIds as string[]));
      const answer = await api.POST('/business/certificate-vault/bulk', {
        body: {
          entries: positions.map((position, at) =>
            requestEntry(batch[position]!.item, fileIds[at]!),
          ),
        },
        signal: requestSignal(ctx.signal),
      });
      const { status } = answer.response;
      if (status === 422) {
        if (showsAllFilesUsed(answer.error, positions.length)) {
          // Applied after all: the first read-back came too early, or cannot recognise it.
          if (!(await readBack()))
            for (const position of positions) results[position] = { kind: 'unknown' };
          return results;
        }
        mapBulkRejection(answer.error, records, status).forEach((result, at) => {
          results[positions[at]!] = result.kind === 'resend' ? { kind: 'absent' } : result;
        });
        return results;
      }
      await settleBatch(unwrap(answer).data.batch_id, positions);
      return results;
    },

    classifyError(error): FailureClass | undefined {
      if (error instanceof VecTrackingError) return { kind: 'unknown', reason: error.code };
      return undefined;
    },
  };
  return adapter;
}

/**
 * Which of `entries` a batch's certificates are, when each certificate (by ascending id, the
 * order the vault creates them in) carries the fields of a later entry than the one before.
 */
function heldEntries(
  entries: readonly EntryFields[],
  certificates: readonly Certificate[],
): number[] | undefined {
  if (certificates.length === 0 || certificates.length > entries.length) return undefined;
  const sorted = [...certificates].sort((a, b) => a.id - b.id);
  const held: number[] = [];
  let next = 0;
  for (const certificate of sorted) {
    while (next < entries.length && !sameFields(entries[next]!, certificate)) next++;
    if (next >= entries.length) return undefined;
    held.push(next);
    next++;
  }
  return held;
}

/**
 * Creates vault certificates in bulk with `runBulk`: uploads the documents, sends the entries in
 * batches, waits for each batch to settle and reports every entry. Requests share the client's
 * rate limiter.
 *
 * @example
 * const report = await bulkCreateCertificates(vec.api, entries, { concurrency: 2 });
 */
export function bulkCreateCertificates(
  api: VecApi,
  entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
  options: BulkCreateCertificatesOptions = {},
): Promise<BulkCreateCertificatesReport> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { batchSize, uploadConcurrency, poll, httpTimeoutMs, checkEntries, retry, clock } = options;
  const adapter = createCertificatesBulkCreateAdapter(api, {
    batchSize,
    uploadConcurrency,
    poll,
    httpTimeoutMs,
    checkEntries,
    retry,
    clock,
  });
  return runBulk(entries, adapter, {
    ...pickRunBulkOptions<BulkCertificateEntry, Certificate>(options),
    requestTimeoutMs: options.requestTimeoutMs ?? 0,
    limiter: rateLimiterOf(api),
  });
}

function positiveInteger(
  name: string,
  value: number | undefined,
  fallback: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(
      `Expected \`${name}\` to be an integer of at least ${min}, got ${String(value)}`,
    );
  }
  return value;
}

function definedOf(poll: BulkCreatePollOptions | undefined, name: string): BulkCreatePollOptions {
  if (poll === undefined) return {};
  if (!poll || typeof poll !== 'object')
    throw new TypeError(`Expected \`${name}\` to be an object`);
  const out: Record<string, number> = {};
  for (const key of ['minDelayMs', 'maxDelayMs', 'maxWaitMs'] as const) {
    const value = poll[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(
        `Expected \`${name}.${key}\` to be a non-negative number, got ${String(value)}`,
      );
    }
    out[key] = value;
  }
  return out;
}
