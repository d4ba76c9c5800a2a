import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/cli-args.js';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function finish(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

/** Resolves with the first stdout line (the URL). */
async function firstLine(child: ChildProcess): Promise<string> {
  let buffered = '';
  for await (const chunk of child.stdout ?? []) {
    buffered += chunk;
    const newline = buffered.indexOf('\n');
    if (newline !== -1) return buffered.slice(0, newline);
  }
  throw new Error('the bin exited without printing its URL');
}

describe('parseCommandLine', () => {
  it('maps every flag to its option', () => {
    expect(
      parseCommandLine([
        '--port=4010',
        '--seed',
        '7',
        '--latency-ms',
        '25',
        '--rate-limit',
        '100/10000',
        '--error-rate',
        '0.1',
        '--job-ms',
        '200',
        '--token',
        'ti_test_example',
      ]),
    ).toEqual({
      port: 4010,
      seed: 7,
      latencyMs: 25,
      rateLimit: { requests: 100, perMs: 10_000 },
      errorRate: 0.1,
      jobMs: 200,
      token: 'ti_test_example',
    });
  });

  it('maps the rate-limit mode and the daily limit', () => {
    expect(
      parseCommandLine([
        '--rate-limit',
        '190/10000',
        '--rate-limit-mode',
        'fixed',
        '--daily-limit=625000',
      ]),
    ).toEqual({
      rateLimit: { requests: 190, perMs: 10_000, mode: 'fixed' },
      dailyLimit: 625_000,
    });
    expect(parseCommandLine(['--daily-limit', '5'])).toEqual({ dailyLimit: 5 });
  });

  it('keeps a non-numeric seed as text', () => {
    expect(parseCommandLine(['--seed', 'demo'])).toEqual({ seed: 'demo' });
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--port', '70000'], '--port'],
    [['--port', '1.5'], '--port'],
    [['--rate-limit', '10'], '--rate-limit'],
    [['--rate-limit', '0/100'], '--rate-limit'],
    [['--rate-limit', '100/0'], '--rate-limit'],
    [['--rate-limit', '-5/100'], '--rate-limit'],
    [['--rate-limit', '99999999999/1000'], '--rate-limit'],
    [['--rate-limit', '100/999999999999'], '--rate-limit'],
    [['--rate-limit', '100/10000', '--rate-limit-mode', 'leaky'], '--rate-limit-mode'],
    [['--rate-limit-mode', 'rolling'], '--rate-limit-mode'],
    [['--daily-limit', '0'], '--daily-limit'],
    [['--daily-limit', '-1'], '--daily-limit'],
    [['--daily-limit', 'lots'], '--daily-limit'],
    [['--daily-limit', '2.5'], '--daily-limit'],
    [['--daily-limit', '1e12'], '--daily-limit'],
    [['--error-rate', '2'], '--error-rate'],
    [['--latency-ms', '-1'], '--latency-ms'],
    [['--job-ms', 'soon'], '--job-ms'],
    [['--token', ''], '--token'],
    [['--colour'], '--colour'],
  ])('rejects %j naming %s', (args, flag) => {
    expect(() => parseCommandLine(args)).toThrow(UsageError);
    expect(() => parseCommandLine(args)).toThrow(flag);
  });
});

describe('bulk-clients-sandbox', () => {
  it('prints usage for --help and exits 0', async () => {
    const result = await finish(run(['--help']));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--rate-limit <N/MS>');
  });

  it.each([
    [['--error-rate', 'often'], '--error-rate must be a number between 0 and 1'],
    [
      ['--rate-limit', '10/1000', '--rate-limit-mode', 'sliding'],
      '--rate-limit-mode must be one of',
    ],
    [['--daily-limit', '0'], '--daily-limit must be'],
  ])('exits 2 for %j naming the flag', async (args, message) => {
    const result = await finish(run(args));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves until %s, then exits 0',
    async (signal) => {
      const child = run(['--port', '0', '--token', 'bin-token']);
      const done = finish(child);
      const url = await firstLine(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/crm/v3/objects/tickets/1`, {
        headers: { authorization: 'Bearer bin-token' },
      });
      expect(response.status).toBe(200);
      child.kill(signal);
      const result = await done;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`Received ${signal}`);
      expect(result.stderr).not.toContain('bin-token');
    },
    20_000,
  );
});
