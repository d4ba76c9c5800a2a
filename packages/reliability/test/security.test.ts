/**
 * Security: a distinctive token never leaks, whatever fails; plain HTTP is refused off loopback;
 * every file written is 0600, before and after --resume.
 *
 * The token is searched for in everything a user or a log collector could see: each vendor
 * client's errors (message, stack, `String()`, `util.inspect` with hidden fields, JSON) and bulk
 * reports under 401, 429, 5xx, resets, truncated JSON and refused connections; and each CLI
 * command's stdout, stderr, journal, report and failed-record file (with BULK_CLIENTS_DEBUG, which
 * prints stacks).
 */
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type FaultSettings, type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, type CliResult, cliEnv, runCli, TOKEN } from './crash/cli-child.js';
import { vendorProbes } from './security-probes.js';

let sandbox: Sandbox;
/** Accepts only `sandbox-token`: every request with ours is refused (401). */
let refusing: Sandbox;
/** A loopback port nothing listens on. */
let closedUrl: string;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  buildCliIfStale();
  sandbox = await startSandbox({ token: TOKEN, seed: 21, jobMs: 10 });
  refusing = await startSandbox({ token: 'sandbox-token', seed: 22, jobMs: 10 });
  closedUrl = `http://127.0.0.1:${await closedPort()}`;
}, 60_000);

/** What the suite looked at, printed at the end for RELIABILITY.md. */
const tally = { errors: 0, outcomes: 0, cliRuns: 0, files: 0, faultsInjected: 0 };

afterAll(async () => {
  await sandbox?.close();
  await refusing?.close();
  console.log(
    `Security: ${tally.errors} thrown errors and ${tally.outcomes} bulk outcomes inspected; ` +
      `${tally.cliRuns} CLI runs and ${tally.files} files searched; ` +
      `${tally.faultsInjected} faults injected under the CLI runs`,
  );
});

/** Every view of a value that could end up in a log, an error tracker or a terminal. */
function viewsOf(value: unknown): Record<string, string> {
  const views: Record<string, string> = {
    inspect: inspect(value, { depth: null, showHidden: true, getters: true }),
    string: String(value),
  };
  try {
    views.json = JSON.stringify(value) ?? '';
  } catch {
    // Circular structures have no JSON form to leak through.
  }
  if (value instanceof Error) {
    views.message = value.message;
    views.stack = value.stack ?? '';
  }
  return views;
}

/** The names of the views of `value` that contain the token. */
function leaksIn(value: unknown): string[] {
  return Object.entries(viewsOf(value))
    .filter(([, text]) => text.includes(TOKEN))
    .map(([name]) => name);
}

describe('the leak check itself', () => {
  it.each<[string, () => unknown, string]>([
    ['a message', () => new Error(`Bearer ${TOKEN} refused`), 'message'],
    [
      'a cause',
      () => new Error('fetch failed', { cause: { headers: { authorization: `Bearer ${TOKEN}` } } }),
      'inspect',
    ],
    [
      'a hidden field',
      () => Object.defineProperty(new Error('refused'), 'request', { value: { token: TOKEN } }),
      'inspect',
    ],
    ['a report', () => ({ outcomes: [{ error: { message: TOKEN } }] }), 'json'],
  ])('finds the token in %s', (_, make, view) => {
    expect(leaksIn(make())).toContain(view);
  });
});

interface ClientFault {
  /** The sandbox to talk to: ours, the one refusing our token, or a closed port. */
  target: 'sandbox' | 'refusing' | 'closed';
  faults?: FaultSettings;
  /** Spend the rate-limit budget with one request first. */
  prime?: boolean;
}

const urlOf = (target: ClientFault['target']) =>
  target === 'sandbox' ? sandbox.url : target === 'refusing' ? refusing.url : closedUrl;

