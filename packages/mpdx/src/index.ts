export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export { isBulkResultError } from './bulk-result.js';
export {
  createMpdxClient,
  type MpdxApi,
  type MpdxClient,
  type MpdxClientOptions,
  unwrap,
} from './create-mpdx-client.js';
export {
  type MpdxDefaults,
  mpdxDefaults,
  RATE_LIMIT_HEADERS,
  type RateLimit,
  retryAfterFromHeaders,
} from './defaults.js';
export type * from './types.js';
