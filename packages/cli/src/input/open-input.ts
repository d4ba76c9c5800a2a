import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { CliError, usageError } from '../errors.js';
import { type CsvReaderOptions, readCsv } from './csv-reader.js';
import type { InputItem, JsonRow } from './input-item.js';
import { type JsonlReaderOptions, readJsonl } from './jsonl-reader.js';

/** The input formats the CLI reads. */
export type InputFormat = 'csv' | 'jsonl';

export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'jsonl'];

const FORMAT_BY_EXTENSION: Readonly<Record<string, InputFormat>> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Options of {@link openInput}. */
export interface OpenInputOptions extends CsvReaderOptions, JsonlReaderOptions {
  /** The `--input` value: a file path, or `-` for standard input. */
  input: string;
  /**
   * The `--format` value.
   * @default from the file extension (`.csv`, `.jsonl`, `.ndjson`); required for `-`
   */
  format?: InputFormat | undefined;
  /**
   * What `-` reads.
   * @default process.stdin
   */
  stdin?: AsyncIterable<Uint8Array | string> | undefined;
}

/** An opened input: its format and its records (CSV rows are objects of strings). */
export interface OpenedInput {
  format: InputFormat;
  /** `stdin` or the path, for messages. */
  name: string;
  records: AsyncIterable<InputItem<JsonRow>>;
  /**
   * Releases the file when the records were not read to the end (a command that stops early);
   * does nothing for stdin or a file already read. Safe to call more than once.
   */
  close(): Promise<void>;
}

/**
 * Resolves `--input FILE|-` and `--format` and opens the input. A missing or unreadable file is
 * a {@link CliError} of kind `input` here, before any record is read or sent.
 */
export async function openInput(options: OpenInputOptions): Promise<OpenedInput> {
  const { input } = options;
  if (typeof input !== 'string' || input === '') {
    throw usageError('--input', 'Missing value for --input: give a file path, or - for stdin');
  }
  const format = options.format ?? formatFromPath(input);
  if (input === '-') {
    const stdin = options.stdin ?? process.stdin;
    return { format, name: 'stdin', records: read(format, stdin, options), close: async () => {} };
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(input, 'r');
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      await handle.close();
      throw new CliError('input', `--input ${input} is a directory, not a file`, {
        flag: '--input',
      });
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new CliError('input', `Cannot read --input ${input}: ${reason ?? 'unknown error'}`, {
      flag: '--input',
      cause: error,
    });
  }
  const stream = handle.createReadStream();
  return {
    format,
    name: input,
    records: read(format, stream, options),
    async close() {
      if (stream.closed) return;
      // Destroying the stream closes its file handle (autoClose).
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy();
      await closed;
    },
  };
}

/** The format of a path by its extension, or a usage error asking for `--format`. */
export function formatFromPath(path: string): InputFormat {
  if (path === '-') {
    throw usageError('--format', 'Reading stdin (--input -) needs --format csv or --format jsonl');
  }
  const format = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (format === undefined) {
    throw usageError(
      '--format',
      `Cannot tell the format of ${path} from its extension: add --format csv or --format jsonl`,
    );
  }
  return format;
}

function read(
  format: InputFormat,
  source: AsyncIterable<Uint8Array | string>,
  options: OpenInputOptions,
): AsyncIterable<InputItem<JsonRow>> {
  return format === 'csv' ? readCsv(source, options) : readJsonl(source, options);
}
