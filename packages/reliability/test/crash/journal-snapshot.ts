/**
 * Reads a `--journal` file the way a resumed run does, to tell which records a killed run had
 * settled (they must never be sent again) from those it had sent without an answer on record.
 */
import { readFile } from 'node:fs/promises';
import type { IndexRange, JournalRecord } from '@bulk-clients/core';

/** What a journal held when its writer died. */
export interface JournalSnapshot {
  /** Indexes whose outcome (succeeded or failed) is on record. */
  settled: Set<number>;
  /** Indexes sent in a batch whose answer is not on record: re-sent or read back on resume. */
  inFlight: Set<number>;
  /** `sent` records without a matching `acked`. */
  openBatches: number;
  /** Whether the last line was cut off mid-write (a resumed run drops it). */
  tornTail: boolean;
}

function* indexesOf(ranges: readonly IndexRange[]): Generator<number> {
  for (const [first, last] of ranges) for (let index = first; index <= last; index++) yield index;
}

/** Parses the journal at `path`; a missing file is an empty journal. */
export async function readJournalSnapshot(path: string): Promise<JournalSnapshot> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  // A journal ends with a newline; anything after the last one is a record the kill cut short.
  const tornTail = last !== '';
  const settled = new Set<number>();
  const sent = new Map<string, Set<number>>();
  for (const line of lines) {
    if (line === '') continue;
    const record = JSON.parse(line) as JournalRecord;
    if (record.type === 'sent') {
      sent.set(record.key, new Set(indexesOf(record.ranges)));
    } else if (record.type === 'acked') {
      const open = sent.get(record.key);
      const done = [
        ...indexesOf(record.succeeded),
        ...record.failed.map((failure) => failure.index),
      ];
      for (const index of done) {
        settled.add(index);
        open?.delete(index);
      }
      for (const index of indexesOf(record.released)) open?.delete(index);
      if (open?.size === 0) sent.delete(record.key);
    }
  }
  const inFlight = new Set<number>();
  for (const indexes of sent.values()) for (const index of indexes) inFlight.add(index);
  return { settled, inFlight, openBatches: sent.size, tornTail };
}
