/**
 * The pieces behind the bulk operations, for tests and for debugging a mapping: not part of the
 * package's supported API, and free to change in any release.
 */

export { isolateRefusedInputs, isUnnamedInputRefusal } from './batch-isolation.js';
export { mapCreateBatchResponse } from './object-batch-create.js';
export {
  InvalidBatchResponseError,
  itemErrorOf,
  mapObjectBatchRejection,
  mapObjectBatchResponse,
  mapTicketBatchRejection,
  mapTicketBatchResponse,
} from './object-batch-response.js';
export {
  checkTicketUpdateInput,
  checkUpdateInput,
  describeRecord,
  describeTicket,
  toWireInput,
} from './object-update-input.js';
