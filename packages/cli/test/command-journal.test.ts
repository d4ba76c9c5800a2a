import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCommandJournal } from '../src/commands/command-journal.js';
import { CliError } from '../src/errors.js';

const OPERATION = 'hubspot.tickets.batchUpdate';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-journal-'));
});

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('openCommandJournal', () => {
  it('creates the journal with mode 0600', async () => {
    const path = join(dir, 'run.journal');
    const { journal, resuming } = await openCommandJournal(path, {
      resume: false,
      operation: OPERATION,
    });
    await journal.close();
    expect(resuming).toBe(false);
    expect(await modeOf(path)).toBe(0o600);
  });

  // Found by the reliability security suite: an existing journal kept its mode (0644), while
  // --report and --failed-out were narrowed.
  describe.each([
    ['an empty journal', '', false],
    [
      'a journal that holds a run',
      `${JSON.stringify({ type: 'start', runId: 'r1', operation: OPERATION })}\n`,
      true,
    ],
  ])('narrows %s that exists with mode 0644 to 0600', (_, content, resume) => {
    it('before anything is appended', async () => {
      const path = join(dir, 'run.journal');
      await writeFile(path, content);
      await chmod(path, 0o644);
      const { journal, resuming } = await openCommandJournal(path, {
        resume,
        operation: OPERATION,
      });
      await journal.close();
      expect(resuming).toBe(resume);
      expect(await modeOf(path)).toBe(0o600);
    });
  });
});

describe('the parameters a --resume must repeat', () => {
  const PARAMETERS = {
    'base URL host': '127.0.0.1:4610',
    '--account-list': '82aa980b-c560-4e92-b330-bd872bb42c0a',
  };

  /** A journal whose run started with `PARAMETERS`. */
  async function startedRun(path: string): Promise<void> {
    const { journal } = await openCommandJournal(path, {
      resume: false,
      operation: OPERATION,
      parameters: PARAMETERS,
    });
    await journal.append([{ type: 'start', runId: 'r1', operation: OPERATION }]);
    await journal.close();
  }

  it('are kept in <journal>.meta.json, mode 0600, without the token', async () => {
    const path = join(dir, 'run.journal');
    await startedRun(path);
    expect(await modeOf(`${path}.meta.json`)).toBe(0o600);
    expect(JSON.parse(await readFile(`${path}.meta.json`, 'utf8'))).toEqual({
      parameters: PARAMETERS,
    });
  });

  it('let a resume with the same parameters continue', async () => {
    const path = join(dir, 'run.journal');
    await startedRun(path);
    const { journal, resuming } = await openCommandJournal(path, {
      resume: true,
      operation: OPERATION,
      parameters: { ...PARAMETERS },
    });
    await journal.close();
    expect(resuming).toBe(true);
  });

  it.each(Object.keys(PARAMETERS))('refuse a resume whose %s differs (exit 2)', async (name) => {
    const path = join(dir, 'run.journal');
    await startedRun(path);
    const error = await openCommandJournal(path, {
      resume: true,
      operation: OPERATION,
      parameters: { ...PARAMETERS, [name]: 'something-else' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toContain(`${name} is something-else`);
    expect((error as CliError).message).toContain(
      `used ${PARAMETERS[name as keyof typeof PARAMETERS]}`,
    );
  });

  it('let a journal without the sidecar resume (written by an earlier version)', async () => {
    const path = join(dir, 'run.journal');
    await writeFile(
      path,
      `${JSON.stringify({ type: 'start', runId: 'r1', operation: OPERATION })}\n`,
    );
    const { journal, resuming } = await openCommandJournal(path, {
      resume: true,
      operation: OPERATION,
      parameters: PARAMETERS,
    });
    await journal.close();
    expect(resuming).toBe(true);
  });
});
