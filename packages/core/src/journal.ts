import type { ItemError } from './bulk-adapter.js';
import type { JsonValue } from './json-value.js';
import { sha1 } from './sha1.js';

/** An inclusive range of input indexes, `[first, last]`. */
export type IndexRange = readonly [first: number, last: number];

/** The failure recorded for one item, enough to report it again on resume. */
export interface JournalFailure {
  index: number;
  code: string;
  message: string;
}

/** One line of a journal. Records hold indexes and vendor messages, never credentials. */
export type JournalRecord =
  /** Written once, when a run starts with an empty journal. */
  | { type: 'start'; runId: string; operation: string }
  /** Written before a batch is sent: these items may be applied from now on. */
  | { type: 'sent'; key: string; ranges: IndexRange[] }
  /**
   * Evidence an adapter recorded for a batch in flight (`SendContext.note`), written before the
   * request that may apply the batch: what a resumed run needs to read the batch back (the ids of
   * the files it uploaded, for example). Never credentials.
   */
  | { type: 'note'; key: string; data: JsonValue }
  /**
   * Written when items of a sent batch are settled: `succeeded` and `failed` are final;
   * `released` items were certainly not applied (re-sent in a new batch, or the run stopped) and
   * are sent again by a resumed run.
   */
  | {
      type: 'acked';
      key: string;
      succeeded: IndexRange[];
      failed: JournalFailure[];
      released: IndexRange[];
    };

/**
 * Where `runBulk` records its progress so that a crashed or aborted run can resume without
 * re-sending acknowledged items. `append` must be durable when its promise resolves: the engine
 * waits for a `sent` record before sending. See `openFileJournal` in `@bulk-clients/core/journal`
 * for the file store.
 */
export interface BulkJournal {
  /** Every record appended so far, by this process or an earlier one, in order. */
  load(): Promise<Iterable<JournalRecord>>;
  /** Appends records durably, in order. */
  append(records: readonly JournalRecord[]): Promise<void>;
  /** Releases the underlying resource. */
  close?(): Promise<void>;
}

/** Items that an earlier run sent but did not settle, grouped as they were sent. */
export interface InFlightBatch {
  key: string;
  indexes: number[];
  /** The notes the adapter recorded for this batch, in order; absent when there are none. */
  notes?: JsonValue[];
}

/** What an earlier run recorded, as the engine uses it to resume. */
export interface JournalState {
  runId: string | undefined;
  operation: string | undefined;
  /** Sorted, merged ranges of items that succeeded. */
  succeeded: IndexRange[];
  /** Items that failed, by index. */
  failed: Map<number, ItemError>;
  /** Items sent but never settled: their outcome is unknown. */
  inFlight: InFlightBatch[];
}

/** Folds journal records into the state a resumed run needs. */
export function replayJournal(records: Iterable<JournalRecord>): JournalState {
  let runId: string | undefined;
  let operation: string | undefined;
  const succeeded: IndexRange[] = [];
  const failed = new Map<number, ItemError>();
  // Only items not yet settled are held here, so memory follows what was in flight.
  const openByKey = new Map<string, Set<number>>();
  const ownerOf = new Map<number, string>();
  // Notes of batches still in flight only: a batch's notes go when its last item settles.
  const notesByKey = new Map<string, JsonValue[]>();
  const settle = (index: number) => {
    const owner = ownerOf.get(index);
    if (owner === undefined) return;
    ownerOf.delete(index);
    const open = openByKey.get(owner);
    open?.delete(index);
    if (open && open.size === 0) {
      openByKey.delete(owner);
      notesByKey.delete(owner);
    }
  };
  for (const record of records) {
    switch (record.type) {
      case 'start':
        runId ??= record.runId;
        operation ??= record.operation;
        break;
      case 'sent': {
        let open = openByKey.get(record.key);
        if (!open) {
          open = new Set();
          openByKey.set(record.key, open);
        }
        for (const [first, last] of record.ranges) {
          for (let index = first; index <= last; index++) {
            settle(index);
            open.add(index);
            ownerOf.set(index, record.key);
          }
        }
        if (open.size > 0) openByKey.set(record.key, open);
        break;
      }
      case 'note': {
        if (!openByKey.has(record.key)) break;
        const notes = notesByKey.get(record.key);
        if (notes) notes.push(record.data);
        else notesByKey.set(record.key, [record.data]);
        break;
      }
      case 'acked':
        for (const range of record.succeeded) {
          succeeded.push(range);
          for (let index = range[0]; index <= range[1]; index++) settle(index);
        }
        for (const failure of record.failed) {
          failed.set(failure.index, { code: failure.code, message: failure.message });
          settle(failure.index);
        }
        for (const [first, last] of record.released) {
          for (let index = first; index <= last; index++) settle(index);
        }
        break;
      default:
        break;
    }
  }
  const inFlight: InFlightBatch[] = [];
  for (const [key, open] of openByKey) {
    const batch: InFlightBatch = { key, indexes: [...open].sort((a, b) => a - b) };
    const notes = notesByKey.get(key);
    if (notes) batch.notes = notes;
    inFlight.push(batch);
  }
  return { runId, operation, succeeded: mergeRanges(succeeded), failed, inFlight };
}

