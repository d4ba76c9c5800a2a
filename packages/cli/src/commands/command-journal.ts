import { chmod, readFile, stat } from 'node:fs/promises';
import { type BulkJournal, replayJournal } from '@bulk-clients/core';
import { openFileJournal } from '@bulk-clients/core/journal';
import { CliError } from '../errors.js';
import { openPrivateFile, PRIVATE_FILE_MODE } from '../output/private-file.js';

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
  options: {
    resume: boolean;
    operation: string;
    /**
     * The parameters a resumed run must share with the run it continues (account list, id
     * property, base URL host, input path and size; never the token), kept in
     * `<journal>.meta.json` (mode 0600): core's journal has no room for metadata. A resume whose
     * parameters differ is refused (exit 2), naming the first that differs.
     * @default {}
     */
    parameters?: Readonly<Record<string, string>>;
  },
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
  const resuming = state.runId !== undefined;
  try {
    await checkParameters(path, resuming, options.parameters ?? {});
  } catch (error) {
    await journal.close();
    throw error;
  }
  return { journal, resuming };
}

/** The sidecar file that holds the parameters of the run a journal records. */
export function journalMetaPath(path: string): string {
  return `${path}.meta.json`;
}

async function checkParameters(
  path: string,
  resuming: boolean,
  parameters: Readonly<Record<string, string>>,
): Promise<void> {
  const metaPath = journalMetaPath(path);
  let recorded: Record<string, string> | undefined;
  if (resuming) {
    try {
      recorded = (JSON.parse(await readFile(metaPath, 'utf8')) as { parameters?: typeof recorded })
        .parameters;
    } catch {
      // A journal written before the parameters were kept: nothing to compare with.
      recorded = undefined;
    }
  }
  if (recorded !== undefined) {
    for (const [name, value] of Object.entries(parameters)) {
      const before = recorded[name];
      if (before !== undefined && before !== value) {
        throw new CliError(
          'usage',
          `--resume: ${name} is ${value}, but the run recorded in ${path} used ${before}; run the same command to resume, or remove the journal to start over`,
          { flag: '--resume' },
        );
      }
    }
    return;
  }
  try {
    const handle = await openPrivateFile(metaPath, 'w');
    try {
      await handle.writeFile(`${JSON.stringify({ parameters }, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new CliError('config', `Cannot write ${metaPath}: ${messageOf(error)}`, {
      flag: '--journal',
      cause: error,
    });
  }
}

function messageOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
