import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readJsonLines, runCli, useSandbox } from './e2e-helpers.js';

const e2e = useSandbox('hubspot-objects', { seed: 11 });
const { file } = e2e;
const hubspot = () => e2e.sandbox.state.hubspot!;
const store = (type: string) => hubspot().objects.get(type)!;

/** A pass-through proxy in front of the sandbox that records each request's method and path. */
let proxy: Server;
let proxyUrl: string;
const paths: string[] = [];
beforeAll(async () => {
  proxy = createServer((incoming, outgoing) => {
    paths.push(`${incoming.method} ${incoming.url}`);
    const target = new URL(incoming.url ?? '/', e2e.sandbox.url);
    const forward = httpRequest(
      target,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forward);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
beforeEach(() => {
  paths.length = 0;
  hubspot().refuseWholeBatch = false;
});

const flags = () => [
  '--base-url',
  proxyUrl,
  '--rate-limit',
  '10000/1000',
  '--no-progress',
  '--json',
];
const hubspotRun = (command: string, ...args: string[]) =>
  runCli(['hubspot', command, ...flags(), ...args]);

describe.each([
  ['contacts', 'v3', '/crm/v3/objects/contacts/batch/update', 'lifecyclestage', 'customer'],
  ['deals', '2026-03', '/crm/objects/2026-03/deals/batch/update', 'dealstage', 'closedwon'],
])(
  'bulk-clients hubspot update --object %s --api-version %s',
  (type, version, path, property, value) => {
    it(`writes every row through ${path}`, async () => {
      const rows = Array.from({ length: 60 }, (_, n) => `${n + 1},${value}`);
      await writeFile(file('in.csv'), `id,${property}\n${rows.join('\n')}\n`);
      const before = store(type).writeLog.length;
      const result = await hubspotRun(
        'update',
        '--object',
        type,
        '--api-version',
        version,
        '--input',
        file('in.csv'),
        '--batch-size',
        '25',
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ total: 60, succeeded: 60, requests: 3 });
      expect(paths).toEqual([`POST ${path}`, `POST ${path}`, `POST ${path}`]);
      const writes = store(type).writeLog.slice(before);
      expect(writes.map((w) => w.id).sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 60 }, (_, n) => String(n + 1)),
      );
      expect(store(type).records.get('7')?.properties[property]).toBe(value);
    });
  },
);

describe('bulk-clients hubspot create, upsert, archive', () => {
  it('creates each row once, upserts by a unique property and archives by id', async () => {
    await writeFile(
      file('new.csv'),
      'email,firstname\ncreate-a@example.com,A\ncreate-b@example.com,B\n',
    );
    const created = await hubspotRun('create', '--object', 'contacts', '--input', file('new.csv'));
    expect(created.code, created.stderr).toBe(0);
    expect(paths).toEqual(['POST /crm/v3/objects/contacts/batch/create']);
    const ids = [...store('contacts').records.values()]
      .filter((r) => r.properties.email?.startsWith('create-'))
      .map((r) => r.id);
    expect(ids).toHaveLength(2);

    await writeFile(
      file('up.csv'),
      'email,lastname\ncreate-a@example.com,Upserted\ncreate-c@example.com,New\n',
    );
    const upserted = await hubspotRun(
      'upsert',
      '--object',
      'contacts',
      '--id-property',
      'email',
      '--api-version',
      '2026-03',
      '--input',
      file('up.csv'),
    );
    expect(upserted.code, upserted.stderr).toBe(0);
    expect(paths.at(-1)).toBe('POST /crm/objects/2026-03/contacts/batch/upsert');
    const byEmail = (email: string) =>
      [...store('contacts').records.values()].filter((r) => r.properties.email === email);
    expect(byEmail('create-a@example.com')[0]?.properties.lastname).toBe('Upserted');
    expect(byEmail('create-c@example.com')).toHaveLength(1);

    await writeFile(file('ids.csv'), `id\n${ids.join('\n')}\n`);
    const archived = await hubspotRun(
      'archive',
      '--object',
      'contacts',
      '--input',
      file('ids.csv'),
    );
    expect(archived.code, archived.stderr).toBe(0);
    expect(paths.at(-1)).toBe('POST /crm/v3/objects/contacts/batch/archive');
    for (const id of ids) expect(store('contacts').records.get(id)?.archived).toBe(true);
  });
});

describe('bulk-clients hubspot export', () => {
  it('writes JSONL that update takes back: export, edit, re-import', async () => {
    await writeFile(file('ids.csv'), 'id\n21\n22\n23\n');
    const exported = await hubspotRun(
      'export',
      '--object',
      'companies',
      '--input',
      file('ids.csv'),
      '--properties',
      'name,city',
      '--output',
      file('companies.jsonl'),
    );
    expect(exported.code, exported.stderr).toBe(0);
    const records = await readJsonLines(file('companies.jsonl'));
    expect(records.map((r) => r.id).sort()).toEqual(['21', '22', '23']);
    expect(records[0]).toEqual({
      id: expect.any(String),
      properties: { name: expect.stringMatching(/^Company 2\d$/) },
    });
    const edited = (await readFile(file('companies.jsonl'), 'utf8')).replaceAll(
      '"name":"Company ',
      '"city":"Lisbon","name":"Renamed ',
    );
    await writeFile(file('companies.jsonl'), edited);
    const updated = await hubspotRun(
      'update',
      '--object',
      'companies',
      '--input',
      file('companies.jsonl'),
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(store('companies').records.get('22')?.properties).toMatchObject({
      name: 'Renamed 22',
      city: 'Lisbon',
    });
  });
});

describe('a batch refused whole for one record it does not name', () => {
  it('isolates that record and writes the others', async () => {
    hubspot().refuseWholeBatch = true;
    const rows = Array.from({ length: 40 }, (_, n) =>
      n === 17 ? `${n + 1},not-a-stage` : `${n + 1},lead`,
    );
    await writeFile(file('in.csv'), `id,lifecyclestage\n${rows.join('\n')}\n`);
    const result = await hubspotRun(
      'update',
      '--object',
      'contacts',
      '--input',
      file('in.csv'),
      '--failed-out',
      file('failed.jsonl'),
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ total: 40, succeeded: 39, failed: 1 });
    // One batch of 40, split in halves down to the bad record: every extra request is counted.
    expect(report.isolationRequests).toBeGreaterThanOrEqual(Math.ceil(Math.log2(40)));
    expect(report.requests).toBe(1 + report.isolationRequests);
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed.map((f) => f.line)).toEqual([19]);
    expect(result.stderr).toMatch(/isolated them/);
    expect(store('contacts').records.get('18')?.properties.lifecyclestage).not.toBe('not-a-stage');
  });
});

describe('usage errors send nothing (exit 2)', () => {
  it.each([
    [['update', '--object', 'contact'], /not a HubSpot object type/],
    [['update', '--object', 'owners'], /no CRM batch endpoints/],
    [['update', '--object', '2-x1'], /not a custom object type id/],
    [['update', '--object', 'deals', '--api-version', '2024-01'], /--api-version/],
    [['upsert', '--object', 'contacts'], /--id-property/],
    [['export', '--object', 'contacts', '--properties', 'email'], /--input/],
  ])('%j', async (args, message) => {
    await writeFile(file('in.csv'), 'id,name\n1,x\n');
    const [command, ...rest] = args as [string, ...string[]];
    const withInput = rest.includes('--properties') ? rest : [...rest, '--input', file('in.csv')];
    const result = await hubspotRun(command, ...withInput);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(paths).toEqual([]);
  });
});
