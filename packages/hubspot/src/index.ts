export { ApiError, type ApiErrorCode, type FetchLike } from '@bulk-clients/core';
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
export { InvalidBatchResponseError } from './ticket-batch-response.js';
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
