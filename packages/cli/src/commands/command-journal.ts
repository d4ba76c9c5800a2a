import { chmod, stat } from 'node:fs/promises';
import { type BulkJournal, replayJournal } from '@bulk-clients/core';
import { openFileJournal } from '@bulk-clients/core/journal';
import { CliError } from '../errors.js';
import { PRIVATE_FILE_MODE } from '../output/private-file.js';

/** An opened `--journal`, with what the command tells the user about it. */
export interface CommandJournal {
  journal: BulkJournal & { close(): Promise<void> };
  /** Whether an earlier run left records in it (the run resumes). */
  resuming: boolean;
}

/**
 * Opens `--journal FILE` for `operation` (mode 0600, an existing file included; appended and
 * fsynced by core). Refuses, with exit code 2 and before anything is sent, a journal that already
 * holds a run when `--resume` was not given (the user may not mean to continue it), and one that
 * holds another operation.
 * `--resume` with no journal file yet starts afresh: the earlier run stopped before its first
 * record was written.
 */
export async function openCommandJournal(
  path: string,
  options: { resume: boolean; operation: string },
): Promise<CommandJournal> {
  const exists = await stat(path).then(
    (info) => info.size > 0,
    () => false,
  );
  if (exists && !options.resume) {
    throw new CliError(
      'usage',
      `--journal ${path} already holds a run: add --resume to continue it, or remove the file to start over`,
      { flag: '--journal' },
    );
  }
  let journal: CommandJournal['journal'];
  try {
    journal = await openFileJournal(path);
  } catch (error) {
    throw new CliError('config', `Cannot use --journal ${path}: ${messageOf(error)}`, {
      flag: '--journal',
      cause: error,
    });
  }
  try {
    // The journal is created 0600, but a file that already existed keeps its mode: narrow it, as
    // for --report and --failed-out, so that a journal once world-readable does not stay so.
    await chmod(path, PRIVATE_FILE_MODE);
  } catch (error) {
    await journal.close();
    throw new CliError('config', `Cannot use --journal ${path}: ${messageOf(error)}`, {
      flag: '--journal',
      cause: error,
    });
  }
  const state = replayJournal(await journal.load());
  if (state.operation !== undefined && state.operation !== options.operation) {
    await journal.close();
    throw new CliError(
      'usage',
      `--journal ${path} belongs to ${state.operation}, not ${options.operation}`,
      { flag: '--journal' },
    );
  }
  return { journal, resuming: state.runId !== undefined };
}

function messageOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
