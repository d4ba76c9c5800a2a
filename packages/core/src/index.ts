export {
  ApiError,
  type ApiErrorCode,
  type ApiErrorInit,
  codeForStatus,
  messageFromBody,
  REQUEST_ID_HEADERS,
} from './api-error.js';
export {
  type ApiClientOptions,
  apiErrorFromResponse,
  createApiClient,
  type FetchLike,
  type FetchResultLike,
  normalizeBaseUrl,
  rememberMethod,
  type UnwrapOptions,
  unwrap,
  type VendorProfile,
} from './create-api-client.js';
export { parseRetryAfter } from './retry-after.js';
