import {
  type ApiClientOptions,
  createApiClient,
  type FetchResultLike,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import type { BulkCertificateEntry } from './certificate-entry.js';
import {
  type BulkCreateCertificatesOptions,
  type BulkCreateCertificatesReport,
  bulkCreateCertificates,
} from './certificates-bulk-create.js';
import { rateLimitHeaders, retryAfterFromHeaders, vecDefaults } from './defaults.js';
import type { paths } from './types.js';

/** Options of {@link createVecClient}. */
export interface VecClientOptions extends ApiClientOptions {
  /**
   * Scheme, host and optional port of the vault API (paths are part of each operation).
   * @default 'https://api.vec.digital'
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: string | undefined;
  /**
   * The request budget of this client: a core `RateLimiter` to share one budget between clients,
   * `{ requests, perMs, burst? }` for one of its own, or `false` for none. The vault documents
   * no limit, so the default is an assumption.
   * @default vecDefaults.rateLimit (60 requests per minute)
   * @example { requests: 120, perMs: 60_000 }
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the vault paths. */
export type VecApi = Client<paths>;

/** What {@link createVecClient} returns. */
export interface VecClient {
  /** Typed openapi-fetch client: `api.POST('/business/certificate-vault/bulk', { body })`. */
  readonly api: VecApi;
  /** Bulk operations on vault certificates. */
  readonly certificates: {
    /**
     * Creates certificates in bulk: uploads each entry's `file` (or uses its `file_id`), sends
     * the entries in batches, waits until every certificate settles, and reports every entry.
     * Requests share this client's rate limiter.
     *
     * @example
     * const report = await vec.certificates.bulkCreate(entries, { onDrop: (o) => console.error(o.error?.message) });
     */
    bulkCreate(
      entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
      options?: BulkCreateCertificatesOptions,
    ): Promise<BulkCreateCertificatesReport>;
  };
}

/**
 * Creates a client for the VEC.digital certificate vault, sending
 * `Authorization: Bearer <token>` and `Accept: application/json` with every request.
 *
 * @example
 * const vec = createVecClient({ token: process.env.VEC_TOKEN });
 * const page = unwrap(await vec.api.GET('/business/certificate-vault', { params: { query: { per_page: 100 } } }));
 */
export function createVecClient(options: VecClientOptions): VecClient {
  const api = createApiClient<paths>(options, {
    name: 'VEC.digital',
    defaultBaseUrl: vecDefaults.baseUrl,
    rateLimit: vecDefaults.rateLimit,
    retryAfter: retryAfterFromHeaders,
    // Holds requests back until the reset once the headers say the window's budget is spent.
    rateLimitHeaders,
  });
  const certificates = Object.freeze({
    bulkCreate: (
      entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
      bulkOptions?: BulkCreateCertificatesOptions,
    ) => bulkCreateCertificates(api, entries, bulkOptions),
  });
  return Object.freeze({ api, certificates });
}

/**
 * Returns the data of a successful call, or throws an `ApiError` carrying the status, the
 * vault's error body, the request id and how long the vault asked us to wait.
 *
 * @example const batch = unwrap(await vec.api.GET('/business/batches/{batchId}/status', { params: { path: { batchId } } }));
 */
export function unwrap<Data, Err>(result: FetchResultLike<Data, Err>): Data {
  return unwrapResult(result, { retryAfter: retryAfterFromHeaders });
}
