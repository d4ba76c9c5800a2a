import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, cliEnv, expectNoLeak, runCli } from './e2e-helpers.js';

/** Accepts only `sandbox-token`: every request with the CLI's token is refused (401). */
let refusing: Sandbox;
let dir: string;

beforeAll(async () => {
  buildCliIfStale();
  refusing = await startSandbox({ token: 'sandbox-token', seed: 31, jobMs: 10 });
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-e2e-refused-'));
}, 60_000);
afterAll(() => refusing.close());

const RECORDS = 400;
const BATCH = 10;
const CONCURRENCY = 2;
const rows = (row: (i: number) => string) => Array.from({ length: RECORDS }, (_, i) => row(i));

interface Case {
  args: string[];
  variable: string;
  header: string;
  row: (i: number) => string;
}

const accountList = randomUUID();
const CASES: Record<string, Case> = {
  'hubspot tickets-update': {
    args: ['hubspot', 'tickets-update'],
    variable: 'HUBSPOT_TOKEN',
    header: 'id,subject',
    row: (i) => `${i + 1},Subject ${i}`,
  },
  'thought-industries templates-update': {
    args: ['thought-industries', 'templates-update'],
    variable: 'THOUGHT_INDUSTRIES_API_KEY',
    header: 'id,title',
    row: () => `${randomUUID()},Title`,
  },
  'vec vault-create': {
    args: ['vec', 'vault-create'],
    variable: 'VEC_TOKEN',
    header: 'certificate_title,full_name,applicant_email,issue_date,file_id',
    row: (i) => `First aid,Person ${i},p${i}@example.com,2026-03-02,${randomUUID()}`,
  },
  'mpdx preferences-create': {
    args: ['mpdx', 'preferences-create', '--account-list', accountList],
    variable: 'MPDX_TOKEN',
    header: 'notification_type_id,app',
    row: () => `${randomUUID()},true`,
  },
};

describe.each(Object.entries(CASES))('bulk-clients %s with a refused token', (name, c) => {
  it('stops at the first 401, counts the rest skipped, names the variable and exits 2', async () => {
    const slug = name.replace(/ /g, '-');
    const input = join(dir, `${slug}.csv`);
    const report = join(dir, `${slug}.report.json`);
    const failedOut = join(dir, `${slug}.failed.jsonl`);
    await writeFile(input, `${[c.header, ...rows(c.row)].join('\n')}\n`);
    const result = await runCli([
      ...c.args,
      '--base-url',
      refusing.url,
      '--input',
      input,
      '--batch-size',
      String(BATCH),
      '--concurrency',
      String(CONCURRENCY),
      '--no-progress',
      '--report',
      report,
      '--failed-out',
      failedOut,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refused the token from ${c.variable} (HTTP 401)`);
    expect(result.stderr).not.toContain('Interrupted');
    const written = JSON.parse(await readFile(report, 'utf8')) as Record<string, number>;
    // Only the batches already taken when the first refusal came back were sent.
    expect(written.requests).toBeLessThanOrEqual(CONCURRENCY + 1);
    expect(written.total).toBe(RECORDS);
    expect(written.succeeded).toBe(0);
    expect(written.failed).toBeLessThanOrEqual((CONCURRENCY + 1) * BATCH);
    expect(written.skipped).toBe(RECORDS - written.failed!);
    expect(result.stderr).toContain(
      `${written.skipped} records not sent are counted as skipped (listed in ${failedOut})`,
    );
    // Every record is in --failed-out once: refused ones `failed`, the rest `skipped`.
    const listed = (await readFile(failedOut, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; state: string; reason: string });
    expect(listed.map((entry) => entry.line).sort((a, b) => a - b)).toEqual(
      Array.from({ length: RECORDS }, (_, i) => i + 2),
    );
    expect(listed.filter((entry) => entry.state === 'failed')).toHaveLength(written.failed!);
    const skipped = listed.filter((entry) => entry.state === 'skipped');
    expect(skipped).toHaveLength(written.skipped!);
    expect(
      skipped.some((entry) => entry.reason === 'Not sent: the vendor refused the token (HTTP 401)'),
    ).toBe(true);
    await expectNoLeak(result, [report, failedOut]);
  });
});

describe('a refused token from --token-file', () => {
  it('names the file, never the token', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'sandbox-wrong-token\n', { mode: 0o600 });
    const input = join(dir, 'by-file.csv');
    await writeFile(
      input,
      `${['id,subject', ...rows(CASES['hubspot tickets-update']!.row)].join('\n')}\n`,
    );
    const result = await runCli(
      [
        'hubspot',
        'tickets-update',
        '--base-url',
        refusing.url,
        '--input',
        input,
        '--token-file',
        tokenFile,
        '--no-progress',
      ],
      { env: cliEnv({ HUBSPOT_TOKEN: '' }) },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refused the token from --token-file ${tokenFile}`);
    expect(result.stderr).not.toContain('sandbox-wrong-token');
  });
});

describe('bulk-clients thought-industries webinar-import with a refused token', () => {
  it('exits 2 naming the variable', async () => {
    const result = await runCli([
      'thought-industries',
      'webinar-import',
      '--base-url',
      refusing.url,
      '--asset-path',
      'imports/webinars-2024.csv',
      '--no-progress',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('THOUGHT_INDUSTRIES_API_KEY');
    await expectNoLeak(result, []);
  });
});
