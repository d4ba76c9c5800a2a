import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { prepareBulkCommand } from '../src/commands/bulk-command.js';
import { type CommandHandler, CommandRegistry } from '../src/commands/registry.js';
import { ExitCode } from '../src/exit-codes.js';
import { main } from '../src/main.js';
import { TOKEN_FLAG_WARNING } from '../src/token.js';
import { chunked, fakeStream } from './helpers.js';

// Distinctive, so that any leak is found by a plain substring search.
const TOKEN = 'pat-na1-LEAKCHECK-0d4f7c1e-9b2a';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-run-'));
  await writeFile(join(dir, 'tickets.csv'), `id,subject\n1,ok\n2,${TOKEN}\n3,fails\n`);
});

const report = (over: Partial<Record<string, number>> = {}) => ({
  operation: 'tickets-update',
  total: 3,
  succeeded: 3,
  failed: 0,
  unknown: 0,
  skipped: 0,
  requests: 1,
  retries: 0,
  throttledMs: 0,
  durationMs: 10,
  ...over,
});

function harness(handler: CommandHandler, env: Record<string, string> = { HUBSPOT_TOKEN: TOKEN }) {
  const stdout = fakeStream();
  const stderr = fakeStream();
  const registry = new CommandRegistry().register('hubspot tickets-update', handler);
  return {
    stdout,
    stderr,
    run: (...argv: string[]) =>
      main(['hubspot', 'tickets-update', ...argv], {
        registry,
        io: { stdout, stderr, env, stdin: chunked('') },
      }),
  };
}

describe('prepareBulkCommand', () => {
  it('sets up token, base URL and input, and finishes with the summary and exit code 0', async () => {
    const seen: Record<string, unknown> = {};
    const { stdout, run } = harness(async (context) => {
      const prepared = await prepareBulkCommand(context, {
        defaultBaseUrl: 'https://api.hubapi.com',
      });
      seen.token = prepared.token;
      seen.baseUrl = prepared.baseUrl;
      seen.format = prepared.input?.format;
      return prepared.finish(report());
    });
    expect(await run('--input', join(dir, 'tickets.csv'), '--no-progress')).toBe(ExitCode.Success);
    expect(seen).toEqual({ token: TOKEN, baseUrl: 'https://api.hubapi.com', format: 'csv' });
    expect(stdout.text()).toMatch(/^hubspot tickets-update: done in 10 ms\n {2}total +3/);
  });

  it('prints JSON on stdout and the summary on stderr with --json, and exits 1 on failures', async () => {
    const { stdout, stderr, run } = harness(async (context) => {
      const prepared = await prepareBulkCommand(context, {
        defaultBaseUrl: 'https://api.hubapi.com',
      });
      return prepared.finish(report({ succeeded: 2, unknown: 1 }));
    });
    expect(await run('--input', join(dir, 'tickets.csv'), '--json', '--no-progress')).toBe(
      ExitCode.SomeFailed,
    );
    expect(JSON.parse(stdout.text())).toMatchObject({ api: 'hubspot', succeeded: 2, unknown: 1 });
    expect(stderr.text()).toContain('hubspot tickets-update: done');
  });

  it.each([
    ['a missing token', [], {}, /No API token: set HUBSPOT_TOKEN/],
    [
      'plain HTTP to a remote host',
      ['--base-url', 'http://api.example.com'],
      undefined,
      /plain HTTP/,
    ],
    ['a missing input file', ['--input', '/nonexistent/t.csv'], undefined, /Cannot read --input/],
    [
      'an unwritable --failed-out',
      ['--failed-out', '/nonexistent/f.jsonl'],
      undefined,
      /Cannot write --failed-out \/nonexistent\/f.jsonl: ENOENT/,
    ],
  ])('exits 2 on %s before writing anything', async (_, extra, env, message) => {
    const failed = join(dir, 'failed.jsonl');
    const { stderr, run } = harness(async (context) => {
      const prepared = await prepareBulkCommand(context, {
        defaultBaseUrl: 'https://api.hubapi.com',
      });
      return prepared.finish(report());
    }, env);
    const argv = ['--input', join(dir, 'tickets.csv'), '--failed-out', failed, ...extra];
    expect(await run(...argv)).toBe(ExitCode.Usage);
    expect(stderr.text()).toMatch(message);
    expect(await readdir(dir)).toEqual(['tickets.csv']);
  });

  it('needs --base-url when the vendor has no default host', async () => {
    const { stderr, run } = harness(async (context) =>
      (await prepareBulkCommand(context)).finish(report()),
    );
    expect(await run('--input', join(dir, 'tickets.csv'))).toBe(2);
    expect(stderr.text()).toContain('pass --base-url URL');
  });
});

