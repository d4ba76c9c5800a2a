import { parseRetryAfter } from '@bulk-clients/core';
import type { BatchStatusValue, CertificateStatusValue, VecPermission } from './types.js';

/** A request budget: at most `requests` requests every `perMs` milliseconds. */
export interface VecRateLimit {
  requests: number;
  perMs: number;
}

/** Facts about the VEC.digital certificate vault that the bulk layer plans with. */
export interface VecDefaults {
  /** Production base URL: scheme and host only, the paths are absolute. */
  readonly baseUrl: 'https://api.vec.digital';
  /** Largest number of entries one bulk request may carry; the vendor documents no limit. */
  readonly maxBatchSize: undefined;
  /** Entries sent per bulk request unless the caller chooses otherwise. */
  readonly chunkSize: number;
  /** The vendor documents no rate limit; this budget is our own assumption. */
  readonly rateLimit: Readonly<VecRateLimit>;
  /** Statuses worth retrying after a wait. */
  readonly retryableStatuses: readonly number[];
  /** Largest file `upload-file` accepts, in bytes (20 MB). */
  readonly maxUploadBytes: number;
  /** Media types `upload-file` accepts (PDF, JPG/JPEG, PNG). */
  readonly uploadMediaTypes: readonly string[];
  /** Longest `certificate_title`, `full_name` and `applicant_email`. */
  readonly maxFieldLength: number;
  /** Longest `details`. */
  readonly maxDetailsLength: number;
  /** Page size of the list endpoint when none is asked for, and the largest allowed. */
  readonly listPageSize: Readonly<{ default: number; max: number }>;
  /** Certificate statuses that no longer change on their own. */
  readonly settledCertificateStatuses: readonly CertificateStatusValue[];
  /** Batch statuses after which the counts no longer change on their own. */
  readonly settledBatchStatuses: readonly BatchStatusValue[];
  /** Every permission a vault token can carry. */
  readonly permissions: readonly VecPermission[];
}

export const vecDefaults: VecDefaults = Object.freeze({
  baseUrl: 'https://api.vec.digital',
  maxBatchSize: undefined,
  chunkSize: 100,
  rateLimit: Object.freeze({ requests: 60, perMs: 60_000 }),
  retryableStatuses: Object.freeze([429, 500, 502, 503, 504]),
  maxUploadBytes: 20 * 1024 * 1024,
  uploadMediaTypes: Object.freeze(['application/pdf', 'image/jpeg', 'image/png']),
  maxFieldLength: 255,
  maxDetailsLength: 1000,
  listPageSize: Object.freeze({ default: 15, max: 100 }),
  settledCertificateStatuses: Object.freeze(['generated', 'failed', 'revoked'] as const),
  settledBatchStatuses: Object.freeze(['completed', 'partially_completed', 'failed'] as const),
  permissions: Object.freeze([
    'certificate-vault:list',
    'certificate-vault:view',
    'certificate-vault:create',
    'certificate-vault:download',
    'certificate-vault:update',
  ] as const),
});

/**
 * How long the vault asks us to wait, in ms, read from its throttle headers: `Retry-After` when
 * sent, else the end of the window (`X-RateLimit-Reset`, Unix seconds) once
 * `X-RateLimit-Remaining` is 0. Returns `undefined` when the headers say nothing.
 *
 * @example unwrap(result, { retryAfter: retryAfterFromHeaders })
 */
export function retryAfterFromHeaders(
  response: Response,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const remaining = response.headers.get('x-ratelimit-remaining')?.trim();
  const reset = response.headers.get('x-ratelimit-reset')?.trim();
  if (!remaining || !reset || Number(remaining) !== 0) return undefined;
  const resetSeconds = Number(reset);
  if (!Number.isFinite(resetSeconds)) return undefined;
  return Math.max(0, Math.ceil(resetSeconds * 1000 - now));
}
