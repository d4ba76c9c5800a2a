import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expectNoLeak,
  readJsonLines,
  runCli,
  startCli,
  TOKEN,
  useSandbox,
  waitFor,
} from './e2e-helpers.js';

const e2e = useSandbox('vec', { seed: 4, jobMs: 20 });

const vec = () => e2e.sandbox.state.vec!;
const { file } = e2e;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const run = (...args: string[]) => [
  'vec',
  'vault-create',
  ...e2e.flags(),
  '--poll-interval',
  '10',
  ...args,
];

describe('bulk-clients vec vault-create', () => {
  it('uploads the files, creates the certificates and refuses paths outside --files-dir (exit 1)', async () => {
    const pdfs = file('pdf');
    await mkdir(pdfs);
    const rows: string[] = [];
    for (let n = 1; n <= 40; n++) {
      await writeFile(join(pdfs, `cert-${n}.pdf`), PDF);
      rows.push(
        `Safety ${n},Learner ${n},learner${n}@example.com,2026-01-${String((n % 28) + 1).padStart(2, '0')},cert-${n}.pdf`,
      );
    }
    await writeFile(file('secret.pdf'), PDF);
    await symlink(file('secret.pdf'), join(pdfs, 'link.pdf'));
    rows.push('Escape,Eve,eve@example.com,2026-02-01,../secret.pdf'); // line 42
    rows.push('Link,Eve,eve@example.com,2026-02-01,link.pdf'); // line 43
    rows.push('Missing,Max,max@example.com,2026-02-01,nope.pdf'); // line 44
    rows.push('Bad email,Bo,not-an-email,2026-02-01,cert-1.pdf'); // line 45
    await writeFile(
      file('certificates.csv'),
      `certificate_title,full_name,applicant_email,issue_date,file\n${rows.join('\n')}\n`,
    );
    const before = vec().certificates.size;

    const result = await runCli(
      run(
        '--input',
        file('certificates.csv'),
        '--files-dir',
        pdfs,
        '--json',
        '--failed-out',
        file('failed.jsonl'),
        '--journal',
        file('journal.jsonl'),
      ),
    );

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      api: 'vec',
      operation: 'vault-create',
      total: 44,
      succeeded: 40,
      failed: 4,
      invalid: 4,
    });
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed.map((entry) => [entry.line, entry.field])).toEqual([
      [42, 'file'],
      [43, 'file'],
      [44, 'file'],
      [45, 'applicant_email'],
    ]);
    expect(failed[0]!.reason).toMatch(/outside --files-dir/);
    expect(failed[1]!.reason).toMatch(/symbolic link/);
    expect(vec().certificates.size - before).toBe(40);
    for (const count of vec().certificatesPerFile.values()) expect(count).toBe(1);
    await expectNoLeak(result, [file('failed.jsonl'), file('journal.jsonl')]);
  });

  it('takes JSONL entries that name uploaded files by file_id (exit 0)', async () => {
    const upload = async () => {
      const form = new FormData();
      form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'x.pdf');
      const response = await fetch(`${e2e.sandbox.url}/business/certificate-vault/upload-file`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: form,
      });
      return ((await response.json()) as { data: { file_id: string } }).data.file_id;
    };
    const entries = [];
    for (const n of [1, 2]) {
      entries.push(
        JSON.stringify({
          certificate_title: `First aid ${n}`,
          full_name: `Ada ${n}`,
          applicant_email: `ada${n}@example.com`,
          file_id: await upload(),
        }),
      );
    }
    await writeFile(file('entries.jsonl'), `${entries.join('\n')}\n`);
    const result = await runCli(run('--input', file('entries.jsonl')));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/succeeded +2/);
  });

  it('creates every certificate exactly once across SIGINT (exit 130) and --resume', async () => {
    const pdfs = file('pdf');
    await mkdir(pdfs);
    const rows: string[] = [];
    for (let n = 1; n <= 150; n++) {
      await writeFile(join(pdfs, `c-${n}.pdf`), PDF);
      rows.push(`Resume ${n},Learner ${n},resume${n}@example.com,2026-04-01,c-${n}.pdf`);
    }
    await writeFile(
      file('many.csv'),
      `certificate_title,full_name,applicant_email,issue_date,file\n${rows.join('\n')}\n`,
    );
    const mine = () =>
      [...vec().certificates.values()].filter((c) =>
        c.entry.certificate_title.startsWith('Resume '),
      );
    e2e.sandbox.faults.set({ latency: { fixedMs: 10 } });
    try {
      const args = run(
        '--input',
        file('many.csv'),
        '--files-dir',
        pdfs,
        '--batch-size',
        '5',
        '--concurrency',
        '2',
        '--journal',
        file('journal.jsonl'),
      );
      const first = startCli(args);
      await waitFor(() => mine().length >= 30);
      first.child.kill('SIGINT');
      const stopped = await first.done;
      expect(stopped.code).toBe(130);
      expect(mine().length).toBeLessThan(150);

      const resumed = await runCli([...args, '--resume', '--json']);
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ total: 150, succeeded: 150 });
      const emails = mine().map((c) => c.entry.applicant_email);
      expect(emails).toHaveLength(150);
      expect(new Set(emails).size).toBe(150);
      await expectNoLeak(resumed, [file('journal.jsonl')]);
    } finally {
      e2e.sandbox.faults.reset();
    }
  });

  it('exits 2 for a CSV with an unknown column or without a document column', async () => {
    await writeFile(
      file('a.csv'),
      'certificate_title,full_name,applicant_email,colour\nA,B,c@d.io,red\n',
    );
    const unknown = await runCli(run('--input', file('a.csv')));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no "file or file_id" column and unknown column "colour"/);
  });
});
