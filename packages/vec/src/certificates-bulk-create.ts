/**
 * `certificates.bulkCreate`: sends the bulk requests and reconciles a batch whose answer was
 * lost. The engine in `@bulk-clients/core` does the batching, concurrency, retries, throttling,
 * accounting and journal; the documents' uploads (`certificate-uploads.ts`), the following of
 * an accepted batch (`batch-following.ts`) and the search for a lost one (`lost-batch-search.ts`)
 * each have their own module.
 */
import {
  type BatchItem,
  type BulkAdapter,
  type FailureClass,
  type ItemResult,
  pickRunBulkOptions,
  type ReconcileResult,
  rateLimiterOf,
  requestTimeoutSignal,
  resolveRetryOptions,
  runBulk,
  type SendContext,
  systemClock,
  unwrap,
} from '@bulk-clients/core';
import { followBatch, type Tracking, type VaultReader } from './batch-following.js';
import { checkEntry, requestEntry } from './certificate-entry.js';
import { CertificateUploads } from './certificate-uploads.js';
import {
  type CertificateMatch,
  mapBulkRejection,
  showsAllFilesUsed,
} from './certificates-bulk-create-response.js';
import { retryAfterFromHeaders, vecDefaults } from './defaults.js';
import { fileIdNote, recordedFileIds } from './file-id-note.js';
import { findLostBatch } from './lost-batch-search.js';
import type {
  BulkCertificateEntry,
  Certificate,
  CertificateEntry,
  CertificatesBulkCreateAdapterOptions,
  CertificatesBulkCreateOptions,
  CertificatesBulkCreatePollOptions,
  CertificatesBulkCreateReport,
  VecApi,
  VecClient,
} from './types.js';

/** Defaults of `CertificatesBulkCreateAdapterOptions`, merged once per adapter. */
export const defaultCertificatesBulkCreateOptions = Object.freeze({
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

/** @deprecated Use {@link defaultCertificatesBulkCreateOptions}. */
export const defaultBulkCreateOptions = defaultCertificatesBulkCreateOptions;

const OPERATION = 'vec.certificates.bulkCreate';
const UNWRAP_OPTIONS = { retryAfter: retryAfterFromHeaders };

/**
 * The vault's bulk create as a `BulkAdapter` for `runBulk`, for callers that run it themselves
 * (with a journal, for example). Not idempotent: a bulk request whose answer is lost is never
 * sent again blindly; `reconcile` reads back what the vault holds first.
 *
 * @example
 * const adapter = createCertificatesBulkCreateAdapter(vec, { batchSize: 50 });
 * const report = await runBulk(entries, adapter, { journal, limiter: vec.limiter, requestTimeoutMs: 0 });
 *
 * @param client The client, or (deprecated) its `api`.
 */
export function createCertificatesBulkCreateAdapter(
  client: Pick<VecClient, 'api'> | VecApi,
  options: CertificatesBulkCreateAdapterOptions = {},
): BulkAdapter<BulkCertificateEntry, Certificate> {
  const api = client && 'api' in client ? client.api : client;
  if (!api || typeof api.POST !== 'function' || typeof api.GET !== 'function') {
    throw new TypeError('Expected `client` to be a VEC.digital client from createVecClient');
  }
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const defaults = defaultCertificatesBulkCreateOptions;
  const batchSize = positiveInteger('batchSize', options.batchSize, defaults.batchSize);
  const uploadConcurrency = positiveInteger(
    'uploadConcurrency',
    options.uploadConcurrency,
    defaults.uploadConcurrency,
  );
  const httpTimeoutMs = positiveInteger(
    'httpTimeoutMs',
    options.httpTimeoutMs,
    defaults.httpTimeoutMs,
    0,
  );
  const poll = { ...defaults.poll, ...definedOf(options.poll, 'poll') };
  const checkFields = options.checkEntries ?? defaults.checkEntries;
  const retry = resolveRetryOptions(options.retry);
  const clock = options.clock ?? systemClock;

  const requestSignal = (signal: AbortSignal): AbortSignal =>
    requestTimeoutSignal(signal, httpTimeoutMs);
  const vault: VaultReader = { api, requestSignal };
  const uploads = new CertificateUploads({ api, uploadConcurrency, retry, clock, requestSignal });
  // Batches accepted whose wait did not finish, by the engine's batch key, for reconcile.
  const acceptedByKey = new Map<string, Tracking>();
  // Batches already reported, so that a read-back never takes one of them for a lost one.
  const reported = new Set<string>();

  const follow = (tracking: Tracking, signal: AbortSignal, maxWaitMs: number, listOnly = false) =>
    followBatch(vault, tracking, signal, { poll, maxWaitMs, clock, listOnly });

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
      if (uploads.refused)
        return batch.map(({ index }) => ({ kind: 'failed', error: uploads.refusalFor(index) }));
      const files = await uploads.filesOf(batch, ctx.signal);
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
        uploads.noteRefusal(status, answer.error);
        for (const position of positions) {
          results[position] = { kind: 'failed', error: uploads.refusalFor(batch[position]!.index) };
        }
        return results;
      }
      const accepted = unwrap(answer, UNWRAP_OPTIONS).data;
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
            const failure = uploads.failureOf(batchItem);
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
        const failure = uploads.failureOf(batchItem);
        if (failure) {
          results[position] = { kind: 'failed', error: failure };
          return;
        }
        let fileId = batchItem.item.file_id ?? uploads.fileIdOf(batchItem);
        if (noted && noted.size > 0) {
          const recorded = noted.get(batchItem.index);
          if (recorded === undefined) {
            results[position] = { kind: 'absent' };
            return;
          }
          if (fileId === undefined) {
            // Kept, so that a later request for this entry names the same file.
            fileId = recorded;
            uploads.rememberFileId(batchItem, recorded);
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
        const found = await findLostBatch(vault, entries, reported, ctx.signal);
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
      await settleBatch(unwrap(answer, UNWRAP_OPTIONS).data.batch_id, positions);
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
 * Creates vault certificates in bulk with `runBulk`: uploads the documents, sends the entries in
 * batches, waits for each batch to settle and reports every entry. Requests share the client's
 * rate limiter.
 *
 * @example
 * const report = await certificatesBulkCreate(vec, entries, { concurrency: 2 });
 */
export function certificatesBulkCreate(
  client: Pick<VecClient, 'api' | 'limiter'>,
  entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
  options: CertificatesBulkCreateOptions = {},
): Promise<CertificatesBulkCreateReport> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { batchSize, uploadConcurrency, poll, httpTimeoutMs, checkEntries, retry, clock } = options;
  const adapter = createCertificatesBulkCreateAdapter(client, {
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
    limiter: client.limiter,
  });
}

/** @deprecated Use {@link certificatesBulkCreate}, which takes the client. */
export function bulkCreateCertificates(
  api: VecApi,
  entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
  options: CertificatesBulkCreateOptions = {},
): Promise<CertificatesBulkCreateReport> {
  return certificatesBulkCreate({ api, limiter: rateLimiterOf(api) }, entries, options);
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

function definedOf(
  poll: CertificatesBulkCreatePollOptions | undefined,
  name: string,
): CertificatesBulkCreatePollOptions {
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