describe.each(Object.entries(vendorProbes))('the %s client', (vendor, probeOf) => {
  describe.each<[string, ClientFault]>([
    ['401, token refused', { target: 'refusing' }],
    [
      '429',
      { target: 'sandbox', faults: { rateLimit: { requests: 1, perMs: 3_600_000 } }, prime: true },
    ],
    ['500', { target: 'sandbox', faults: { errors: { rate: 1, statuses: [500] } } }],
    ['503', { target: 'sandbox', faults: { errors: { rate: 1, statuses: [503] } } }],
    ['connection reset', { target: 'sandbox', faults: { resetBeforeBody: 1 } }],
    [
      'truncated JSON',
      { target: 'sandbox', faults: { malformedBody: { rate: 1, mode: 'abort' } } },
    ],
    ['connection refused', { target: 'closed' }],
  ])('on %s', (_, fault) => {
    async function underFault<T>(run: () => Promise<T>): Promise<T> {
      if (fault.faults) sandbox.faults.set(fault.faults, { vendor });
      try {
        return await run();
      } finally {
        sandbox.faults.reset();
      }
    }

    it('throws an error that shows the token in no view', async () => {
      const probe = probeOf(urlOf(fault.target), TOKEN);
      const error = await underFault(async () => {
        if (fault.prime) await probe.call().catch(() => undefined);
        return probe.call().then(
          () => undefined,
          (reason: unknown) => reason,
        );
      });
      expect(error).toBeInstanceOf(Error);
      tally.errors++;
      expect(leaksIn(error)).toEqual([]);
      expect(leaksIn(probe.client)).toEqual([]);
    });

    it('reports failed records whose errors and report show no token', async () => {
      const probe = probeOf(urlOf(fault.target), TOKEN);
      const report = await underFault(async () => {
        if (fault.prime) await probe.call().catch(() => undefined);
        return probe.bulk();
      });
      const outcomes = report.outcomes ?? [];
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.some((outcome) => outcome.status !== 'succeeded')).toBe(true);
      expect(leaksIn(report)).toEqual([]);
      for (const outcome of outcomes) expect(leaksIn(outcome.error)).toEqual([]);
      tally.outcomes += outcomes.length;
    });
  });
});

