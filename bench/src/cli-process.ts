/**
 * The `bulk-clients` CLI (its build, `packages/cli/dist/bin.js`) or another Node entry in a
 * process of its own, as a user runs it: no IPC channel, the sandbox's token in the environment,
 * bounded in time.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { SANDBOX_TOKEN } from './sandbox-process.js';

export interface NodeRun {
  exitCode: number | null;
  /** What the process printed on stdout (empty unless `captureStdout`). */
  stdout: string;
  /** The first few kB of stderr, for error messages. */
  stderr: string;
  /** From spawning to exit, process start-up included. */
  wallMs: number;
}

export interface NodeRunOptions {
  /** Extra environment; `HUBSPOT_TOKEN` is the sandbox's. */
  env?: NodeJS.ProcessEnv;
  /** Killed after this long. */
  timeoutMs: number;
  captureStdout?: boolean;
}

/** The CLI's entry in the monorepo at `repoRoot`. */
export function cliEntry(repoRoot: string): string {
  return path.join(repoRoot, 'packages/cli/dist/bin.js');
}

/** Runs `node ...args` to its end. */
export async function runNode(args: string[], options: NodeRunOptions): Promise<NodeRun> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'],
    env: { ...process.env, HUBSPOT_TOKEN: SANDBOX_TOKEN, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  // `close`, not `exit`: stdout is complete only once its stream has closed.
  const [exitCode] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { exitCode, stdout, stderr, wallMs: performance.now() - started };
}

/** Runs `bulk-clients ...args` to its end. */
export function runCli(
  repoRoot: string,
  args: string[],
  options: NodeRunOptions,
): Promise<NodeRun> {
  return runNode([cliEntry(repoRoot), ...args], options);
}
