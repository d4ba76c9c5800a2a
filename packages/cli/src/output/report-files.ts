import type { WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Redact } from '../redact.js';
import { openPrivateFile } from './private-file.js';

/** Options of the report file writers. */
export interface ReportFileOptions {
  /** Every byte written passes through it, so no token reaches the disk. */
  redact: Redact;
}

/**
 * Writes the JSON report (`--report FILE`), mode 0600. The report goes to a temporary file that
 * is renamed over the target, so a reader never sees half a report.
 */
export async function writeReportFile(
  path: string,
  report: unknown,
  options: ReportFileOptions,
): Promise<void> {
  checkRedact(options);
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await openPrivateFile(temporary, 'w');
  try {
    await handle.writeFile(options.redact(`${JSON.stringify(report, null, 2)}\n`), 'utf8');
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}

/** One line of the `--failed-out` file. */
export interface FailedRecordEntry {
  /**
   * Line of the input on which the record starts; left out where the input is not ours (the
   * rows of a webinar import file stored at the vendor).
   */
  line?: number | undefined;
  /**
   * How the record ended: rejected by validation, failed at the vendor, not known, or not sent
   * because the run stopped (interrupted, or the token was refused).
   */
  state: 'invalid' | 'failed' | 'unknown' | 'skipped';
  /** Why, in the vendor's words where it gave any. */
  reason: string;
  /** The field at fault, where one is known (dotted path). */
  field?: string | undefined;
  /** The HTTP status of the response that failed the record, where there was one. */
  status?: number | undefined;
  /** The input record as read. */
  record: unknown;
}

/** A streaming writer of the `--failed-out` JSONL file. */
export interface FailedRecordsWriter {
  /** Appends one entry; resolves once the stream can take more (backpressure). */
  write(entry: FailedRecordEntry): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
  /** Entries written so far. */
  readonly count: number;
}

/**
 * Opens the `--failed-out` file (mode 0600) and returns a writer that streams one JSON line per
 * failed, invalid, unknown or skipped record: failures are never collected in memory.
 *
 * @param options.append keep the entries already in the file (a `--resume`d run). @default false
 */
export async function openFailedRecordsFile(
  path: string,
  options: ReportFileOptions & { append?: boolean },
): Promise<FailedRecordsWriter> {
  checkRedact(options);
  const handle = await openPrivateFile(path, options.append ? 'a' : 'w');
  const stream: WriteStream = handle.createWriteStream({ encoding: 'utf8' });
  let count = 0;
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  // Writers that arrive while the stream is full share one wait for 'drain' (one listener pair,
  // however many records the engine settles at once).
  let drained: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    drained ??= new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      stream.once('error', onError);
      stream.once('drain', () => {
        stream.off('error', onError);
        drained = undefined;
        resolve();
      });
    });
    return drained;
  };

  return {
    get count() {
      return count;
    },
    async write(entry) {
      if (failure) throw failure;
      const line = options.redact(`${JSON.stringify(toJsonEntry(entry))}\n`);
      count++;
      if (!stream.write(line)) await drain();
    },
    async close() {
      if (!stream.closed) stream.end();
      await closed;
      if (failure) throw failure;
    },
  };
}

function toJsonEntry(entry: FailedRecordEntry): Record<string, unknown> {
  // A fixed key order makes the file easy to scan and to diff.
  const out: Record<string, unknown> = {};
  if (entry.line !== undefined) out.line = entry.line;
  out.state = entry.state;
  out.reason = entry.reason;
  if (entry.field !== undefined) out.field = entry.field;
  if (entry.status !== undefined) out.status = entry.status;
  out.record = entry.record;
  return out;
}

function checkRedact(options: ReportFileOptions): void {
  if (!options || typeof options.redact !== 'function') {
    throw new TypeError('Expected `options.redact` to be a function');
  }
}
