import { writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoLeak,
  readJsonLines,
  runCli,
  startCli,
  useSandbox,
  waitFor,
} from './e2e-helpers.js';

const e2e = useSandbox('mpdx', { seed: 9 });
let accountList: string;
let types: string[];

beforeAll(() => {
  accountList = [...mpdx().accountLists.keys()][0]!;
  types = [...mpdx().notificationTypes.keys()];
});

const mpdx = () => e2e.sandbox.state.mpdx!;
const { file } = e2e;
const run = (...args: string[]) => [
  'mpdx',
  'preferences-create',
  ...e2e.flags(),
  '--account-list',
  accountList,
  ...args,
];

/** `count` preference rows cycling through the notification types and flag spellings. */
function rows(count: number): string[] {
  const flags = ['true', 'false', '1', '0', 'yes', 'no', 'YES', ''];
  return Array.from(
    { length: count },
    (_, i) =>
      `${types[i % types.length]},${flags[i % flags.length]},${flags[(i + 1) % flags.length]},${flags[(i + 2) % flags.length]}`,
  );
}

describe('bulk-clients mpdx preferences-create', () => {
  it('creates every valid preference once and reports bad cells by line and column (exit 1)', async () => {
    const lines = rows(600);
    lines.splice(4, 0, `${types[0]},maybe,true,false`); // line 6
    lines.splice(9, 0, 'not-a-uuid,true,true,true'); // line 11
    await writeFile(
      file('prefs.csv'),
      `notification_type_id,app,email,task\n${lines.join('\n')}\n`,
    );
    const before = mpdx().preferences.size;
    const result = await runCli(
      run('--input', file('prefs.csv'), '--json', '--failed-out', file('failed.jsonl')),
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      total: 602,
      succeeded: 600,
      failed: 2,
      invalid: 2,
    });
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed.map((entry) => [entry.line, entry.field])).toEqual([
      [6, 'app'],
      [11, 'notification_type_id'],
    ]);
    expect(mpdx().preferences.size - before).toBe(600);
    await expectNoLeak(result, [file('failed.jsonl')]);
  });

  it('takes JSONL members in MPDX’s own JSON:API shape', async () => {
    const member = (type: string, app: unknown) =>
      JSON.stringify({
        data: {
          type: 'notification_preferences',
          attributes: { app, email: true },
          relationships: { notification_type: { data: { type: 'notification_types', id: type } } },
        },
      });
    await writeFile(file('prefs.jsonl'), `${member(types[1]!, true)}\n${member(types[2]!, 'x')}\n`);
    const result = await runCli(run('--input', file('prefs.jsonl'), '--json'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ succeeded: 1, invalid: 1 });
    expect(result.stderr).toMatch(/line 2: invalid: data\.attributes\.app: must be boolean/);
  });

  it('exits 2 for an unknown column, and for an account list that is not a uuid', async () => {
    await writeFile(file('bad.csv'), `notification_type_id,app,emial\n${types[0]},true,true\n`);
    const before = mpdx().preferences.size;
    const header = await runCli(run('--input', file('bad.csv')));
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/unknown column "emial"/);
    const list = await runCli(
      run('--input', file('bad.csv')).map((arg) => (arg === accountList ? 'acme' : arg)),
    );
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/--account-list must be the uuid of an account list/);
    expect(mpdx().preferences.size).toBe(before);
  });

  it('refuses a --resume with another --account-list, naming it (exit 2)', async () => {
    await writeFile(
      file('p.csv'),
      ['notification_type_id,app', ...rows(3).map((r) => r.split(',').slice(0, 2).join(','))].join(
        '\n',
      ),
    );
    const journal = file('run.journal');
    const first = await runCli(run('--input', file('p.csv'), '--journal', journal));
    expect(first.code).toBe(0);
    const other = '00000000-0000-4000-8000-0000000000aa';
    const args = run('--input', file('p.csv'), '--journal', journal, '--resume');
    args[args.indexOf(accountList)] = other;
    const resumed = await runCli(args);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(
      `--account-list is ${other}, but the run recorded in ${journal} used ${accountList}`,
    );
  });

  it('never creates a preference twice across SIGTERM (exit 130) and --resume', async () => {
    e2e.sandbox.faults.set({ latency: { fixedMs: 15 } });
    try {
      await writeFile(
        file('many.csv'),
        `notification_type_id,app,email,task\n${rows(2000).join('\n')}\n`,
      );
      const before = new Set(mpdx().preferences.keys());
      const args = run(
        '--input',
        file('many.csv'),
        '--batch-size',
        '10',
        '--concurrency',
        '3',
        '--journal',
        file('journal.jsonl'),
      );
      const first = startCli(args);
      await waitFor(() => mpdx().preferences.size - before.size >= 300);
      first.child.kill('SIGTERM');
      const stopped = await first.done;
      expect(stopped.code).toBe(130);
      expect(mpdx().preferences.size - before.size).toBeLessThan(2000);

      const resumed = await runCli([...args, '--resume', '--json']);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ total: 2000, succeeded: 2000 });
      const created = [...mpdx().preferences.keys()].filter((id) => !before.has(id));
      expect(created).toHaveLength(2000);
      for (const id of created) expect(mpdx().writeCounts.get(id)).toBe(1);
      await expectNoLeak(resumed, [file('journal.jsonl')]);
    } finally {
      e2e.sandbox.faults.reset();
    }
  });
});
