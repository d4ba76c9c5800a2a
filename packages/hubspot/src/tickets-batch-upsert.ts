/**
 * `tickets.batchUpsert`: creates or updates any number of tickets by the value of a unique
 * property, through core's `runBulk`. It shares everything but the endpoint with the batch
 * update (`object-batch-write.ts`).
 */
import type { BulkAdapter } from '@bulk-clients/core';
import {
  createObjectBatchWriteAdapter,
  type ObjectBatchWriteSpec,
  runObjectBatchWrite,
} from './object-batch-write.js';
import type {
  HubSpotClient,
  TicketsBatchUpsertAdapterOptions,
  TicketsBatchUpsertOptions,
  TicketsBatchUpsertReport,
  TicketUpsertInput,
  UpsertedTicket,
} from './types.js';

/** Name of the operation in reports and journals. */
export const TICKETS_BATCH_UPSERT = 'hubspot.tickets.batchUpsert';

const batchUpsert: ObjectBatchWriteSpec = {
  operation: TICKETS_BATCH_UPSERT,
  noun: 'ticket',
  post: (client, inputs, signal) =>
    client.api.POST('/crm/v3/objects/tickets/batch/upsert', { body: { inputs }, signal }),
};

/**
 * The bulk adapter of `POST /crm/v3/objects/tickets/batch/upsert`, to hand to core's `runBulk`.
 * Same checks, id rule and answer mapping as the batch update. An upsert by unique property is
 * idempotent: sent again after a lost answer, it finds the ticket its first attempt created and
 * updates it (so `value.new` is then `false`) instead of creating a second one. Without an
 * `idProperty` the `id` is a ticket id and a missing ticket fails (`OBJECT_NOT_FOUND`).
 */
export function createTicketsBatchUpsertAdapter(
  client: Pick<HubSpotClient, 'api'>,
  options: TicketsBatchUpsertAdapterOptions = {},
): BulkAdapter<TicketUpsertInput, UpsertedTicket> {
  return createObjectBatchWriteAdapter<UpsertedTicket>(batchUpsert, client, options);
}

/**
 * Creates or updates tickets in batches of up to 100 through `runBulk`, with the client's rate
 * limiter, and resolves with the core report.
 */
export function ticketsBatchUpsert(
  client: Pick<HubSpotClient, 'api' | 'limiter'>,
  inputs: Iterable<TicketUpsertInput> | AsyncIterable<TicketUpsertInput>,
  options: TicketsBatchUpsertOptions = {},
): Promise<TicketsBatchUpsertReport> {
  return runObjectBatchWrite<UpsertedTicket>(batchUpsert, client, inputs, options);
}