/** Compresses indexes (in any order) into sorted, merged inclusive ranges. */
export function toRanges(indexes: Iterable<number>): IndexRange[] {
  const sorted = [...indexes].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const index of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && index <= last[1] + 1) last[1] = Math.max(last[1], index);
    else ranges.push([index, index]);
  }
  return ranges;
}

/** Sorts and merges ranges that overlap or touch. */
export function mergeRanges(ranges: readonly IndexRange[]): IndexRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/**
 * Answers "is this index in the ranges?" for indexes asked in increasing order, in O(1)
 * amortized: the input is read in order, so a cursor replaces a search.
 */
export class RangeCursor {
  readonly #ranges: readonly IndexRange[];
  #at = 0;
  constructor(ranges: readonly IndexRange[]) {
    this.#ranges = ranges;
  }
  has(index: number): boolean {
    let range = this.#ranges[this.#at];
    while (range && range[1] < index) {
      this.#at += 1;
      range = this.#ranges[this.#at];
    }
    return range !== undefined && range[0] <= index;
  }
}

/** A journal kept in memory: for tests, and for resuming an aborted run in the same process. */
export function createMemoryJournal(initial: readonly JournalRecord[] = []): BulkJournal & {
  readonly records: readonly JournalRecord[];
} {
  const records: JournalRecord[] = [...initial];
  return {
    records,
    load: async () => [...records],
    append: async (more) => {
      records.push(...more);
    },
  };
}

// Namespace of the ids derived by bulk-clients (a random v4 uuid fixed once for this purpose).
const ITEM_ID_NAMESPACE = '8a4f2d1e-5b7c-4e3a-9f60-2c1d8b7e4a95';

/**
 * A name-based (version 5) UUID for item `index` of run `runId`: the same inputs always give the
 * same id, so a resumed run re-sends a create with the client id it used before and the vendor
 * recognises the duplicate (MPDX answers 409) instead of creating a second record.
 *
 * @example deriveItemId(ctx.runId, item.index) // '3f0c...-5...'
 */
export function deriveItemId(runId: string, index: number): string {
  if (typeof runId !== 'string' || runId === '') {
    throw new TypeError('Expected `runId` to be a non-empty string');
  }
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new TypeError(`Expected \`index\` to be a non-negative integer, got ${String(index)}`);
  }
  // Called once per record of a create: the namespace, the encoder and the hex table are built
  // once, and the name is encoded straight behind the namespace.
  const name = `${runId}:${index}`;
  const input = new Uint8Array(16 + name.length * 3);
  input.set(namespaceBytes());
  let length = 16;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code > 0x7f) {
      // Not ASCII (run ids usually are): let the encoder write the UTF-8 bytes.
      length = 16 + utf8.encodeInto(name, input.subarray(16)).written;
      break;
    }
    input[length++] = code;
  }
  const bytes = sha1(input, length);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let id = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) id += '-';
    id += HEX[bytes[i]!];
  }
  return id;
}

const utf8 = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
let namespace: Uint8Array | undefined;

function namespaceBytes(): Uint8Array {
  if (namespace) return namespace;
  const hex = ITEM_ID_NAMESPACE.replaceAll('-', '');
  namespace = new Uint8Array(16);
  for (let i = 0; i < 16; i++) namespace[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return namespace;
}
