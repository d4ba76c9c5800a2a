import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRedisServer, type TestRedisServer } from '@bulk-clients/redis/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, useSandbox } from './e2e-helpers.js';

const e2e = useSandbox('distributed-vec', { seed: 22, jobMs: 20 });
let redis: TestRedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());
const started: ReturnType<typeof startCli>[] = [];
afterEach(async () => {
  for (const run of started.splice(0)) if (!run.exited()) run.child.kill('SIGKILL');
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const vec = () => e2e.sandbox.state.vec!;

describe('a distributed vault-create run', () => {
  it('reads each file from the path resolved at enqueue time, which the workers share', async () => {
    const pdfs = e2e.file('pdf');
    await mkdir(pdfs);
    const rows: string[] = [];
    for (let n = 1; n <= 30; n++) {
      await writeFile(join(pdfs, `cert-${n}.pdf`), PDF);
      rows.push(`Safety ${n},Learner ${n},learner${n}@example.com,2026-03-01,cert-${n}.pdf`);
    }
    rows.push('Missing,Max,max@example.com,2026-03-01,nope.pdf'); // line 32: refused at enqueue
    const input = e2e.file('certificates.csv');
    await writeFile(
      input,
      `certificate_title,full_name,applicant_email,issue_date,file\n${rows.join('\n')}\n`,
    );
    const certificatesBefore = vec().certificates.size;
    const enqueued = await runCli([
      'vec',
      'vault-create',
      '--base-url',
      e2e.sandbox.url,
      '--input',
      input,
      '--files-dir',
      pdfs,
      '--redis',
      redis.url,
      '--enqueue',
      '--chunk-size',
      '10',
      '--rate-limit',
      '10000/1000',
      '--json',
    ]);
    expect(enqueued.code, enqueued.stderr).toBe(1);
    const { runId, ...counts } = JSON.parse(enqueued.stdout);
    expect(counts).toEqual({ enqueued: 30, invalid: 1 });
    expect(enqueued.stderr).toMatch(/line 32: invalid/);

    const worker = startCli([
      'worker',
      '--redis',
      redis.url,
      '--exit-when-idle',
      '--lock-duration',
      '1500',
      '--stalled-interval',
      '500',
    ]);
    started.push(worker);
    const status = await runCli([
      'runs',
      'status',
      runId,
      '--redis',
      redis.url,
      '--wait',
      '--json',
    ]);
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
    const pdfs = e2e.file('pdf');
    await mkdir(pdfs);
    const rows: string[] = [];
    for (let n = 1; n <= 10; n++) {
      await writeFile(join(pdfs, `cert-${n}.pdf`), PDF);
      rows.push(`Safety ${n},Learner ${n},learner${n}@example.com,2026-03-01,cert-${n}.pdf`);
    }
    const input = e2e.file('certificates.csv');
    await writeFile(
      input,
      `certificate_title,full_name,applicant_email,issue_date,file\n${rows.join('\n')}\n`,
    );
    const enqueued = await runCli([
      'vec',
      'vault-create',
      '--base-url',
      e2e.sandbox.url,
      '--input',
      input,
      '--files-dir',
      pdfs,
      '--redis',
      redis.url,
      '--enqueue',
      '--rate-limit',
      '10000/1000',
      '--json',
    ]);
    const { runId } = JSON.parse(enqueued.stdout);
    // The files are gone from the shared path before any worker reads them.
    await rm(join(pdfs, 'cert-3.pdf'));
    const worker = startCli(['worker', '--redis', redis.url, '--exit-when-idle']);
    started.push(worker);
    const status = await runCli([
      'runs',
      'status',
      runId,
      '--redis',
      redis.url,
      '--wait',
      '--json',
    ]);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({ succeeded: 9, unknown: 0 });
    expect(report.failed).toBe(1);
    expect(status.code).toBe(1);
  });
});
