import type { JsonValue } from './json-value.js';
import type { FailureClass } from './retry-policy.js';

/** Why one item was not written, as the vendor (or the engine) said. */
export interface ItemError {
  /** Machine-readable code: the vendor's, an `ApiError` code, or the engine's (`aborted`). */
  code: string;
  /** Human message naming the field and the record where the vendor says which. */
  message: string;
  /** The input field the vendor blamed, where it says. */
  field?: string | undefined;
  /** HTTP status of the response that carried the error. */
  status?: number | undefined;
  /** The vendor's own error object for this item, untouched. */
  vendor?: unknown;
  /**
   * Set by an adapter when the refusal proves that no attempt wrote the item: the vendor refuses
   * the same input the same way every time (bad input, a missing object, e.g. HubSpot's
   * `OBJECT_NOT_FOUND`), so an earlier attempt whose answer was lost cannot have applied it
   * either. Without it, a refusal that follows such an attempt proves nothing about that
   * attempt (a failed background job, a transient per-item error), and the engine reports the
   * item `unknown` instead of `failed`.
   * @default false
   */
  definite?: boolean | undefined;
}

/** What the vendor did with one item of a batch that it answered. */
export type ItemResult<R> =
  | { kind: 'succeeded'; value: R }
  | { kind: 'failed'; error: ItemError }
  /**
   * The vendor answered for the batch but cannot say yet what became of this item (its
   * background job outlived the wait): the item is reported `unknown` with `error` saying why,
   * and is neither sent again nor counted as written. On a resumed run it is still in flight.
   */
  | { kind: 'unknown'; error: ItemError }
  /**
   * Not processed because the vendor rejected its batch for other items (the vault's 422 lists
   * the bad entries and applies none): the engine sends it again in a new batch.
   */
  | { kind: 'resend' };

/** What a read-back found for one item whose write has an unknown outcome. */
export type ReconcileResult<R> =
  | ItemResult<R>
  /** Not applied: safe to send again. */
  | { kind: 'absent' }
  /** Still cannot tell: the item is reported `unknown` (with the error of the lost write). */
  | { kind: 'unknown'; error?: undefined };

/** One input item on its way to the vendor. */
export interface BatchItem<T> {
  /** 0-based position in the input stream; stable across resumed runs. */
  readonly index: number;
  readonly item: T;
}

/** What a send or a reconcile is told about its request. */
export interface SendContext {
  /** Aborts on request timeout, and on the caller's abort unless it chose to let requests settle. */
  signal: AbortSignal;
  /** 1 for the first request of this batch, 2 for its first retry, and so on. */
  attempt: number;
  /**
   * Deterministic id of the batch: the run id and the index of its first item (plus a suffix for
   * re-sent items). The same after a resume: usable as an idempotency key.
   */
  batchKey: string;
  /** Id of the run, kept by the journal across resumes; see `deriveItemId`. */
  runId: string;
  /**
   * Records evidence about this batch in the run's journal (a `note` record), durably once the
   * promise resolves, so that a resumed run can reconcile the batch with it: see `recorded`.
   * Write a note before the request that may apply the batch, never after, so that a batch
   * without a note is known not to have been applied. Notes hold what the vendor needs to
   * recognise the batch (ids of uploaded files, a vendor batch id), never credentials. Resolves
   * at once, writing nothing, when the run has no journal. Rejects with a `TypeError` when
   * `data` is not JSON (`undefined`, a function, a number that is not finite).
   *
   * @example
   * await ctx.note({ fileIds: { '12': 'c0ffee00-...' } });
   * await api.POST('/bulk', { body }); // only now may the vendor apply the batch
   */
  note(data: JsonValue): Promise<void>;
  /**
   * For `reconcile` of a batch that an earlier process sent and did not settle (a crash): the
   * notes that process recorded for the batch with `note`, in order; an empty array when it
   * recorded none (with the contract above: it never made the request that notes precede).
   * `undefined` for every other call, including a reconcile after a lost answer in this process,
   * whose evidence the adapter still holds.
   * @default undefined
   */
  recorded?: readonly JsonValue[] | undefined;
}

/**
 * One vendor bulk operation, as the engine sees it: how big a batch may be, whether it is safe to
 * send twice, and how to send one batch and map the response back to each item.
 */
export interface BulkAdapter<T, R> {
  /** Name used in reports and journals, e.g. `hubspot.tickets.batchUpdate`. */
  readonly operation: string;
  /** The vendor's maximum items per request: the default and the hard cap of `batchSize`. */
  readonly maxBatchSize: number;
  /**
   * Whether sending the same batch twice has the effect of sending it once (updates; creates with
   * client-generated ids). Only idempotent batches are re-sent after an unknown outcome.
   */
  readonly idempotent: boolean;
  /** Fails an item before it is sent; return `undefined` when it is fine. */
  validate?(item: T, index: number): ItemError | undefined;
  /**
   * Serialized size of an item in bytes, for `maxBatchBytes`.
   * @default JSON length of the item
   */
  sizeOf?(item: T): number;
  /**
   * Sends one batch. Resolves with one result per item, in the same order. Throws for failures of
   * the whole request (an `ApiError`, a network error, a timeout): the engine classifies them.
   */
  send(batch: readonly BatchItem<T>[], ctx: SendContext): Promise<ItemResult<R>[]>;
  /**
   * For operations that are not idempotent: after an unknown outcome (or a crash mid-request),
   * reads back what the vendor applied. One result per item, in the same order.
   */
  reconcile?(batch: readonly BatchItem<T>[], ctx: SendContext): Promise<ReconcileResult<R>[]>;
  /**
   * Refines how a failed request is treated, for vendor-specific errors (return `undefined` to
   * keep the default classification of `classifyFailure`).
   */
  classifyError?(error: unknown): FailureClass | undefined;
}
