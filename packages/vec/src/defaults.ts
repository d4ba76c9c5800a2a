import { type RateLimitHeaderNames, retryAfterFromRateLimitHeaders } from '@bulk-clients/core';
import type {
  BatchStatusValue,
  CertificateStatusValue,
  RateLimit,
  VecPermission,
} from './types.js';

/** Facts about the VEC.digital certificate vault that the bulk layer plans with. */
export interface VecDefaults {
  /** Production base URL: scheme and host only, the paths are absolute. */
  readonly baseUrl: 'https://api.vec.digital';
  /** Largest number of entries one bulk request may carry; the vendor documents no limit. */
  readonly maxBatchSize: undefined;
  /** Entries sent per bulk request unless the caller chooses otherwise. */
  readonly chunkSize: number;
  /** The vendor documents no rate limit; this budget is our own assumption. */
  readonly rateLimit: Readonly<RateLimit>;
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
 * Where the vault states its budget, for the client's limiter to follow: `X-RateLimit-Remaining`
 * and the window's end in `X-RateLimit-Reset` (Unix seconds). The vault documents no limit and
 * no window, so the limit header alone is not read as a budget (our default holds).
 */
export const rateLimitHeaders = Object.freeze({
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
}) satisfies RateLimitHeaderNames;

/**
 * How long the vault asks us to wait, in ms, read from its throttle headers: `Retry-After` when
 * sent, else the end of the window (`X-RateLimit-Reset`, Unix seconds) once
 * `X-RateLimit-Remaining` is 0 or the answer is a 429. Returns `undefined` when the headers say
 * nothing.
 *
 * @example unwrap(result, { retryAfter: retryAfterFromHeaders })
 */
export function retryAfterFromHeaders(
  response: Response,
  now: number = Date.now(),
): number | undefined {
  return retryAfterFromRateLimitHeaders(response, rateLimitHeaders, now);
}
