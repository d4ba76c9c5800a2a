/** What the VEC.digital vault simulator remembers between requests. */

/** `pending` and `processing` still change; the others are settled. */
export type CertificateStatusValue = 'pending' | 'processing' | 'generated' | 'failed' | 'revoked';

/** Batch statuses the simulator reports (the vendor also has `pending` and `waiting_for_approval`). */
export type BatchStatusValue = 'processing' | 'completed' | 'partially_completed' | 'failed';

/** An uploaded certificate file. Only its description is kept, never its bytes. */
export interface StoredFile {
  fileId: string;
  fileName: string;
  mimeType: string;
  size: number;
  uploadedAt: number;
}

/** What a bulk entry asked for. */
export interface CertificateInput {
  certificate_title: string;
  full_name: string;
  applicant_email: string;
  file_id: string;
  issue_date?: string;
  details?: string;
}

/**
 * A certificate and its processing schedule. Its status is a function of the clock (see
 * `statusAt`), so reading it never needs a timer and a fake clock drives it exactly.
 */
export interface StoredCertificate {
  id: number;
  uuid: string;
  referenceId: string;
  entry: CertificateInput;
  source: 'bulk_upload' | 'manual';
  batchId: string | null;
  createdAt: number;
  /** When the current attempt was queued (creation, or the last retry). */
  queuedAt: number;
  /** When the current attempt leaves `pending` for `processing`. */
  startsAt: number;
  /** When the current attempt settles into `outcome`. */
  settlesAt: number;
  /** Decided when the attempt is queued, so polling never changes a certificate's fate. */
  outcome: 'generated' | 'failed';
  /** Set for certificates revoked in the vault; wins over the schedule. */
  revokedAt?: number;
  /** Attempts so far (1 + retries). */
  attempts: number;
}

/** A bulk request and the certificates it created, in entry order. */
export interface StoredBatch {
  batchId: string;
  createdAt: number;
  certificateUuids: string[];
}

/** The simulator's whole state; tests read it to prove nothing was lost or written twice. */
export interface VecState {
  /** Permissions of the accepted token. All five vault permissions by default; tests remove some. */
  permissions: Set<string>;
  files: Map<string, StoredFile>;
  /** By uuid, in creation order. */
  certificates: Map<string, StoredCertificate>;
  batches: Map<string, StoredBatch>;
  /** How many certificates were ever created from each file id: never more than 1. */
  certificatesPerFile: Map<string, number>;
  /** The last numeric certificate id handed out. */
  lastCertificateId: number;
}

/** The vault permissions a token may carry. */
export const VAULT_PERMISSIONS = [
  'certificate-vault:list',
  'certificate-vault:view',
  'certificate-vault:create',
  'certificate-vault:download',
  'certificate-vault:update',
] as const;

export function createVecState(): VecState {
  return {
    permissions: new Set(VAULT_PERMISSIONS),
    files: new Map(),
    certificates: new Map(),
    batches: new Map(),
    certificatesPerFile: new Map(),
    lastCertificateId: 1000,
  };
}

/** A certificate's status at clock time `now`. */
export function statusAt(certificate: StoredCertificate, now: number): CertificateStatusValue {
  if (certificate.revokedAt !== undefined && certificate.revokedAt <= now) return 'revoked';
  if (now < certificate.startsAt) return 'pending';
  if (now < certificate.settlesAt) return 'processing';
  return certificate.outcome;
}

/** When the certificate last changed, as seen at `now`. */
export function updatedAt(certificate: StoredCertificate, now: number): number {
  if (certificate.revokedAt !== undefined && certificate.revokedAt <= now) {
    return certificate.revokedAt;
  }
  if (now >= certificate.settlesAt) return certificate.settlesAt;
  if (now >= certificate.startsAt) return certificate.startsAt;
  return certificate.queuedAt;
}

/** Settled statuses: the certificate no longer changes on its own. */
export function isSettled(status: CertificateStatusValue): boolean {
  return status === 'generated' || status === 'failed' || status === 'revoked';
}
