import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHORT_LOCKS, useDistributed } from './distributed-helpers.js';
import { runCli } from './e2e-helpers.js';

const { e2e, redisUrl, startWorker, runsStatus } = useDistributed('distributed-vec', {
  seed: 22,
  jobMs: 20,
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const vec = () => e2e.sandbox.state.vec!;

/**
 * Writes `cert-1.pdf` to `cert-<count>.pdf` in the test folder's `pdf/`, and a CSV with a
 * certificate for each, then `extraRows`.
 */
async function certificatesFile(
  count: number,
  extraRows: string[] = [],
): Promise<{ pdfs: string; input: string }> {
  const pdfs = e2e.file('pdf');
  await mkdir(pdfs);
  const rows: string[] = [];
  for (let n = 1; n <= count; n++) {
    await writeFile(join(pdfs, `cert-${n}.pdf`), PDF);
    rows.push(`Safety ${n},Learner ${n},learner${n}@example.com,2026-03-01,cert-${n}.pdf`);
  }
  rows.push(...extraRows);
  const input = e2e.file('certificates.csv');
  await writeFile(
    input,
    `certificate_title,full_name,applicant_email,issue_date,file\n${rows.join('\n')}\n`,
  );
  return { pdfs, input };
}

/** Enqueues a vault-create run of `input`, whose files are in `pdfs`. */
const enqueue = (input: string, pdfs: string, extra: string[] = []) =>
  runCli([
    'vec',
    'vault-create',
    '--base-url',
    e2e.sandbox.url,
    '--input',
    input,
    '--files-dir',
    pdfs,
    '--redis',
    redisUrl(),
    '--enqueue',
    ...extra,
    '--rate-limit',
    '10000/1000',
    '--json',
  ]);

describe('a distributed vault-create run', () => {
  it('reads each file from the path resolved at enqueue time, which the workers share', async () => {
    const { pdfs, input } = await certificatesFile(30, [
      'Missing,Max,max@example.com,2026-03-01,nope.pdf', // line 32: refused at enqueue
    ]);
    const certificatesBefore = vec().certificates.size;
    const enqueued = await enqueue(input, pdfs, ['--chunk-size', '10']);
    expect(enqueued.code, enqueued.stderr).toBe(1);
    const { runId, ...counts } = JSON.parse(enqueued.stdout);
    expect(counts).toEqual({ enqueued: 30, invalid: 1 });
    expect(enqueued.stderr).toMatch(/line 32: invalid/);

    const worker = startWorker(redisUrl(), ['--exit-when-idle', ...SHORT_LOCKS]);
    const status = await runsStatus(redisUrl(), runId, ['--wait']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      api: 'vec',
      operation: 'vault-create',
      succeeded: 30,
      unknown: 0,
      settled: true,
    });
    expect(vec().certificates.size - certificatesBefore).toBe(30);
    expect((await worker.done).code).toBe(0);
  });

  it('fails the records whose file the worker cannot read, and only those', async () => {
    const { pdfs, input } = await certificatesFile(10);
    const enqueued = await enqueue(input, pdfs);
    const { runId } = JSON.parse(enqueued.stdout);
    // The files are gone from the shared path before any worker reads them.
    await rm(join(pdfs, 'cert-3.pdf'));
    startWorker(redisUrl(), ['--exit-when-idle']);
    const status = await runsStatus(redisUrl(), runId, ['--wait']);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({ succeeded: 9, unknown: 0 });
    expect(report.failed).toBe(1);
    expect(status.code).toBe(1);
  });
});
