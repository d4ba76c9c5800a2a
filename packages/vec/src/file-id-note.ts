/**
 * The journal note written before each bulk request: which uploaded file backs which record.
 * After a crash it is what lets a resumed run send the same entries again with the same file ids,
 * so that the vault's one-certificate-per-file rule keeps a request still in its queue and the
 * re-send from both creating.
 */
import type { JsonValue } from '@bulk-clients/core';

/** The file id of each entry of a bulk request, by the record's input index. */
export function fileIdNote(records: readonly number[], fileIds: readonly string[]): JsonValue {
  const byRecord: Record<string, string> = {};
  records.forEach((record, at) => {
    byRecord[record] = fileIds[at]!;
  });
  return { fileIds: byRecord };
}

/**
 * The file ids that recorded notes name, by record; notes of another shape are ignored. Every
 * request of a batch wrote one, so a record missing from all of them was in none of them.
 */
export function recordedFileIds(recorded: readonly JsonValue[]): Map<number, string> {
  const byRecord = new Map<number, string>();
  for (const note of recorded) {
    if (!isObject(note) || !isObject(note.fileIds)) continue;
    for (const [key, fileId] of Object.entries(note.fileIds)) {
      const record = Number(key);
      if (typeof fileId === 'string' && fileId !== '' && Number.isSafeInteger(record)) {
        byRecord.set(record, fileId);
      }
    }
  }
  return byRecord;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
