import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { expectNoLeak, readJsonLines, runCli, useSandbox } from './e2e-helpers.js';

const e2e = useSandbox('ti', { seed: 3, jobMs: 20 });

const ti = () => e2e.sandbox.state.thoughtIndustries!;
const { file } = e2e;
const common = () => [...e2e.flags(), '--poll-interval', '10'];

describe('bulk-clients thought-industries templates-update', () => {
  it('updates templates, waits for the jobs, and reports refused records by line (exit 1)', async () => {
    const ids = [...ti().templates.keys()];
    const rows = ids.map((id, i) => `${id},Renamed ${i},${365 + i}`);
    rows.splice(3, 0, `${ids[0]},Bad days,twelve`); // line 5: not a whole number
    rows.splice(7, 0, '11111111-1111-4111-8111-111111111111,Nobody,30'); // line 9: unknown id
    rows.splice(8, 0, 'not-a-uuid,Bad id,30'); // line 10: not a uuid
    await writeFile(file('templates.csv'), `id,title,expirationDays\n${rows.join('\n')}\n`);
    const writes = new Map(ti().writeCounts);

    const result = await runCli([
      'thought-industries',
      'templates-update',
      '--input',
      file('templates.csv'),
      ...common(),
      '--json',
      '--failed-out',
      file('failed.jsonl'),
      '--report',
      file('report.json'),
    ]);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      api: 'thought-industries',
      operation: 'templates-update',
      total: ids.length + 3,
      succeeded: ids.length,
      failed: 3,
      invalid: 2,
    });
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed.map((entry) => [entry.line, entry.state, entry.field ?? null])).toEqual([
      [5, 'invalid', 'expirationDays'],
      [10, 'invalid', 'id'],
      [9, 'failed', 'id'],
    ]);
    expect(failed[2]!.reason).toMatch(/not found/);
    for (const [i, id] of ids.entries()) {
      expect(ti().templates.get(id)).toMatchObject({
        title: `Renamed ${i}`,
        expirationDays: 365 + i,
      });
      expect(ti().writeCounts.get(id)).toBe((writes.get(id) ?? 0) + 1);
    }
    await expectNoLeak(result, [file('failed.jsonl'), file('report.json')]);
  });

  it('needs --base-url: Thought Industries has no shared host (exit 2)', async () => {
    await writeFile(file('t.jsonl'), '{"id":"x"}\n');
    const result = await runCli([
      'thought-industries',
      'templates-update',
      '--input',
      file('t.jsonl'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs --base-url/);
  });
});

describe('bulk-clients thought-industries webinar-import', () => {
  it('lists valid and invalid rows on a dry run and imports nothing (exit 1)', async () => {
    const result = await runCli([
      'thought-industries',
      'webinar-import',
      '--asset-path',
      'imports/webinars-2024.csv',
      '--dry-run',
      ...common(),
      '--failed-out',
      file('failed.jsonl'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Valid rows \(4\):/);
    expect(result.stdout).toMatch(/Invalid rows \(5\):/);
    expect(result.stdout).toMatch(/thought-industries webinar-import \(dry run\)/);
    expect(await readJsonLines(file('failed.jsonl'))).toHaveLength(5);
    expect(ti().webinarsByAsset.get('imports/webinars-2024.csv') ?? []).toHaveLength(0);
    await expectNoLeak(result, [file('failed.jsonl')]);
  });

  it('imports a clean file and waits for the job (exit 0)', async () => {
    const result = await runCli([
      'thought-industries',
      'webinar-import',
      '--asset-path',
      'imports/webinars-2025.csv',
      ...common(),
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    expect(result.stderr).toMatch(/Import job .*: complete/);
    expect(ti().webinarsByAsset.get('imports/webinars-2025.csv')).toHaveLength(3);
  });

  it('names the asset path the instance does not have (exit 2)', async () => {
    const result = await runCli([
      'thought-industries',
      'webinar-import',
      '--asset-path',
      'imports/nothing-here.csv',
      ...common(),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/imports\/nothing-here\.csv/);
  });

  it('writes the report and the import to --failed-out when the answer is lost (exit 1)', async () => {
    // Every answer is a 500: the import may have started, so it is never sent again.
    e2e.sandbox.faults.set({ errors: { rate: 1, statuses: [500] } });
    try {
      const result = await runCli([
        'thought-industries',
        'webinar-import',
        '--asset-path',
        'imports/webinars-2024.csv',
        ...common(),
        '--report',
        file('report.json'),
        '--failed-out',
        file('failed.jsonl'),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/answer to the webinar import .* was lost/);
      const report = JSON.parse(await readFile(file('report.json'), 'utf8'));
      expect(report).toMatchObject({ total: 1, succeeded: 0, unknown: 1, requests: 1 });
      const failed = await readJsonLines(file('failed.jsonl'));
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        state: 'unknown',
        record: { bulkImportAssetPath: 'imports/webinars-2024.csv' },
      });
      expect(failed[0]!.reason).toMatch(/was lost/);
      await expectNoLeak(result, [file('report.json'), file('failed.jsonl')]);
    } finally {
      e2e.sandbox.faults.reset();
    }
  });
});
