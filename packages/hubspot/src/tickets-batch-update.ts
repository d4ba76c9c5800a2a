/**
 * `tickets.batchUpdate`: writes any number of ticket updates through core's `runBulk`, which does
 * the batching, concurrency, retries, throttling, accounting and journaling. This module only
 * names the endpoint; `object-batch-write.ts` holds what every update and upsert shares.
 */
import type { BulkAdapter } from '@bulk-clients/core';
import {
  createObjectBatchWriteAdapter,
  type ObjectBatchWriteSpec,
  runObjectBatchWrite,
} from './object-batch-write.js';
import type {
  HubSpotClient,
  Ticket,
  TicketsBatchUpdateAdapterOptions,
  TicketsBatchUpdateOptions,
  TicketsBatchUpdateReport,
  TicketUpdateInput,
} from './types.js';

/** Name of the operation in reports and journals. */
export const TICKETS_BATCH_UPDATE = 'hubspot.tickets.batchUpdate';

const batchUpdate: ObjectBatchWriteSpec = {
  operation: TICKETS_BATCH_UPDATE,
  noun: 'ticket',
  post: (client, inputs, signal) =>
    client.api.POST('/crm/v3/objects/tickets/batch/update', { body: { inputs }, signal }),
};

/**
 * The bulk adapter of `POST /crm/v3/objects/tickets/batch/update`, to hand to core's `runBulk`
 * (with `limiter: client.limiter`, and a journal when the run must be resumable).
 *
 * - Inputs whose property values are not all strings (or that lack an `id`) fail before
 *   sending, naming the field and the input's index; `''` is sent, and clears the value.
 * - HubSpot refuses a whole batch that names one id twice, so a batch never carries two inputs
 *   with the same `id`: a later one is deferred (`resend`) to a following batch, sent once the
 *   earlier one is written, so two updates of one ticket in one batch apply in input order.
 * - A 207 fails exactly the inputs named in `errors[].context.ids`, see `mapTicketBatchResponse`.
 * - Updates are idempotent: a batch whose answer was lost is sent again.
 *
 * @example
 * const report = await runBulk(rows, createTicketsBatchUpdateAdapter(hubspot), {
 *   limiter: hubspot.limiter,
 *   journal,
 * });
 */
export function createTicketsBatchUpdateAdapter(
  client: Pick<HubSpotClient, 'api'>,
  options: TicketsBatchUpdateAdapterOptions = {},
): BulkAdapter<TicketUpdateInput, Ticket> {
  return createObjectBatchWriteAdapter<Ticket>(batchUpdate, client, options);
}

/**
 * Updates tickets in batches of up to 100 through `runBulk`, with the client's rate limiter.
 * Resolves with the core report: every input counted once as `succeeded` (with the ticket
 * HubSpot returned), `failed` (with HubSpot's reason), `unknown` or `skipped`.
 */
export function ticketsBatchUpdate(
  client: Pick<HubSpotClient, 'api' | 'limiter'>,
  inputs: Iterable<TicketUpdateInput> | AsyncIterable<TicketUpdateInput>,
  options: TicketsBatchUpdateOptions = {},
): Promise<TicketsBatchUpdateReport> {
  return runObjectBatchWrite<Ticket>(batchUpdate, client, inputs, options);
}
