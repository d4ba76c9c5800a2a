/**
 * Runs the built `bulk-clients` as a child process, as a user runs it, so that a test can kill it
 * with a real signal while the sandbox (in the test process) keeps serving.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_DIR = dirname(createRequire(import.meta.url).resolve('@bulk-clients/cli/package.json'));

/** The command's entry point, `packages/cli/dist/bin.js`. */
export const CLI_BIN = join(CLI_DIR, 'dist', 'bin.js');

/** Distinctive, so that a plain substring search finds any leak of it. */
export const TOKEN = 'sandbox-CRASHCHECK-7c41e09b2fd3';

/** The environment of a run: only PATH and the vendors' tokens, nothing of the caller's shell. */
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

/** Builds the CLI's `dist/` with tsc when a source file is newer than `dist/bin.js`. */
export function buildCliIfStale(): void {
  const built = mtimeOf(CLI_BIN);
  if (built !== undefined && built >= newestMtime(join(CLI_DIR, 'src'))) return;
  const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: CLI_DIR,
    stdio: 'inherit',
  });
}

function mtimeOf(path: string): number | undefined {
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

/** How a run ended and what it printed. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `bulk-clients`; `done` resolves once it has exited and its pipes are closed. */
export interface CliChild {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Whether the process has exited. */
  exited(): boolean;
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every run `startCli` started that is still running, and waits for them. */
export async function stopAllStarted(): Promise<void> {
  const waits = [...running].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(waits);
}

/** Starts `bulk-clients <args>` with `cliEnv()` and an empty stdin. */
export function startCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): CliChild {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: options.env ?? cliEnv(),
    cwd: options.cwd ?? CLI_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin?.end();
  running.add(child);
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, exited: () => exited };
}

/** Runs `bulk-clients <args>` to the end. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return startCli(args, options).done;
}
