import { constants } from 'node:fs';
import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import type { BulkJournal, JournalRecord } from './journal.js';

/** Only the owner reads or writes a journal: notes may name what the vendor holds. */
const FILE_MODE = 0o600;

/** Options of {@link openFileJournal}. */
export interface FileJournalOptions {
  /**
   * Call `fsync` after every append, so that a record survives a crash of the machine, not only
   * of the process. Turning it off trades that for speed.
   * @default true
   */
  fsync?: boolean | undefined;
}

/**
 * A {@link BulkJournal} in a JSON Lines file: one record per line, appended and (by default)
 * fsynced before `runBulk` goes on, created with mode 0600; a file that already exists is narrowed
 * to 0600 too. Reopen the same path to resume a run. A torn last line (the process died
 * mid-write) is ignored.
 *
 * @example
 * const journal = await openFileJournal('./tickets.journal.jsonl');
 * try { await runBulk(items, adapter, { journal }); } finally { await journal.close(); }
 */
export async function openFileJournal(
  path: string,
  options: FileJournalOptions = {},
): Promise<BulkJournal & { readonly path: string; close(): Promise<void> }> {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError('Expected `path` to be a non-empty string');
  }
  const fsync = options.fsync ?? true;
  const existing = await readRecords(path);
  // A torn tail never counted: cut it off so that the next record starts on a line of its own.
  if (existing.validBytes !== undefined) await truncate(path, existing.validBytes);
  // O_APPEND: every write lands at the end even if another handle wrote meanwhile.
  const handle: FileHandle = await open(
    path,
    constants.O_CREAT | constants.O_APPEND | constants.O_WRONLY,
    FILE_MODE,
  );
  // The mode of `open` applies only to a file it creates: a journal that already existed keeps
  // its own, so narrow one that others could read.
  if (existing.found) {
    try {
      await handle.chmod(FILE_MODE);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  const loaded = existing.records;
  return {
    path,
    load: async () => loaded,
    append(records) {
      if (closed) return Promise.reject(new Error(`The journal ${path} is closed`));
      const lines = records.map((record) => `${JSON.stringify(record)}\n`).join('');
      const write = queue.then(async () => {
        await handle.appendFile(lines);
        if (fsync) await handle.sync();
      });
      queue = write.catch(() => undefined);
      return write;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await handle.close();
    },
  };
}

async function readRecords(
  path: string,
): Promise<{ records: JournalRecord[]; validBytes: number | undefined; found: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT')
      return { records: [], validBytes: undefined, found: false };
    throw error;
  }
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const records: JournalRecord[] = [];
  lines.forEach((line, at) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      throw new Error(`The journal ${path} is corrupt at line ${at + 1}`);
    }
  });
  // Without a final newline the last write did not complete: it never counted.
  const validBytes = tail === '' ? undefined : Buffer.byteLength(text) - Buffer.byteLength(tail);
  return { records, validBytes, found: true };
}
