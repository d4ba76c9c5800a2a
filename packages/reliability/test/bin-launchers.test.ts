import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../..', import.meta.url));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(script: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

// The package's tests depend on its build (turbo's `^build`), so the real launchers find it.
describe.each([
  { bin: 'bulk-clients', folder: 'cli', args: ['--version'], says: /^0\.\d+\.\d+\n$/ },
  { bin: 'bulk-clients-sandbox', folder: 'sandbox', args: ['--help'], says: /^Usage: / },
])('the $bin launcher', ({ bin, folder, args, says }) => {
  const packageDir = join(PACKAGES, folder);
  const launcher = join(packageDir, 'bin', `${bin}.js`);
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), `${bin}-launcher-`));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** A copy of the launcher in a package folder of its own, with or without a `dist/bin.js`. */
  async function launcherCopy(root: string, dist: string | undefined): Promise<string> {
    await mkdir(join(root, 'bin'), { recursive: true });
    const copy = join(root, 'bin', basename(launcher));
    await copyFile(launcher, copy);
    if (dist !== undefined) {
      await mkdir(join(root, 'dist'), { recursive: true });
      await writeFile(join(root, 'dist', 'bin.js'), dist);
    }
    return copy;
  }

  it('is the bin npm links, and is published', async () => {
    const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ [bin]: `./bin/${bin}.js` });
    expect(manifest.files).toContain('bin');
  });

  it('says to build first, and exits with 2, when there is no dist', async () => {
    const ran = await runNode(await launcherCopy(join(scratch, 'unbuilt'), undefined), ['--help']);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toContain(`${bin}: not built yet`);
    expect(ran.stderr).toContain('Run `npm run build` first');
  });

  it('hands the arguments and the exit code to the build', async () => {
    const dist = 'console.log(JSON.stringify(process.argv.slice(2))); process.exitCode = 7;\n';
    const ran = await runNode(await launcherCopy(join(scratch, 'built'), dist), ['a', '--b']);
    expect(ran).toEqual({ code: 7, stdout: '["a","--b"]\n', stderr: '' });
  });

  it('runs the real build', async () => {
    const ran = await runNode(launcher, args);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(says);
  });
});
