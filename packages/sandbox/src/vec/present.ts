/** Turns stored certificates and batches into the bodies the vault's spec describes. */
import {
  type BatchStatusValue,
  isSettled,
  type StoredBatch,
  type StoredCertificate,
  statusAt,
  updatedAt,
  type VecState,
} from './state.js';

const STATUS_DISPLAY = {
  pending: {
    label: 'Pending',
    color: 'gray',
    icon: 'clock',
    description: 'The certificate is waiting to be generated.',
  },
  processing: {
    label: 'Processing',
    color: 'blue',
    icon: 'loader',
    description: 'The certificate is being generated.',
  },
  generated: {
    label: 'Generated',
    color: 'green',
    icon: 'check-circle',
    description: 'The certificate was generated and is stored in the vault.',
  },
  failed: {
    label: 'Failed',
    color: 'red',
    icon: 'x-circle',
    description: 'The certificate could not be generated; it can be retried.',
  },
  revoked: {
    label: 'Revoked',
    color: 'orange',
    icon: 'ban',
    description: 'The certificate was revoked and is no longer valid.',
  },
} as const;

const SOURCE_LABELS = { bulk_upload: 'Bulk upload', manual: 'Manual upload' } as const;

/** Laravel's timestamp format: ISO 8601 in UTC with microseconds. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A certificate as the list, read and retry endpoints return it, at clock time `now`. */
export function presentCertificate(certificate: StoredCertificate, now: number) {
  const status = statusAt(certificate, now);
  return {
    id: certificate.id,
    uuid: certificate.uuid,
    reference_id: certificate.referenceId,
    certificate_title: certificate.entry.certificate_title,
    full_name: certificate.entry.full_name,
    applicant_email: certificate.entry.applicant_email,
    source: { value: certificate.source, label: SOURCE_LABELS[certificate.source] },
    status: { value: status, ...STATUS_DISPLAY[status] },
    issue_date: certificate.entry.issue_date ?? null,
    batch_id: certificate.batchId,
    created_at: timestamp(certificate.createdAt),
    updated_at: timestamp(updatedAt(certificate, now)),
  };
}

/** A batch's progress, counted over its certificates at clock time `now`. */
export function presentBatch(state: VecState, batch: StoredBatch, now: number) {
  let processed = 0;
  let failed = 0;
  for (const uuid of batch.certificateUuids) {
    const certificate = state.certificates.get(uuid);
    if (!certificate) continue;
    const status = statusAt(certificate, now);
    if (isSettled(status)) processed++;
    if (status === 'failed') failed++;
  }
  const total = batch.certificateUuids.length;
  return {
    status: batchStatus(total, processed, failed),
    total_certificates: total,
    processed_certificates: processed,
    failed_certificates: failed,
    // Floored so that 100 is only reported once every certificate is settled.
    progress: total === 0 ? 100 : Math.floor((processed * 100) / total),
  };
}

function batchStatus(total: number, processed: number, failed: number): BatchStatusValue {
  if (processed < total) return 'processing';
  if (failed === 0) return 'completed';
  return failed === total ? 'failed' : 'partially_completed';
}
