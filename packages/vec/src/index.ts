export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  bulkCreateCertificates,
  certificatesBulkCreate,
  createCertificatesBulkCreateAdapter,
  defaultBulkCreateOptions,
  defaultCertificatesBulkCreateOptions,
  VecTrackingError,
} from './certificates-bulk-create.js';
export { createVecClient, unwrap } from './create-vec-client.js';
export {
  rateLimitHeaders,
  retryAfterFromHeaders,
  type VecDefaults,
  vecDefaults,
} from './defaults.js';
export type * from './types.js';
export { uploadFileBody } from './upload-file-body.js';
