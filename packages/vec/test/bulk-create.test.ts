import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { BulkCertificateEntry } from '../src/index.js';
import {
  bulkRoute,
  clientOf,
  entries,
  entryOf,
  expectAccounted,
  fast,
  pdf,
  png,
  startVault,
  uploadFiles,
} from './bulk-create-helpers.js';

let sandbox: Sandbox;
let dir: string;

beforeEach(async () => {
  await sandbox?.close();
  sandbox = await startVault();
});

afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('certificates.bulkCreate against the sandbox', () => {
  it('uploads, creates and settles every entry exactly once', async () => {
    const vec = clientOf(sandbox);
    const report = await vec.certificates.bulkCreate(entries(250), {
      ...fast,
      batchSize: 40,
      concurrency: 3,
    });
    expectAccounted(report, sandbox, 250);
    expect(report.succeeded).toBe(250);
    expect(sandbox.state.vec!.batches.size).toBe(Math.ceil(250 / 40));
    expect(sandbox.state.vec!.files.size - 24).toBe(250);
  });

  it('takes files as a Buffer, a Blob, a path, or an uploaded file_id', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vec-bulk-'));
    const path = join(dir, 'diploma.png');
    await writeFile(path, png);
    const vec = clientOf(sandbox);
    const [fileId] = await uploadFiles(vec, 1);
    const base = entryOf(0);
    const inputs: BulkCertificateEntry[] = [
      { ...entryOf(0), file: Buffer.from(pdf) },
      { ...entryOf(1), file: new Blob([png], { type: 'image/png' }), fileName: 'one.png' },
      {
        ...entryOf(2),
        file: new File([png], 'two.png', { type: 'image/png' }),
        fileName: undefined,
      },
      { ...entryOf(3), file: path, fileName: undefined },
      {
        certificate_title: base.certificate_title,
        full_name: 'Given File',
        applicant_email: 'given@example.com',
        file_id: fileId!,
      },
    ];
    const report = await vec.certificates.bulkCreate(inputs, fast);
    expectAccounted(report, sandbox, 5);
    expect(report.succeeded).toBe(5);
    const names = [...sandbox.state.vec!.files.values()].map((file) => file.fileName);
    expect(names).toEqual(
      expect.arrayContaining(['certificate-0.pdf', 'one.png', 'two.png', 'diploma.png']),
    );
    const types = [...sandbox.state.vec!.files.values()].filter(
      (file) => file.fileName === 'diploma.png',
    );
    expect(types[0]?.mimeType).toBe('image/png');
  });

  it('fails exactly the entries a 422 names and creates the others once', async () => {
    const vec = clientOf(sandbox);
    const [shared, own] = await uploadFiles(vec, 2);
    const inputs: BulkCertificateEntry[] = entries(12);
    inputs[2] = {
      ...entryOf(2),
      file: undefined,
      fileName: undefined,
      file_id: '9e3b101f-c264-4f97-945f-20dfa7163768',
    };
    inputs[4] = { ...entryOf(4), file: undefined, fileName: undefined, file_id: shared! };
    inputs[6] = { ...entryOf(6), file: undefined, fileName: undefined, file_id: shared! };
    inputs[7] = { ...entryOf(7), applicant_email: 'not-an-email' };
    inputs[9] = { ...entryOf(9), certificate_title: 'T'.repeat(256) };
    inputs[10] = { ...entryOf(10), file: undefined, fileName: undefined, file_id: own! };
    const report = await vec.certificates.bulkCreate(inputs, { ...fast, checkEntries: false });
    expectAccounted(report, sandbox, 12);
    const failed = report.outcomes!.filter((outcome) => outcome.status === 'failed');
    expect(failed.map((outcome) => outcome.index)).toEqual([2, 6, 7, 9]);
    expect(failed.map((outcome) => [outcome.error?.code, outcome.error?.field])).toEqual([
      ['file_id_not_found', 'file_id'],
      ['file_id_duplicate', 'file_id'],
      ['validation_failed', 'applicant_email'],
      ['validation_failed', 'certificate_title'],
    ]);
    expect(failed[0]?.error?.message).toBe(
      'Record 2: file_id 9e3b101f-c264-4f97-945f-20dfa7163768 not found',
    );
    expect(failed[2]?.error).toMatchObject({
      status: 422,
      vendor: [expect.stringMatching(/^Entry \d+: applicant_email/)],
    });
    expect(report.succeeded).toBe(8);
    // The first request was refused whole; the valid entries went again in a second one.
    expect(report.requests).toBe(2);
  });

  it('refuses invalid entries before sending, naming the field and the record', async () => {
    const vec = clientOf(sandbox);
    const inputs = [
      { ...entryOf(0), certificate_title: 'T'.repeat(256) },
      { ...entryOf(1), file: Buffer.from('plain text') },
      { ...entryOf(2), file: '/tmp/diploma.docx', fileName: undefined },
      { ...entryOf(3), file: undefined },
      { ...entryOf(4), issue_date: '2025-02-30' },
    ] as BulkCertificateEntry[];
    const report = await vec.certificates.bulkCreate(inputs, fast);
    expectAccounted(report, sandbox, 5);
    expect(report.requests).toBe(0);
    expect(
      report.outcomes!.map((outcome) => [outcome.error?.field, outcome.error?.message]),
    ).toEqual([
      [
        'certificate_title',
        'Record 0: certificate_title must not be longer than 255 characters (got 256)',
      ],
      [
        'file',
        'Record 1: file must be the bytes of a PDF, JPG, JPEG or PNG document (its first bytes say otherwise)',
      ],
      ['file', 'Record 2: file must be a PDF, JPG, JPEG or PNG file, got "diploma.docx"'],
      ['file_id', 'Record 3: file_id or file is required'],
      ['issue_date', 'Record 4: issue_date must be a date as YYYY-MM-DD, got "2025-02-30"'],
    ]);
  });

  it('fails every entry with the reason when the token may not create', async () => {
    sandbox.state.vec!.permissions.delete('certificate-vault:create');
    const vec = clientOf(sandbox);
    const fileId = '9e3b101f-c264-4f97-945f-20dfa7163768';
    const inputs = [
      ...entries(30),
      { ...entryOf(30), file: undefined, fileName: undefined, file_id: fileId },
    ];
    const report = await vec.certificates.bulkCreate(inputs, {
      ...fast,
      batchSize: 10,
      concurrency: 1,
    });
    expectAccounted(report, sandbox, 31);
    expect(report.failed).toBe(31);
    for (const outcome of report.outcomes!) {
      expect(outcome.error).toMatchObject({ code: 'forbidden', status: 403 });
      expect(outcome.error?.message).toBe(
        `Record ${outcome.index}: the vault refused the token (403 Forbidden - Insufficient permissions); the token needs the certificate-vault:create permission`,
      );
    }
    // The first refusal stops every later request.
    expect(report.requests).toBe(4);
  });

  it('reports certificates the vault fails to generate, with its reason', async () => {
    sandbox.faults.set({ jobs: { failureRate: 0.3 } }, bulkRoute);
    const vec = clientOf(sandbox);
    const report = await vec.certificates.bulkCreate(entries(200), { ...fast, batchSize: 50 });
    expectAccounted(report, sandbox, 200);
    expect(report.failed).toBe(sandbox.faults.counters.jobsFailed);
    expect(report.failed).toBeGreaterThan(20);
    expect(report.succeeded + report.failed).toBe(200);
    const failure = report.outcomes!.find((outcome) => outcome.status === 'failed')!;
    expect(failure.error).toMatchObject({
      code: 'certificate_failed',
      vendor: { status: { value: 'failed' } },
    });
    expect(failure.error?.message).toMatch(
      /^Record \d+: the vault could not generate certificate VC-/,
    );
  });

  it('reports entries still pending when the wait ends as unknown, created once', async () => {
    sandbox.faults.set({ jobs: { durationMs: 60_000 } }, bulkRoute);
    const vec = clientOf(sandbox);
    const report = await vec.certificates.bulkCreate(entries(20), {
      ...fast,
      poll: { minDelayMs: 2, maxDelayMs: 10, maxWaitMs: 60 },
    });
    expectAccounted(report, sandbox, 20);
    expect(report.unknown).toBe(20);
    expect(report.outcomes![0]?.error).toMatchObject({ code: 'tracking_timeout' });
    expect(report.outcomes![0]?.error?.message).toMatch(
      /was accepted, but 20 of its certificates had not settled after 60 ms/,
    );
    expect(sandbox.state.vec!.batches.size).toBe(1);
  });
});
