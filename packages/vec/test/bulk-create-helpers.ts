import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { expect } from 'vitest';
import {
  type BulkCreateCertificatesOptions,
  type BulkCreateCertificatesReport,
  type CertificateEntryWithFile,
  type CertificateFile,
  createVecClient,
  type VecClient,
} from '../src/index.js';

export const token = 'sandbox-token';
export const pdf = Buffer.from('%PDF-1.7\n%test certificate\n');
export const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
export const bulkRoute = { route: 'POST /business/certificate-vault/bulk' };

/** Options that keep a run fast: tiny backoff and polling delays, bounded waits. */
export const fast: BulkCreateCertificatesOptions = {
  poll: { minDelayMs: 2, maxDelayMs: 20, maxWaitMs: 10_000 },
  retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 },
  httpTimeoutMs: 5_000,
  collect: true,
};

/** A sandbox whose vault batches settle in `jobMs` (default 30 ms). */
export function startVault(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  return startSandbox({ seed: 7, jobMs: 30, ...options });
}

export function clientOf(
  sandbox: Sandbox,
  rateLimit: false | { requests: number; perMs: number } = false,
): VecClient {
  return createVecClient({ token, baseUrl: sandbox.url, rateLimit });
}

/** Entry `n` with its own recipient, so that the vault's state can be counted per record. */
export function entryOf(n: number, file: CertificateFile = pdf): CertificateEntryWithFile {
  return {
    certificate_title: `Course ${n}`,
    full_name: `Learner ${n}`,
    applicant_email: `learner${n}@example.com`,
    issue_date: '2025-06-01',
    file,
    fileName: `certificate-${n}.pdf`,
  };
}

export function entries(count: number, start = 0): CertificateEntryWithFile[] {
  return Array.from({ length: count }, (_, i) => entryOf(start + i));
}

/** Certificates the vault holds per recipient email (the seeded ones included). */
export function certificatesByEmail(sandbox: Sandbox): Map<string, number> {
  const counts = new Map<string, number>();
  for (const certificate of sandbox.state.vec!.certificates.values()) {
    const email = certificate.entry.applicant_email.toLowerCase();
    counts.set(email, (counts.get(email) ?? 0) + 1);
  }
  return counts;
}

/**
 * The checks every run must pass: every input counted once; the vault holds exactly one
 * certificate for each entry reported created (or failed while generating), none for an entry
 * refused, at most one for an unknown one; no file backs two certificates; every failure says why.
 */
export function expectAccounted(
  report: BulkCreateCertificatesReport,
  sandbox: Sandbox,
  total: number,
): void {
  expect(report.total).toBe(total);
  expect(report.succeeded + report.failed + report.unknown + report.skipped).toBe(report.total);
  const outcomes = report.outcomes ?? [];
  expect(outcomes).toHaveLength(total);
  const counts = certificatesByEmail(sandbox);
  for (const outcome of outcomes) {
    const held = counts.get(outcome.item.applicant_email.toLowerCase()) ?? 0;
    const generated =
      outcome.error?.code === 'certificate_failed' || outcome.error?.code === 'certificate_revoked';
    if (outcome.status === 'succeeded') {
      expect(held, `record ${outcome.index}`).toBe(1);
      expect(outcome.value?.applicant_email).toBe(outcome.item.applicant_email);
      expect(outcome.value?.status.value).toBe('generated');
    } else if (outcome.status === 'failed') {
      expect(held, `record ${outcome.index}`).toBe(generated ? 1 : 0);
      expect(outcome.error?.message).toMatch(/\S/);
    } else if (outcome.status === 'unknown') {
      expect(held, `record ${outcome.index}`).toBeLessThanOrEqual(1);
    } else {
      expect(held, `record ${outcome.index}`).toBe(0);
    }
  }
  for (const [fileId, uses] of sandbox.state.vec!.certificatesPerFile) {
    expect(uses, `file ${fileId}`).toBeLessThanOrEqual(1);
  }
}

/** Uploads `count` PDFs straight through the API and returns their file ids. */
export async function uploadFiles(client: VecClient, count: number): Promise<string[]> {
  const { uploadFileBody, unwrap } = await import('../src/index.js');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = unwrap(
      await client.api.POST('/business/certificate-vault/upload-file', {
        body: uploadFileBody(new Blob([pdf], { type: 'application/pdf' }), `pre-${i}.pdf`),
      }),
    );
    ids.push(result.data.file_id);
  }
  return ids;
}
