import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../src/cli-args.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(PACKAGE_DIR, 'bin', 'bulk-clients-sandbox.js');

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

/** A copy of the launcher in a package folder of its own, with or without a `dist/bin.js`. */
async function launcherCopy(root: string, dist: string | undefined): Promise<string> {
  await mkdir(join(root, 'bin'), { recursive: true });
  const copy = join(root, 'bin', 'bulk-clients-sandbox.js');
  await copyFile(LAUNCHER, copy);
  if (dist !== undefined) {
    await mkdir(join(root, 'dist'), { recursive: true });
    await writeFile(join(root, 'dist', 'bin.js'), dist);
  }
  return copy;
}

describe('the bulk-clients-sandbox launcher', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bulk-clients-sandbox-launcher-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('is the bin npm links, and is published', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ 'bulk-clients-sandbox': './bin/bulk-clients-sandbox.js' });
    expect(manifest.files).toContain('bin');
  });

  it('says to build first, and exits with 2, when there is no dist', async () => {
    const ran = await runNode(await launcherCopy(join(scratch, 'unbuilt'), undefined), ['--help']);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toContain('bulk-clients-sandbox: not built yet');
    expect(ran.stderr).toContain('Run `npm run build` first');
  });

  it('hands the arguments and the exit code to the build', async () => {
    const dist = 'console.log(JSON.stringify(process.argv.slice(2))); process.exitCode = 7;\n';
    const ran = await runNode(await launcherCopy(join(scratch, 'built'), dist), ['a', '--b']);
    expect(ran).toEqual({ code: 7, stdout: '["a","--b"]\n', stderr: '' });
  });

  it('runs the real build', async () => {
    // The package's tests run from source; this one needs its build.
    if (!existsSync(join(PACKAGE_DIR, 'dist', 'bin.js'))) {
      execFileSync('npm', ['run', 'build'], { cwd: PACKAGE_DIR, stdio: 'ignore' });
    }
    const ran = await runNode(LAUNCHER, ['--help']);
    expect(ran).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });
});
