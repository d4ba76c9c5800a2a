export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export {
  type CertificateMatch,
  type EntryErrors,
  type EntryFields,
  fieldOfMessage,
  isFileAlreadyUsed,
  mapBulkRejection,
  matchBatchCertificates,
  parseEntryErrors,
  showsAllFilesUsed,
} from './bulk-create-response.js';
export {
  type BulkCertificateEntry,
  type CertificateEntryWithFile,
  type CertificateEntryWithFileId,
  type CertificateFile,
  checkEntry,
} from './certificate-entry.js';
export {
  type BulkCreateCertificatesOptions,
  type BulkCreateCertificatesReport,
  type BulkCreatePollOptions,
  bulkCreateCertificates,
  type CertificatesBulkCreateAdapterOptions,
  createCertificatesBulkCreateAdapter,
  defaultBulkCreateOptions,
  VecTrackingError,
} from './certificates-bulk-create.js';
export {
  createVecClient,
  unwrap,
  type VecApi,
  type VecClient,
  type VecClientOptions,
} from './create-vec-client.js';
export {
  rateLimitHeaders,
  retryAfterFromHeaders,
  type VecDefaults,
  type VecRateLimit,
  vecDefaults,
} from './defaults.js';
export type * from './types.js';
export { uploadFileBody } from './upload-file-body.js';
