/**
 * The documents of one bulk create run: each entry's upload (bounded over the whole run, and
 * made once per entry however often its batch is retried or re-sent), the file id it got or why
 * it has none, and the refused-token latch: once the vault refuses the token, every later request
 * would be refused too, so none is made and each record fails with the vault's reason.
 */
import type { BatchItem, Clock, ItemError, ResolvedRetryOptions } from '@bulk-clients/core';
import { resolveFile } from './certificate-entry.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { BulkCertificateEntry, VecApi } from './types.js';
import { uploadCertificateFile } from './upload-certificate-file.js';

/** What {@link CertificateUploads} needs to upload. */
export interface CertificateUploadsOptions {
  api: VecApi;
  /** Uploads in flight at once, over all batches of the run. */
  uploadConcurrency: number;
  /** Backoff between the attempts of one upload. */
  retry: ResolvedRetryOptions;
  clock: Clock;
  /** Gives each request its own signal, with the per-request timeout. */
  requestSignal(signal: AbortSignal): AbortSignal;
}

/** The vault's refusal of the token, kept for every later record. */
interface TokenRefusal {
  status: number;
  code: string;
  reason: string;
  body: unknown;
}

type Item = BatchItem<BulkCertificateEntry>;

export class CertificateUploads {
  readonly #options: CertificateUploadsOptions;
  readonly #limit: ConcurrencyLimit;
  // Keyed by the engine's batch items, which live as long as the run holds them: a retried or
  // re-sent entry reuses the file it uploaded, so a read-back can name the same file_id.
  readonly #uploadedFileId = new WeakMap<Item, string>();
  readonly #uploadFailure = new WeakMap<Item, ItemError>();
  #refusal: TokenRefusal | undefined;

  constructor(options: CertificateUploadsOptions) {
    this.#options = options;
    this.#limit = new ConcurrencyLimit(options.uploadConcurrency);
  }

  /** Whether the vault has refused the token: no request should be made any more. */
  get refused(): boolean {
    return this.#refusal !== undefined;
  }

  /** The failure of record `record` once the vault has refused the token. */
  refusalFor(record: number): ItemError {
    const refusal = this.#refusal!;
    return {
      code: refusal.code,
      status: refusal.status,
      message: `Record ${record}: ${refusal.reason}`,
      vendor: refusal.body,
    };
  }

  /** Latches the vault's 401 or 403 (with its body) for every later record. */
  noteRefusal(status: number, body: unknown): void {
    const vendor = body as { message?: unknown; required_permission?: unknown } | undefined;
    const message = typeof vendor?.message === 'string' ? vendor.message : `HTTP ${status}`;
    const permission =
      typeof vendor?.required_permission === 'string'
        ? `; the token needs the ${vendor.required_permission} permission`
        : '';
    this.#refusal = {
      status,
      code: status === 401 ? 'unauthorized' : 'forbidden',
      reason: `the vault refused the token (${status} ${message})${permission}`,
      body,
    };
  }

  /** The file id this run's upload gave the entry, if any. */
  fileIdOf(batchItem: Item): string | undefined {
    return this.#uploadedFileId.get(batchItem);
  }

  /** Remembers a file id for the entry (one an earlier process uploaded, from its note). */
  rememberFileId(batchItem: Item, fileId: string): void {
    this.#uploadedFileId.set(batchItem, fileId);
  }

  /** Why the entry has no file (unreadable, refused by the vault), if it failed so. */
  failureOf(batchItem: Item): ItemError | undefined {
    return this.#uploadFailure.get(batchItem);
  }

  /** The file id of each entry (uploading what needs it), or why it has none. */
  async filesOf(batch: readonly Item[], signal: AbortSignal): Promise<(string | ItemError)[]> {
    const out: (string | ItemError)[] = new Array(batch.length);
    const uploads: Promise<void>[] = [];
    batch.forEach((batchItem, position) => {
      const { item, index } = batchItem;
      if (item.file_id !== undefined) out[position] = item.file_id;
      else {
        const known = this.#uploadedFileId.get(batchItem) ?? this.#uploadFailure.get(batchItem);
        if (known !== undefined) out[position] = known;
        else
          uploads.push(
            this.#upload(batchItem, index, signal).then((result) => {
              out[position] = result;
            }),
          );
      }
    });
    await Promise.all(uploads);
    return out;
  }

  #upload(batchItem: Item, record: number, signal: AbortSignal): Promise<string | ItemError> {
    return this.#limit.run(async () => {
      if (this.#refusal) return this.refusalFor(record);
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
        this.#uploadFailure.set(batchItem, failure);
        return failure;
      }
      const { api, retry, clock, requestSignal } = this.#options;
      const outcome = await uploadCertificateFile(file, {
        api,
        record,
        retry,
        clock,
        signal,
        requestSignal,
      });
      if (outcome.ok) {
        this.#uploadedFileId.set(batchItem, outcome.file.file_id);
        return outcome.file.file_id;
      }
      if (outcome.error.status === 401 || outcome.error.status === 403) {
        this.noteRefusal(outcome.error.status, outcome.error.vendor);
        return this.refusalFor(record);
      }
      this.#uploadFailure.set(batchItem, outcome.error);
      return outcome.error;
    }, signal);
  }
}
