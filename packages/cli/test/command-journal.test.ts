import { chmod, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCommandJournal } from '../src/commands/command-journal.js';

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