describe('security: a distinctive token never leaks', () => {
  it('stays out of stdout, stderr, the report, the failed-records file and error output', async () => {
    const reportPath = join(dir, 'report.json');
    const failedPath = join(dir, 'failed.jsonl');
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const { stdout, stderr, run } = harness(async (context) => {
      const prepared = await prepareBulkCommand(context, { defaultBaseUrl: 'http://127.0.0.1:1' });
      for await (const item of prepared.input!.records) {
        prepared.progress.update({ done: item.line - 1, failed: 1 });
        if (item.record?.subject !== 'ok') {
          await prepared.failedRecords!.write({
            line: item.line,
            state: 'failed',
            reason: `401 for Authorization: Bearer ${prepared.token}`,
            record: item.record,
          });
        }
      }
      context.io.stderr.write(
        `debug ${prepared.token} ${JSON.stringify({ token: prepared.token })}\n`,
      );
      await prepared.finish(report({ succeeded: 1, failed: 2 }));
      throw Object.assign(new Error(`crashed with ${prepared.token}`), { token: prepared.token });
    }, {});
    const code = await run(
      '--input',
      join(dir, 'tickets.csv'),
      '--token-file',
      tokenFile,
      '--report',
      reportPath,
      '--failed-out',
      failedPath,
      '--json',
    );
    expect(code).toBe(1);
    const outputs = {
      stdout: stdout.text(),
      stderr: stderr.text(),
      report: await readFile(reportPath, 'utf8'),
      failed: await readFile(failedPath, 'utf8'),
    };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.length, name).toBeGreaterThan(0);
      expect(text, name).not.toContain(TOKEN);
    }
    expect(outputs.failed.trim().split('\n')).toHaveLength(2);
    expect(outputs.failed).toContain('[REDACTED]');
    for (const path of [reportPath, failedPath])
      expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('warns about --token and still redacts it', async () => {
    const { stdout, stderr, run } = harness(async (context) => {
      const prepared = await prepareBulkCommand(context, {
        defaultBaseUrl: 'https://api.hubapi.com',
      });
      context.io.stdout.write(`${prepared.token}\n`);
      return prepared.finish(report());
    }, {});
    expect(await run('--input', join(dir, 'tickets.csv'), '--token', TOKEN, '--no-progress')).toBe(
      0,
    );
    expect(stderr.text()).toContain(TOKEN_FLAG_WARNING);
    expect(stdout.text() + stderr.text()).not.toContain(TOKEN);
  });

  it('keeps the token out of the auth errors of a bad token file', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\nsecond line\n`);
    let caught: unknown;
    const { run } = harness(async (context) => {
      try {
        return (await prepareBulkCommand(context)).finish(report());
      } catch (error) {
        caught = error;
        throw error;
      }
    }, {});
    expect(await run('--input', join(dir, 'tickets.csv'), '--token-file', tokenFile)).toBe(2);
    const error = caught as Error;
    for (const text of [error.message, error.stack ?? '', inspect(error)])
      expect(text).not.toContain(TOKEN);
  });
});
