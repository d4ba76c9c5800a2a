export {
  ApiError,
  type ApiErrorCode,
  type ApiErrorInit,
  codeForStatus,
  messageFromBody,
  REQUEST_ID_HEADERS,
} from './api-error.js';
export type {
  BatchItem,
  BulkAdapter,
  ItemError,
  ItemResult,
  ReconcileResult,
  SendContext,
} from './bulk-adapter.js';
export {
  BulkInputError,
  type BulkProgress,
  type BulkReport,
  type ItemOutcome,
  type OutcomeStatus,
} from './bulk-report.js';
export { type Clock, sleep, systemClock } from './clock.js';
export {
  type ApiClientOptions,
  apiErrorFromResponse,
  createApiClient,
  type FetchLike,
  type FetchResultLike,
  normalizeBaseUrl,
  rateLimiterOf,
  rememberMethod,
  type UnwrapOptions,
  unwrap,
  type VendorClient,
  type VendorProfile,
} from './create-api-client.js';
export {
  type BulkJournal,
  createMemoryJournal,
  deriveItemId,
  type IndexRange,
  type InFlightBatch,
  type JournalFailure,
  type JournalRecord,
  type JournalState,
  replayJournal,
} from './journal.js';
export type { JsonValue } from './json-value.js';
export {
  type PassedRunBulkOptions,
  pickRunBulkOptions,
  RUN_BULK_OPTION_KEYS,
  type RunBulkOptionKey,
} from './pass-run-bulk-options.js';
export {
  defaultPollOptions,
  type PollContext,
  type PollOptions,
  type PollResult,
  type PollStatus,
  pollUntilDone,
} from './poll-until-done.js';
export {
  headerNumber,
  type RateLimitHeaderNames,
  type RateLimitObservation,
  readRateLimitHeaders,
  retryAfterFromRateLimitHeaders,
} from './rate-limit-headers.js';
export {
  type BudgetSource,
  BudgetSpentError,
  type BudgetStop,
  type Grant,
  isRequestLimiter,
  type RateLimitBudget,
  RateLimiter,
  type RateLimiterStats,
  type RateLimitMiddlewareOptions,
  type RateLimitOptions,
  type RequestLimiter,
  rateLimitMiddleware,
} from './rate-limiter.js';
export { requestTimeoutSignal } from './request-timeout-signal.js';
export { parseRetryAfter } from './retry-after.js';
export {
  backoffDelay,
  classifyFailure,
  defaultRetryOptions,
  errorCodeOf,
  type FailureClass,
  type FailureKind,
  NotSentError,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
} from './retry-policy.js';
export { runBulk } from './run-bulk.js';
export {
  defaultRunBulkOptions,
  type ResolvedRunBulkOptions,
  type RunBulkOptions,
} from './run-bulk-options.js';
export { isUuid } from './uuid.js';
