import { chmod, readFile, writeFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cliEnv,
  expectNoLeak,
  readJsonLines,
  runCli,
  startCli,
  TOKEN,
  useSandbox,
  waitFor,
} from './e2e-helpers.js';

const e2e = useSandbox('hubspot', { seed: 5 });
beforeEach(() => {
  e2e.sandbox.state.hubspot!.writeCounts.clear();
});

const hubspot = () => e2e.sandbox.state.hubspot!;
const { file } = e2e;
/** A run of `hubspot tickets-update` against the sandbox. */
const run = (...args: string[]) => ['hubspot', 'tickets-update', ...e2e.flags(), ...args];

/** `count` updates of tickets `first`.. as CSV lines (no header). */
function ticketRows(first: number, count: number, subject: string): string[] {
  return Array.from({ length: count }, (_, i) => `${first + i},${subject} ${first + i},HIGH`);
}

describe('bulk-clients hubspot tickets-update', () => {
  it('updates every valid ticket once and reports invalid and unknown records by line (exit 1)', async () => {
    const rows = ticketRows(1, 1500, 'Checked');
    // Problems at known places: line numbers count the header as line 1.
    rows.splice(10, 0, ',no id,LOW'); // line 12
    rows.splice(20, 0, '900001,unknown ticket,LOW'); // line 22
    rows.splice(30, 0, '31,too,many,cells'); // line 32
    rows.push('900002,unknown ticket,LOW'); // line 1505
    await writeFile(file('tickets.csv'), `id,subject,hs_ticket_priority\n${rows.join('\n')}\n`);
    const writesBefore = hubspot().writeLog.length;

    const result = await runCli(
      run(
        '--input',
        file('tickets.csv'),
        '--json',
        '--report',
        file('report.json'),
        '--failed-out',
        file('failed.jsonl'),
        '--journal',
        file('journal.jsonl'),
      ),
    );

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      api: 'hubspot',
      operation: 'tickets-update',
      total: 1504,
      succeeded: 1500,
      failed: 4,
      unknown: 0,
      skipped: 0,
      invalid: 2,
      dryRun: false,
    });
    expect(report.requests).toBeGreaterThanOrEqual(15);
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed.map((entry) => [entry.line, entry.state]).sort()).toEqual([
      [12, 'invalid'],
      [1505, 'failed'],
      [22, 'failed'],
      [32, 'invalid'],
    ]);
    expect(failed.find((entry) => entry.line === 22)).toMatchObject({
      status: 207,
      record: { id: '900001', subject: 'unknown ticket' },
    });
    expect(result.stderr).toMatch(/line 12: invalid: id: is blank/);
    expect(result.stderr).toMatch(/line 32: invalid: expected 3 fields/);
    for (let id = 1; id <= 1500; id++) {
      expect(hubspot().writeCounts.get(String(id))).toBe(1);
    }
    expect(hubspot().tickets.get('1500')?.properties.subject).toBe('Checked 1500');
    expect(hubspot().writeLog.length - writesBefore).toBe(1500);
    await expectNoLeak(result, [file('report.json'), file('failed.jsonl'), file('journal.jsonl')]);
  });

  it('exits 0 for JSONL in HubSpot’s own shape, by a unique property', async () => {
    const lines = [1, 2, 3].map((n) =>
      JSON.stringify({ id: `EXT-${String(n).padStart(6, '0')}`, properties: { content: `c${n}` } }),
    );
    await writeFile(file('tickets.jsonl'), `${lines.join('\n')}\n`);
    const result = await runCli(
      run('--input', file('tickets.jsonl'), '--id-property', 'external_ref'),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/succeeded +3/);
    expect(hubspot().tickets.get('2')?.properties.content).toBe('c2');
  });

  it('reads CSV from stdin with --input - --format csv', async () => {
    const result = await runCli(run('--input', '-', '--format', 'csv'), {
      stdin: 'id,subject\n90,From stdin\n91,From stdin too\n',
    });
    expect(result.code).toBe(0);
    expect(hubspot().tickets.get('91')?.properties.subject).toBe('From stdin too');
  });

  it('leaves blank cells out, and clears them with --clear-empty', async () => {
    hubspot().tickets.get('40')!.properties.content = 'keep';
    hubspot().tickets.get('41')!.properties.content = 'clear';
    await writeFile(file('keep.csv'), 'id,subject,content\n40,Kept,\n');
    await writeFile(file('clear.csv'), 'id,subject,content\n41,Cleared,\n');
    expect((await runCli(run('--input', file('keep.csv')))).code).toBe(0);
    expect((await runCli(run('--input', file('clear.csv'), '--clear-empty'))).code).toBe(0);
    expect(hubspot().tickets.get('40')?.properties.content).toBe('keep');
    // HubSpot stores a cleared property as no value.
    expect(hubspot().tickets.get('41')?.properties.content ?? '').toBe('');
    expect(hubspot().tickets.get('41')?.properties.subject).toBe('Cleared');
  });

  it('reports bad JSONL lines with their numbers and sends the good ones', async () => {
    const lines = [
      JSON.stringify({ id: '50', properties: { subject: 'fine' } }),
      '{"id": "51", "properties": ',
      JSON.stringify({ id: '52', properties: { subject: 7 } }),
      '[1, 2]',
      JSON.stringify({ id: '53', properties: { subject: 'fine too' } }),
    ];
    await writeFile(file('bad.jsonl'), `${lines.join('\n')}\n`);
    const result = await runCli(
      run('--input', file('bad.jsonl'), '--failed-out', file('failed.jsonl')),
    );
    expect(result.code).toBe(1);
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed.map((entry) => [entry.line, entry.field ?? null])).toEqual([
      [2, null],
      [3, 'properties.subject'],
      [4, null],
    ]);
    expect(failed[0]!.reason).toMatch(/invalid JSON/);
    expect(failed[1]!.reason).toBe('must be string');
    expect(hubspot().writeCounts.get('50')).toBe(1);
    expect(hubspot().writeCounts.get('53')).toBe(1);
    expect(hubspot().writeCounts.has('52')).toBe(false);
  });

  it('validates everything and writes nothing with --dry-run', async () => {
    await writeFile(file('dry.csv'), 'id,subject\n60,a\n,b\n61,c\n');
    const writesBefore = hubspot().writeLog.length;
    const result = await runCli(run('--input', file('dry.csv'), '--dry-run', '--json'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      total: 3,
      succeeded: 2,
      failed: 1,
      invalid: 1,
      requests: 0,
    });
    expect(result.stderr).toMatch(/line 3: invalid: id: is blank/);
    expect(hubspot().writeLog.length).toBe(writesBefore);
  });

  describe.each<[string, string | undefined, string[], RegExp]>([
    ['a CSV without the id column', 'id_x,subject\n1,a\n', [], /no "id" column/],
    ['a CSV header naming a column twice', 'id,subject,subject\n1,a,b\n', [], /appears twice/],
    [
      'a missing token',
      'id,subject\n1,a\n',
      ['--env-without-token'],
      /No API token: set HUBSPOT_TOKEN/,
    ],
    ['a bad flag value', 'id,subject\n1,a\n', ['--batch-size', '0'], /--batch-size must be/],
    ['an unknown flag', 'id,subject\n1,a\n', ['--bacth-size', '5'], /Unknown option --bacth-size/],
    [
      'a plain-HTTP URL that is not loopback',
      'id,subject\n1,a\n',
      ['--base-url', 'http://api.example.com'],
      /plain HTTP to a host that is not loopback/,
    ],
    ['a missing input file', undefined, [], /Cannot read --input .*: no such file/],
  ])('exits 2 before writing anything for %s', (_, csv, extra, message) => {
    it('and names the problem', async () => {
      if (csv !== undefined) await writeFile(file('in.csv'), csv);
      const writesBefore = hubspot().writeLog.length;
      const withoutToken = extra.includes('--env-without-token');
      const flags = extra.filter((arg) => arg !== '--env-without-token');
      const env = cliEnv();
      if (withoutToken) delete env.HUBSPOT_TOKEN;
      const result = await runCli(run('--input', file('in.csv'), ...flags), { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(hubspot().writeLog.length).toBe(writesBefore);
      await expectNoLeak(result, []);
    });
  });

  it('refuses a journal that holds a run unless --resume is given (exit 2)', async () => {
    await writeFile(file('t.csv'), 'id,subject\n70,a\n');
    expect((await runCli(run('--input', file('t.csv'), '--journal', file('j.jsonl')))).code).toBe(
      0,
    );
    const again = await runCli(run('--input', file('t.csv'), '--journal', file('j.jsonl')));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a run: add --resume/);
    expect(hubspot().writeCounts.get('70')).toBe(1);
  });

  it('reads the token from --token-file, and warns about --token without printing it', async () => {
    await writeFile(file('t.csv'), 'id,subject\n80,a\n');
    await writeFile(file('token'), `${TOKEN}\n`, { mode: 0o600 });
    await chmod(file('token'), 0o600);
    const env = cliEnv();
    delete env.HUBSPOT_TOKEN;
    const fromFile = await runCli(run('--input', file('t.csv'), '--token-file', file('token')), {
      env,
    });
    expect(fromFile.code).toBe(0);
    const fromFlag = await runCli(run('--input', file('t.csv'), '--token', TOKEN), { env });
    expect(fromFlag.code).toBe(0);
    expect(fromFlag.stderr).toMatch(/Warning: --token puts the token in your shell history/);
    await expectNoLeak(fromFile, []);
    await expectNoLeak(fromFlag, []);
  });

  it('stops cleanly on SIGINT (exit 130) and --resume writes every remaining ticket once', async () => {
    e2e.sandbox.faults.set({ latency: { fixedMs: 15 } });
    try {
      await writeFile(
        file('big.csv'),
        `id,subject,hs_ticket_priority\n${ticketRows(2001, 2000, 'Resumed').join('\n')}\n`,
      );
      const args = run(
        '--input',
        file('big.csv'),
        '--batch-size',
        '10',
        '--concurrency',
        '2',
        '--journal',
        file('journal.jsonl'),
        '--failed-out',
        file('failed.jsonl'),
        '--report',
        file('report.json'),
      );
      const first = startCli(args);
      await waitFor(() => hubspot().writeCounts.size >= 300);
      first.child.kill('SIGINT');
      const stopped = await first.done;
      expect(stopped.code).toBe(130);
      const writtenBefore = hubspot().writeCounts.size;
      expect(writtenBefore).toBeLessThan(2000);
      // The stopped run accounts for every record of the file: those not sent are skipped, and
      // listed in --failed-out.
      const partial = JSON.parse(await readFile(file('report.json'), 'utf8'));
      expect(partial.total).toBe(2000);
      expect(partial.succeeded + partial.failed + partial.unknown + partial.skipped).toBe(2000);
      expect(partial.skipped).toBeGreaterThan(0);
      const skippedLines = (await readFile(file('failed.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { state: string })
        .filter((entry) => entry.state === 'skipped');
      expect(skippedLines).toHaveLength(partial.skipped);

      const resumed = await runCli([...args, '--resume', '--json']);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/Resuming the run recorded in/);
      const report = JSON.parse(resumed.stdout);
      expect(report).toMatchObject({ total: 2000, succeeded: 2000, failed: 0, unknown: 0 });
      for (let id = 2001; id <= 4000; id++) {
        expect(hubspot().writeCounts.get(String(id))).toBe(1);
      }
      await expectNoLeak(stopped, [file('journal.jsonl'), file('failed.jsonl')]);
      await expectNoLeak(resumed, [file('journal.jsonl'), file('report.json')]);
    } finally {
      e2e.sandbox.faults.reset();
    }
  });
});
