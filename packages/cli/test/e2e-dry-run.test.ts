import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, runCli } from './e2e-helpers.js';

let dir: string;

beforeAll(async () => {
  buildCliIfStale();
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-e2e-dry-'));
}, 60_000);

/** No token anywhere: a dry run must not need one. */
const NO_TOKEN_ENV = { PATH: process.env.PATH ?? '' };
// Nothing listens on port 9 of loopback: a request would fail the run.
const NOWHERE = 'http://127.0.0.1:9';

interface Case {
  args: string[];
  header: string;
  valid: string;
  invalid: string;
}

const CASES: Record<string, Case> = {
  'hubspot tickets-update': {
    args: ['hubspot', 'tickets-update'],
    header: 'id,subject',
    valid: '1,Printer jammed',
    invalid: ',No id',
  },
  'thought-industries templates-update': {
    args: ['thought-industries', 'templates-update'],
    header: 'id,expirationDays',
    valid: `${randomUUID()},365`,
    invalid: `${randomUUID()},a year`,
  },
  'vec vault-create': {
    args: ['vec', 'vault-create'],
    header: 'certificate_title,full_name,applicant_email,issue_date,file_id',
    valid: `First aid,Ada,ada@example.com,2026-03-02,${randomUUID()}`,
    invalid: `First aid,Eve,eve@example.com,2026-03-02,`,
  },
  'mpdx preferences-create': {
    args: ['mpdx', 'preferences-create', '--account-list', randomUUID()],
    header: 'notification_type_id,task',
    valid: `${randomUUID()},yes`,
    invalid: `${randomUUID()},sometimes`,
  },
};

describe.each(Object.entries(CASES))('bulk-clients %s --dry-run without a token', (name, c) => {
  const run = async (rows: string[]) => {
    const input = join(dir, `${name.replace(/ /g, '-')}-${rows.length}.csv`);
    await writeFile(input, `${[c.header, ...rows].join('\n')}\n`);
    return runCli([...c.args, '--base-url', NOWHERE, '--input', input, '--dry-run', '--json'], {
      env: NO_TOKEN_ENV,
    });
  };

  it('checks every record and exits 0 when all are valid', async () => {
    const result = await run([c.valid, c.valid]);
    expect(result.stderr).not.toMatch(/token/i);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, total: 2, succeeded: 2 });
  });

  it('exits 1 naming the invalid record', async () => {
    const result = await run([c.valid, c.invalid]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3: invalid/);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, total: 2, invalid: 1 });
  });
});

describe('a real run without a token', () => {
  it('still exits 2 naming the variable', async () => {
    const input = join(dir, 'real.csv');
    await writeFile(input, 'id,subject\n1,a\n');
    const result = await runCli(
      ['hubspot', 'tickets-update', '--base-url', NOWHERE, '--input', input],
      {
        env: NO_TOKEN_ENV,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No API token: set HUBSPOT_TOKEN or pass --token-file FILE');
  });
});
