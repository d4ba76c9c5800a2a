/**
 * Runs the built `bulk-clients` as a child process, as a user runs it. The CLI's end-to-end tests
 * and the reliability suite's crash tests both start it through here, each with its own token, so
 * that a leak check can tell whose run printed it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI package's folder: the default working folder of a run. */
const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The command's entry point, `packages/cli/dist/bin.js`. */
export const CLI_BIN = join(CLI_DIR, 'dist', 'bin.js');

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
export interface CliProcess {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Whether the process has exited. */
  exited(): boolean;
}

/** Options of a run. */
export interface CliRunOptions {
  /**
   * The whole environment of the child; nothing of the caller's shell is added.
   * @default the runner's `cliEnv()`
   */
  env?: Record<string, string>;
  /**
   * The working folder of the child.
   * @default the CLI package's folder
   */
  cwd?: string;
  /**
   * What the child reads on stdin, which is then closed.
   * @default ''
   */
  stdin?: string;
}

/** Starts and tracks runs whose environment holds one token. */
export interface CliRunner {
  /** The environment of a run: PATH and the token as every vendor's token, then `extra`. */
  cliEnv(extra?: Record<string, string>): Record<string, string>;
  /** Starts `bulk-clients <args>`. */
  startCli(args: readonly string[], options?: CliRunOptions): CliProcess;
  /** Runs `bulk-clients <args>` to the end. */
  runCli(args: readonly string[], options?: CliRunOptions): Promise<CliResult>;
  /** Kills (SIGKILL) every run this runner started that is still running, and waits for them. */
  stopAllStarted(): Promise<void>;
}

/**
 * A runner whose runs get `token` as every vendor's token.
 * @example
 * const { cliEnv, runCli } = createCliRunner('sandbox-token');
 * const result = await runCli(['hubspot', 'tickets-update', '--input', 'tickets.csv']);
 */
export function createCliRunner(token: string): CliRunner {
  if (typeof token !== 'string' || token === '') {
    throw new TypeError('Expected `token` to be a non-empty string');
  }
  const running = new Set<ChildProcess>();

  const cliEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HUBSPOT_TOKEN: token,
    THOUGHT_INDUSTRIES_API_KEY: token,
    VEC_TOKEN: token,
    MPDX_TOKEN: token,
    ...extra,
  });

  const startCli = (args: readonly string[], options: CliRunOptions = {}): CliProcess => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: options.env ?? cliEnv(),
      cwd: options.cwd ?? CLI_DIR,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let exited = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin!.end(options.stdin ?? '');
    running.add(child);
    child.once('exit', () => {
      exited = true;
      running.delete(child);
    });
    const done = new Promise<CliResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    return { child, done, stderr: () => stderr, exited: () => exited };
  };

  return {
    cliEnv,
    startCli,
    runCli: (args, options) => startCli(args, options).done,
    async stopAllStarted() {
      const waits = [...running].map(
        (child) => new Promise((resolve) => child.once('exit', resolve)),
      );
      for (const child of running) child.kill('SIGKILL');
      await Promise.all(waits);
    },
  };
}
