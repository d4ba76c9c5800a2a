export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  createThoughtIndustriesClient,
  instanceBaseUrl,
  type ThoughtIndustriesApi,
  type ThoughtIndustriesClient,
  type ThoughtIndustriesClientOptions,
  unwrap,
} from './create-thought-industries-client.js';
export {
  type RateLimit,
  retryAfterFromHeaders,
  type ThoughtIndustriesDefaults,
  thoughtIndustriesDefaults,
} from './defaults.js';
export type * from './types.js';
