/**
 * Runs the built `bulk-clients` as a child process, as a user runs it, against a sandbox started
 * in the test process.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(PACKAGE_DIR, 'dist', 'bin.js');

/** Distinctive, so that a plain substring search finds any leak. */
export const TOKEN = 'sandbox-LEAKCHECK-5e1f0c7a9d2b';

/** The environment of every run: no token of the developer's shell leaks into a test. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HUBSPOT_TOKEN: TOKEN,
    THOUGHT_INDUSTRIES_API_KEY: TOKEN,
    VEC_TOKEN: TOKEN,
    MPDX_TOKEN: TOKEN,
    ...extra,
  };
}

/** Builds `dist/` with tsc when any source file is newer than `dist/bin.js`. */
export function buildIfStale(): void {
  const built = statMs(BIN);
  const newest = newestMtime(join(PACKAGE_DIR, 'src'));
  if (built !== undefined && built >= newest) return;
  execFileSync(process.execPath, [tscPath(), '-p', 'tsconfig.build.json'], {
    cwd: PACKAGE_DIR,
    stdio: 'inherit',
  });
}

function tscPath(): string {
  return fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
}

function statMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** What a finished run printed and returned. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `bulk-clients`; `done` resolves when it exits. */
export interface CliProcess {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Everything printed on stderr so far. */
  stderr(): string;
}

/** Starts `bulk-clients <args>`. */
export function startCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env ?? cliEnv(),
    cwd: options.cwd ?? PACKAGE_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin!.end(options.stdin ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

/** Runs `bulk-clients <args>` to the end. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Polls `condition` every few ms until it holds (or fails the test after `timeoutMs`). */
export async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Asserts that the token appears in none of the outputs and files of a run, and the files are 0600. */
export async function expectNoLeak(result: CliResult, files: readonly string[]): Promise<void> {
  expect(result.stdout).not.toContain(TOKEN);
  expect(result.stderr).not.toContain(TOKEN);
  for (const file of files) {
    expect(await readFile(file, 'utf8')).not.toContain(TOKEN);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  }
}

/** The lines of a JSONL file, parsed. */
export async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
