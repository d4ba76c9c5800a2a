import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { openFilesDir, type ResolveFile } from '../src/input/files-dir.js';

let root: string;
let outside: string;
let resolveFile: ResolveFile;

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'bulk-clients-files-'));
  root = join(base, 'files');
  outside = join(base, 'secret.pdf');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'a.pdf'), 'a');
  await writeFile(join(root, 'sub', 'b.pdf'), 'b');
  await writeFile(outside, 'secret');
  await symlink(outside, join(root, 'out.pdf'));
  await symlink(join(root, 'a.pdf'), join(root, 'in.pdf'));
  resolveFile = await openFilesDir(root);
});

describe('openFilesDir', () => {
  it.each(['a.pdf', 'sub/b.pdf', 'sub/../a.pdf', './a.pdf', 'in.pdf'])(
    'resolves %s to a real path inside the directory',
    async (file) => {
      const resolved = await resolveFile(file);
      expect(resolved.problem).toBeUndefined();
      expect(resolved.path?.startsWith(root.replace(/\/$/, ''))).toBe(true);
    },
  );

  it.each([
    ['../secret.pdf', /outside --files-dir/],
    ['sub/../../secret.pdf', /outside --files-dir/],
    ['out.pdf', /symbolic link/],
    ['/etc/passwd', /absolute path/],
    ['missing.pdf', /no file "missing.pdf"/],
    ['sub', /is not a file/],
    ['.', /outside --files-dir/],
    ['  ', /is blank/],
  ])('refuses %j', async (file, problem) => {
    expect((await resolveFile(file)).problem).toMatch(problem);
  });

  it('is a CliError naming --files-dir when the directory does not exist', async () => {
    await expect(openFilesDir(join(root, 'nope'))).rejects.toThrow(CliError);
    await expect(openFilesDir(join(root, 'a.pdf'))).rejects.toThrow(/--files-dir/);
  });
});
