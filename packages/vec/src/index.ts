export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  createVecClient,
  unwrap,
  type VecApi,
  type VecClient,
  type VecClientOptions,
} from './create-vec-client.js';
export {
  retryAfterFromHeaders,
  type VecDefaults,
  type VecRateLimit,
  vecDefaults,
} from './defaults.js';
export type * from './types.js';
export { uploadFileBody } from './upload-file-body.js';
