import {
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  rateLimiterOf,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import { certificatesBulkCreate } from './certificates-bulk-create.js';
import { rateLimitHeaders, retryAfterFromHeaders, vecDefaults } from './defaults.js';
import type {
  BulkCertificateEntry,
  CertificatesBulkCreateOptions,
  paths,
  VecClient,
  VecClientOptions,
} from './types.js';

/**
 * Creates a client for the VEC.digital certificate vault, sending
 * `Authorization: Bearer <token>` and `Accept: application/json` with every request. Every
 * request passes through the client's rate limiter (`client.limiter`).
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
  const client: VecClient = Object.freeze({
    api,
    // The form createApiClient sends requests to (it has already validated the URL).
    baseUrl: normalizeBaseUrl(options.baseUrl ?? vecDefaults.baseUrl),
    limiter: rateLimiterOf(api),
    certificates: Object.freeze({
      bulkCreate: (
        entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
        bulkOptions?: CertificatesBulkCreateOptions,
      ) => certificatesBulkCreate(client, entries, bulkOptions),
    }),
  });
  return client;
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
