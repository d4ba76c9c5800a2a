/**
 * The pieces behind the bulk operations, for tests and for debugging a mapping: not part of the
 * package's supported API, and free to change in any release.
 */
export {
  InvalidBatchResponseError,
  itemErrorOf,
  mapTicketBatchRejection,
  mapTicketBatchResponse,
} from './ticket-batch-response.js';
export { checkTicketUpdateInput, describeTicket, toWireInput } from './ticket-update-input.js';
