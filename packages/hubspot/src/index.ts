export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
export { checkApiVersion, HUBSPOT_API_VERSIONS, objectBatchPath } from './api-version.js';
export { hasBatchErrors } from './batch-errors.js';
export { createHubSpotClient, unwrap, unwrapHubSpot } from './create-hubspot-client.js';
export {
  type HubSpotDefaults,
  hubSpotDefaults,
  isDailyRefusal,
  rateLimitHeaders,
  retryAfterFromHeaders,
} from './defaults.js';
export type { components, operations, paths } from './generated/schema.js';
export { createObjectBatchArchiveAdapter } from './object-batch-archive.js';
export { createObjectBatchCreateAdapter } from './object-batch-create.js';
export { createObjectBatchReadAdapter } from './object-batch-read.js';
export { InvalidBatchResponseError } from './object-batch-response.js';
export { createObjectBatchWriteAdapter } from './object-batch-write.js';
export {
  checkObjectType,
  objectTypeProblem,
  recordNoun,
  STANDARD_OBJECT_TYPES,
} from './object-type.js';
export { objectOperationName, objectSpecs } from './objects-client.js';
export {
  createTicketsBatchUpdateAdapter,
  TICKETS_BATCH_UPDATE,
  ticketsBatchUpdate,
} from './tickets-batch-update.js';
export {
  createTicketsBatchUpsertAdapter,
  TICKETS_BATCH_UPSERT,
  ticketsBatchUpsert,
} from './tickets-batch-upsert.js';
export type * from './types.js';
