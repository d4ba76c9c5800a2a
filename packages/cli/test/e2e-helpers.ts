/**
 * What the end-to-end tests share: runs of the built `bulk-clients` (see `cli-process.ts`) with a
 * token of their own, against a sandbox started in the test process, and the checks of a run's
 * outputs.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, type SandboxOptions, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { buildCliIfStale, type CliResult, createCliRunner } from './cli-process.js';

export { buildCliIfStale, type CliProcess, type CliResult } from './cli-process.js';

/** Distinctive, so that a plain substring search finds any leak. */
export const TOKEN = 'sandbox-LEAKCHECK-5e1f0c7a9d2b';

/** `cliEnv()` is the environment of every run: no token of the developer's shell leaks into a test. */
export const { cliEnv, startCli, runCli } = createCliRunner(TOKEN);

/** The sandbox of a test file and the folder of the current test. */
export interface SandboxRun {
  /** The sandbox, accepting {@link TOKEN}; started before the file's first test. */
  readonly sandbox: Sandbox;
  /** A path in the current test's own temporary folder. */
  file(name: string): string;
  /** `--base-url` of the sandbox, a rate limit high enough never to wait, and no progress bar. */
  flags(): string[];
}

/**
 * Registers the hooks of a test file that runs the CLI against a sandbox: builds the CLI if it
 * is stale and starts a sandbox before the first test (closing it after the last), and makes a
 * new temporary folder `bulk-clients-e2e-<name>-*` before each test.
 * @example
 * const e2e = useSandbox('hubspot', { seed: 5 });
 * await runCli(['hubspot', 'tickets-update', '--input', e2e.file('in.csv'), ...e2e.flags()]);
 */
export function useSandbox(name: string, options: Omit<SandboxOptions, 'token'> = {}): SandboxRun {
  let sandbox: Sandbox | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    buildCliIfStale();
    sandbox = await startSandbox({ ...options, token: TOKEN });
  }, 60_000);
  afterAll(() => sandbox?.close());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `bulk-clients-e2e-${name}-`));
  });
  const started = (): Sandbox => {
    if (!sandbox) throw new Error('The sandbox starts before the first test');
    return sandbox;
  };
  return {
    get sandbox() {
      return started();
    },
    file(fileName) {
      if (dir === undefined) throw new Error('The test folder is made before each test');
      return join(dir, fileName);
    },
    flags: () => ['--base-url', started().url, '--rate-limit', '10000/1000', '--no-progress'],
  };
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