/** A CLI command of the suite: the arguments of a small job that has records to fail. */
interface CommandCase {
  vendor: string;
  /** Writes the input under `dir`; returns the command line against `url`. */
  setup(dir: string, url: string): Promise<string[]>;
  /** Whether the command takes `--journal` and `--resume`. */
  journal: boolean;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const COMMANDS: Record<string, CommandCase> = {
  'hubspot tickets-update': {
    vendor: 'hubspot',
    journal: true,
    setup: async (dir, url) => {
      const rows = ['1,Probe', '2,Probe', ',No id', '999999,Unknown ticket', '3,Probe'];
      await writeFile(join(dir, 'in.csv'), `id,subject\n${rows.join('\n')}\n`);
      return ['hubspot', 'tickets-update', '--base-url', url, '--input', join(dir, 'in.csv')];
    },
  },
  'thought-industries templates-update': {
    vendor: 'thought-industries',
    journal: true,
    setup: async (dir, url) => {
      const ids = [...sandbox.state.thoughtIndustries!.templates.keys()].slice(0, 3);
      const lines = [
        ...ids.map((id) => JSON.stringify({ id, title: 'Probe' })),
        JSON.stringify({ id: ids[0], expirationDays: 'a year' }),
      ];
      await writeFile(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
      return [
        'thought-industries',
        'templates-update',
        '--base-url',
        url,
        '--poll-interval',
        '10',
        '--input',
        join(dir, 'in.jsonl'),
      ];
    },
  },
  'thought-industries webinar-import': {
    vendor: 'thought-industries',
    journal: false,
    setup: async (_, url) => [
      'thought-industries',
      'webinar-import',
      '--base-url',
      url,
      '--poll-interval',
      '10',
      '--asset-path',
      'imports/webinars-2024.csv',
    ],
  },
  'vec vault-create': {
    vendor: 'vec',
    journal: true,
    setup: async (dir, url) => {
      const rows: string[] = [];
      for (const n of [1, 2, 3]) {
        await writeFile(join(dir, `c-${n}.pdf`), PDF);
        rows.push(`Probe,Learner ${n},probe${n}@example.com,c-${n}.pdf`);
      }
      rows.push('Probe,Eve,not-an-email,c-1.pdf');
      await writeFile(
        join(dir, 'in.csv'),
        `certificate_title,full_name,applicant_email,file\n${rows.join('\n')}\n`,
      );
      return [
        'vec',
        'vault-create',
        '--base-url',
        url,
        '--poll-interval',
        '10',
        '--files-dir',
        dir,
        '--input',
        join(dir, 'in.csv'),
      ];
    },
  },
  'mpdx preferences-create': {
    vendor: 'mpdx',
    journal: true,
    setup: async (dir, url) => {
      const accountList = [...sandbox.state.mpdx!.accountLists.keys()][0]!;
      const [first, second] = [...sandbox.state.mpdx!.notificationTypes.keys()];
      const rows = [`${first},true,false,true`, `${second},yes,no,`, `${first},maybe,true,true`];
      await writeFile(
        join(dir, 'in.csv'),
        `notification_type_id,app,email,task\n${rows.join('\n')}\n`,
      );
      return [
        'mpdx',
        'preferences-create',
        '--base-url',
        url,
        '--account-list',
        accountList,
        '--input',
        join(dir, 'in.csv'),
      ];
    },
  },
};

/** The environment of a run that takes its token from `--token` only, and prints stacks. */
const flagOnlyEnv = () => ({ PATH: process.env.PATH ?? '', BULK_CLIENTS_DEBUG: '1' });

/** Output files of a run in `dir`, as flags, and their paths. */
function outputFiles(dir: string, journal: boolean) {
  const paths = {
    report: join(dir, 'report.json'),
    failed: join(dir, 'failed.jsonl'),
    ...(journal ? { journal: join(dir, 'run.journal') } : {}),
  };
  const flags = ['--report', paths.report, '--failed-out', paths.failed];
  if (paths.journal) flags.push('--journal', paths.journal);
  return { paths: Object.values(paths), flags };
}

async function expectNoLeak(results: readonly CliResult[], files: readonly string[]) {
  tally.cliRuns += results.length;
  tally.files += files.length;
  for (const result of results) {
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.stderr).not.toContain(TOKEN);
  }
  for (const file of files) expect(await readFile(file, 'utf8')).not.toContain(TOKEN);
}

/** The paths of `paths` that exist: a run that stops early writes some files only. */
async function existing(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) if (await stat(path).catch(() => undefined)) found.push(path);
  return found;
}

async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

describe.each(Object.entries(COMMANDS))('bulk-clients %s', (_, command) => {
  it('warns about --token and leaks it nowhere, with BULK_CLIENTS_DEBUG, across --resume', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-security-'));
    const args = await command.setup(dir, sandbox.url);
    const { paths, flags } = outputFiles(dir, command.journal);
    const run = [...args, ...flags, '--token', TOKEN, '--no-progress', '--json'];
    const first = await runCli(run, { env: flagOnlyEnv() });
    expect([0, 1]).toContain(first.code);
    expect(first.stderr).toMatch(/Warning: --token puts the token in your shell history/);
    const results = [first];
    if (command.journal) {
      const resumed = await runCli([...run, '--resume'], { env: flagOnlyEnv() });
      expect(resumed.code).toBe(first.code);
      results.push(resumed);
    }
    await expectNoLeak(results, paths);
    for (const path of paths) expect(await modeOf(path)).toBe('600');
  });

  it('leaks no token when the vendor refuses it (401)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-security-'));
    const args = await command.setup(dir, refusing.url);
    const { paths, flags } = outputFiles(dir, command.journal);
    const result = await runCli([...args, ...flags, '--no-progress'], {
      env: cliEnv({ BULK_CLIENTS_DEBUG: '1' }),
    });
    // An authentication error before anything was written: every command stops at the first
    // refusal and exits 2.
    expect(result.code).toBe(2);
    expect(result.stderr).not.toBe('');
    await expectNoLeak([result], await existing(paths));
  });
});

