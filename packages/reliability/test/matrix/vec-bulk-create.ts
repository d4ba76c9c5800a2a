/**
 * `vec.certificates.bulkCreate` in the fault matrix: record `n` uploads its own PDF and creates a
 * certificate for its own recipient; every 50th has an email the vault refuses (422 `Entry N:`).
 * Creates are not idempotent: every check here is exactly once, whatever the fault.
 */
import type { Sandbox } from '@bulk-clients/sandbox';
import { type CertificateEntryWithFile, createVecClient } from '@bulk-clients/vec';
import { expect } from 'vitest';
import { expectAccounted, expectReasoned, figuresOf } from './checks.js';
import type { CellOptions, MatrixOperation } from './types.js';

const TOKEN = 'sandbox-token';
const PDF = Buffer.from('%PDF-1.7\n%fault matrix\n');
const refused = (n: number) => n % 50 === 49;
/** Certificates the vault generated and then marked failed are the vendor's failure, stored once. */
const FAILED_AT_VENDOR = new Set(['certificate_failed', 'certificate_revoked']);

function emailOf(port: number, n: number): string {
  return refused(n) ? `matrix-${port}-${n}@example` : `matrix-${port}-${n}@example.com`;
}

export const vecBulkCreate: MatrixOperation = {
  name: 'vec.certificates.bulkCreate',
  vendor: 'vec',
  // Each record is an upload, a share of a bulk request and of the status reads: fewer records.
  records: 600,
  hasJobs: true,
  // As the other operations: at 100 a quarter-size run (about 165 requests in 0.6 s) could finish
  // inside the bucket without ever being refused.
  burst: { requests: 50, perMs: 1000 },
  async prepare() {},
  async run(sandbox: Sandbox, count: number, { timeoutMs, lostAnswers, fetch }: CellOptions) {
    const client = createVecClient({
      token: TOKEN,
      baseUrl: sandbox.url,
      rateLimit: { requests: 100_000, perMs: 1000 },
      fetch,
    });
    const entries: CertificateEntryWithFile[] = Array.from({ length: count }, (_, n) => ({
      certificate_title: `Matrix course ${n}`,
      full_name: `Learner ${n}`,
      applicant_email: emailOf(sandbox.port, n),
      issue_date: '2025-06-01',
      file: PDF,
      fileName: `matrix-${n}.pdf`,
    }));
    const report = await client.certificates.bulkCreate(entries, {
      collect: true,
      batchSize: 25,
      uploadConcurrency: 8,
      retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 },
      poll: { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 30_000 },
      httpTimeoutMs: timeoutMs,
    });
    const outcomes = expectAccounted(report, count);
    const state = sandbox.state.vec!;
    const held = new Map<string, number>();
    for (const certificate of state.certificates.values()) {
      const email = certificate.entry.applicant_email;
      held.set(email, (held.get(email) ?? 0) + 1);
    }
    const ours = new Set(entries.map((e) => e.applicant_email));
    for (const outcome of outcomes) {
      const email = outcome.item.applicant_email;
      const certificates = held.get(email) ?? 0;
      if (refused(outcome.index) && !(lostAnswers && outcome.status === 'unknown')) {
        expect(outcome.status, `record ${outcome.index}: ${JSON.stringify(outcome.error)}`).toBe(
          'failed',
        );
        if (outcome.error?.field === 'file') {
          // Under combined faults its upload can fail for good before the vault ever sees the
          // entry: still failed with a reason, and nothing created.
          expectReasoned(outcome);
          expect(certificates).toBe(0);
          continue;
        }
        expect(outcome.error).toMatchObject({ status: 422, field: 'applicant_email' });
        expect(outcome.error?.message).toContain('applicant_email');
        expect(outcome.error?.vendor).toEqual(
          expect.arrayContaining([expect.stringContaining('applicant_email')]),
        );
        expect(certificates).toBe(0);
        continue;
      }
      if (outcome.status === 'succeeded') {
        expect(certificates, `certificates of record ${outcome.index}`).toBe(1);
        expect(outcome.value?.applicant_email).toBe(email);
        continue;
      }
      expectReasoned(outcome);
      if (outcome.status === 'unknown') {
        expect(certificates, `certificates of record ${outcome.index}`).toBeLessThanOrEqual(1);
      } else if (FAILED_AT_VENDOR.has(outcome.error?.code ?? '')) {
        expect(certificates, `certificates of record ${outcome.index}`).toBe(1);
      } else {
        expect(certificates, `certificates of ${outcome.status} record ${outcome.index}`).toBe(0);
      }
    }
    // No certificate of this run beyond its records, and no file behind two certificates.
    for (const email of held.keys()) {
      if (email.startsWith(`matrix-${sandbox.port}-`)) expect(ours.has(email)).toBe(true);
    }
    for (const [fileId, uses] of state.certificatesPerFile) {
      expect(uses, `certificates from file ${fileId}`).toBeLessThanOrEqual(1);
    }
    return figuresOf(report);
  },
};
