import type { BatchItem, BulkAdapter, ItemError } from '@bulk-clients/core';
import type { RecordError } from '../input/input-item.js';

/**
 * One input record on its way through a bulk command. Every record of the input becomes one
 * entry, readable or not, so that its position (the engine's index, which the journal keys on)
 * is the same in every run over the same file, and its line travels with it to the report.
 */
export interface InputEntry<T> {
  /** Line of the input on which the record starts. */
  readonly line: number;
  /** The record as read (a CSV row or a JSON object); what `--failed-out` shows. */
  readonly record: unknown;
  /** The API item built from the record, when it could be built and matches the spec. */
  readonly item: T | undefined;
  /** Why the record is not sent: unreadable, unmappable, or not matching the spec. */
  readonly problem: RecordError | undefined;
}

/** The code of an {@link ItemError} for a record refused before sending. */
export const INVALID_RECORD = 'invalid_record';

/**
 * Wraps a vendor adapter so that the engine carries {@link InputEntry} values (line and record
 * included) while the vendor sees only its items. Entries with a problem fail in `validate`,
 * never reaching `send`; the vendor's own `validate` runs on the others.
 */
export function entryAdapter<T, R>(adapter: BulkAdapter<T, R>): BulkAdapter<InputEntry<T>, R> {
  // The same inner batch item for an entry across retries: adapters may key state on it (the
  // vault remembers uploaded files by batch item, so a retry does not upload twice).
  const inner = new WeakMap<BatchItem<InputEntry<T>>, BatchItem<T>>();
  const unwrap = (batch: readonly BatchItem<InputEntry<T>>[]): BatchItem<T>[] =>
    batch.map((outer) => {
      let found = inner.get(outer);
      if (found === undefined) {
        found = { index: outer.index, item: outer.item.item as T };
        inner.set(outer, found);
      }
      return found;
    });
  const wrapped: BulkAdapter<InputEntry<T>, R> = {
    operation: adapter.operation,
    maxBatchSize: adapter.maxBatchSize,
    idempotent: adapter.idempotent,
    validate(entry, index): ItemError | undefined {
      if (entry.problem !== undefined) {
        const error: ItemError = { code: INVALID_RECORD, message: entry.problem.message };
        if (entry.problem.field !== undefined) error.field = entry.problem.field;
        return error;
      }
      return adapter.validate?.(entry.item as T, index);
    },
    send: (batch, ctx) => adapter.send(unwrap(batch), ctx),
  };
  if (adapter.sizeOf) {
    const sizeOf = adapter.sizeOf.bind(adapter);
    wrapped.sizeOf = (entry) => (entry.item === undefined ? 0 : sizeOf(entry.item));
  }
  if (adapter.reconcile) {
    const reconcile = adapter.reconcile.bind(adapter);
    wrapped.reconcile = (batch, ctx) => reconcile(unwrap(batch), ctx);
  }
  if (adapter.classifyError) wrapped.classifyError = adapter.classifyError.bind(adapter);
  return wrapped;
}