describe('every bulk-clients command under 5xx, resets and truncated bodies', () => {
  // One run per command, all at once: each fault costs a backoff, and the runs overlap instead
  // of adding up. No 503: its Retry-After of a second holds a whole client back (the 401 and 503
  // errors are checked client by client above).
  it('leaks no token in outputs or files', async () => {
    sandbox.faults.set({
      errors: { rate: 0.3, statuses: [500, 502] },
      resetAfterHandler: 0.1,
      malformedBody: { rate: 0.1 },
    });
    try {
      await Promise.all(
        Object.values(COMMANDS).map(async (command) => {
          const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-security-'));
          const args = await command.setup(dir, sandbox.url);
          const { paths, flags } = outputFiles(dir, command.journal);
          // One record per request: more requests, more faults.
          const result = await runCli([...args, ...flags, '--batch-size', '1', '--no-progress'], {
            env: cliEnv({ BULK_CLIENTS_DEBUG: '1' }),
          });
          expect([0, 1]).toContain(result.code);
          await expectNoLeak([result], await existing(paths));
        }),
      );
      const { errors, resetsAfterHandler, malformedBodies } = sandbox.faults.counters;
      const injected =
        Object.values(errors).reduce((sum, count) => sum + count, 0) +
        resetsAfterHandler +
        malformedBodies;
      expect(injected).toBeGreaterThan(5);
      tally.faultsInjected += injected;
    } finally {
      sandbox.faults.reset();
    }
  });
});

describe('files the CLI writes', () => {
  it('narrows a journal, report and failed-record file that exist with mode 0644 to 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-security-'));
    const args = await COMMANDS['hubspot tickets-update']!.setup(dir, sandbox.url);
    const { paths, flags } = outputFiles(dir, true);
    for (const path of paths) {
      // An empty journal holds no run yet: the command takes it without --resume.
      await writeFile(path, path.endsWith('.journal') ? '' : 'left from an earlier run\n');
      await chmod(path, 0o644);
    }
    const result = await runCli([...args, ...flags, '--no-progress']);
    expect(result.code).toBe(1);
    const modes = Object.fromEntries(
      await Promise.all(
        paths.map(async (path) => [path.slice(dir.length + 1), await modeOf(path)]),
      ),
    );
    expect(modes).toEqual({ 'report.json': '600', 'failed.jsonl': '600', 'run.journal': '600' });
  });
});

describe('--base-url', () => {
  const dryRun = async (baseUrl: string, ...extra: string[]) => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-security-'));
    const args = await COMMANDS['hubspot tickets-update']!.setup(dir, baseUrl);
    return runCli([...args, '--dry-run', '--no-progress', ...extra]);
  };

  it.each([
    'http://api.example.com',
    'http://10.0.0.5:8080',
    'http://192.168.1.20',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://0.0.0.0:4610',
  ])('refuses plain HTTP to %s (exit 2)', async (url) => {
    const result = await dryRun(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/plain HTTP to a host that is not loopback/);
    expect(result.stderr).toMatch(/--allow-insecure/);
  });

  it.each([
    'https://api.example.com',
    'http://127.0.0.1:4610',
    'http://127.8.9.10',
    'http://localhost:4610',
    'http://[::1]:4610',
  ])('accepts %s', async (url) => {
    expect((await dryRun(url)).code).toBe(1); // the input's blank id; nothing is sent
  });

  it('accepts plain HTTP to another host with --allow-insecure', async () => {
    const result = await dryRun('http://api.example.com', '--allow-insecure');
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/plain HTTP to a host that is not loopback/);
  });

  it('refuses credentials in the URL, and says so without echoing them', async () => {
    const result = await dryRun(`https://user:${TOKEN}@api.example.com`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--base-url/);
    expect(result.stderr).not.toContain(TOKEN);
  });
});
