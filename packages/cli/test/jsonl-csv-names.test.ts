/**
 * One rule for every bulk command: a JSONL record whose keys are the CSV's column names is read
 * as that CSV row (JSON booleans and numbers taken where the CSV takes their text), and the
 * API's own shape still works. Checked per vendor with --dry-run (no request is sent).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, runCli, useSandbox } from './e2e-helpers.js';

let dir: string;

beforeAll(async () => {
  buildCliIfStale();
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-jsonl-names-'));
}, 60_000);

const NO_TOKEN_ENV = { PATH: process.env.PATH ?? '' };
const NOWHERE = 'http://127.0.0.1:9';

interface Case {
  args: string[];
  /** Records named as the CSV's columns, with JSON-typed values where the CSV has text. */
  csvNamed: Record<string, unknown>[];
  /** A CSV-named record with a bad cell, and the column the error must name. */
  invalid: [Record<string, unknown>, string];
  /** A record in the API's own shape. */
  apiShaped: Record<string, unknown>;
}

const CASES: Record<string, Case> = {
  'hubspot tickets-update': {
    args: ['hubspot', 'tickets-update'],
    csvNamed: [
      { id: '1', subject: 'Printer jammed', hs_ticket_priority: 'HIGH' },
      { id: 2, subject: 'Invoice wrong', content: null },
      { id: '3', subject: 'Export times out', hs_pipeline_stage: 4 },
    ],
    invalid: [{ id: '', subject: 'No id' }, 'id'],
    apiShaped: { id: '4', properties: { subject: 'As HubSpot names it' } },
  },
  'thought-industries templates-update': {
    args: ['thought-industries', 'templates-update'],
    csvNamed: [
      { id: randomUUID(), expirationDays: 365 },
      { id: randomUUID(), expirationDays: '30', title: 'First aid' },
      { id: randomUUID(), title: 'Blank cells are left out', description: '' },
    ],
    invalid: [{ id: randomUUID(), expirationDays: 'a year' }, 'expirationDays'],
    apiShaped: { id: randomUUID(), title: 'Level 2', expirationDays: 90 },
  },
  'vec vault-create': {
    args: ['vec', 'vault-create'],
    csvNamed: [
      {
        certificate_title: 'First aid',
        full_name: 'Ada',
        applicant_email: 'ada@example.com',
        issue_date: '2026-03-02',
        file_id: randomUUID(),
      },
      {
        certificate_title: 'First aid',
        full_name: 'Grace',
        applicant_email: 'grace@example.com',
        details: '',
        file_id: randomUUID(),
      },
    ],
    invalid: [
      {
        certificate_title: 'First aid',
        full_name: 'Eve',
        applicant_email: 'eve@example.com',
        file_id: null,
      },
      'file_id',
    ],
    apiShaped: {
      certificate_title: 'First aid',
      full_name: 'Alan',
      applicant_email: 'alan@example.com',
      file_id: randomUUID(),
    },
  },
  'mpdx preferences-create': {
    args: ['mpdx', 'preferences-create', '--account-list', randomUUID()],
    csvNamed: [
      { notification_type_id: randomUUID(), app: true, email: false, task: 'yes' },
      { notification_type_id: randomUUID(), app: 1, email: 0 },
      { notification_type_id: randomUUID(), id: randomUUID(), task: null },
    ],
    invalid: [{ notification_type_id: randomUUID(), app: 'sometimes' }, 'app'],
    apiShaped: { notificationTypeId: randomUUID(), app: true },
  },
};

describe.each(Object.entries(CASES))('bulk-clients %s with JSONL', (name, c) => {
  const run = async (file: string, records: Record<string, unknown>[]) => {
    const input = join(dir, `${name.replace(/ /g, '-')}-${file}.jsonl`);
    await writeFile(input, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return runCli([...c.args, '--base-url', NOWHERE, '--input', input, '--dry-run', '--json'], {
      env: NO_TOKEN_ENV,
    });
  };

  it('reads records named as the CSV columns as CSV rows', async () => {
    const result = await run('csv-named', c.csvNamed);
    expect(result.stderr).not.toMatch(/invalid/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      total: c.csvNamed.length,
      succeeded: c.csvNamed.length,
    });
  });

  it('names the CSV column of a bad cell', async () => {
    const [record, column] = c.invalid;
    const result = await run('invalid', [c.csvNamed[0]!, record]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`line 2: invalid: ${column}: `));
  });

  it("still takes the API's own shape, beside CSV-named records", async () => {
    const result = await run('mixed', [c.apiShaped, ...c.csvNamed]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ succeeded: c.csvNamed.length + 1 });
  });
});

describe('bulk-clients mpdx preferences-create with JSONL named as the CSV, on the sandbox', () => {
  const e2e = useSandbox('mpdx-jsonl', { seed: 11 });

  it('creates every record', async () => {
    const mpdx = e2e.sandbox.state.mpdx!;
    const accountList = [...mpdx.accountLists.keys()][0]!;
    const types = [...mpdx.notificationTypes.keys()];
    const flags = [true, false, 'yes', 'no', 1, 0, null];
    const records = Array.from({ length: 120 }, (_, i) => ({
      notification_type_id: types[i % types.length],
      app: flags[i % flags.length],
      email: flags[(i + 1) % flags.length],
      task: flags[(i + 2) % flags.length],
    }));
    await writeFile(e2e.file('prefs.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const before = mpdx.preferences.size;
    const result = await runCli([
      'mpdx',
      'preferences-create',
      ...e2e.flags(),
      '--account-list',
      accountList,
      '--input',
      e2e.file('prefs.jsonl'),
      '--json',
    ]);
    expect(result.stderr).not.toMatch(/invalid/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 120, succeeded: 120, failed: 0 });
    expect(mpdx.preferences.size - before).toBe(120);
  });
});
