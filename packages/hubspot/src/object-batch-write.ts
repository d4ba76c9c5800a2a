/**
 * What the ticket batch writes that address tickets by id or unique property (update, upsert)
 * share: the checks before sending, one id per batch, the mapping of HubSpot's answer, and the
 * `runBulk` options they pass through. Each operation's module only says which endpoint it calls.
 */
import {
  apiErrorFromResponse,
  type BulkAdapter,
  type BulkReport,
  type FailureClass,
  type ItemResult,
  pickRunBulkOptions,
  runBulk,
} from '@bulk-clients/core';
import { hubSpotDefaults, retryAfterFromHeaders } from './defaults.js';
import {
  InvalidBatchResponseError,
  mapTicketBatchRejection,
  mapTicketBatchResponse,
} from './ticket-batch-response.js';
import { checkTicketUpdateInput, toWireInput } from './ticket-update-input.js';
import type {
  HubSpotClient,
  Ticket,
  TicketBatchWriteAdapterOptions,
  TicketBatchWriteOptions,
  TicketUpdateInput,
} from './types.js';

/** The answer of one batch request, as openapi-fetch gives it. */
export interface PostResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** What differs between the ticket batch writes. */
export interface TicketBatchWriteSpec {
  /** Name in reports and journals, e.g. `hubspot.tickets.batchUpdate`. */
  operation: string;
  /** Sends one batch to the operation's endpoint. */
  post(
    client: Pick<HubSpotClient, 'api'>,
    inputs: TicketUpdateInput[],
    signal: AbortSignal,
  ): Promise<PostResult>;
}

/**
 * Builds the bulk adapter of a ticket batch write. Both writes are idempotent: an update writes
 * the same values again, and an upsert by unique property finds the ticket its first attempt
 * created, so a batch whose answer was lost is simply sent again.
 */
export function createTicketBatchWriteAdapter<R extends Ticket>(
  spec: TicketBatchWriteSpec,
  client: Pick<HubSpotClient, 'api'>,
  options: TicketBatchWriteAdapterOptions = {},
): BulkAdapter<TicketUpdateInput, R> {
  if (!client || typeof client !== 'object' || !client.api) {
    throw new TypeError('Expected `client` to be a HubSpot client from createHubSpotClient');
  }
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { idProperty } = options;
  if (idProperty !== undefined && (typeof idProperty !== 'string' || idProperty.trim() === '')) {
    throw new TypeError('Expected `idProperty` to be a non-empty string');
  }
  return {
    operation: spec.operation,
    maxBatchSize: hubSpotDefaults.maxBatchSize,
    idempotent: true,
    validate: (item, index) => checkTicketUpdateInput(item, index, idProperty),
    sizeOf: (item) => JSON.stringify(toWireInput(item, idProperty)).length,
    async send(batch, ctx) {
      const wire: TicketUpdateInput[] = [];
      // Positions of the sent inputs, kept only once an input was held back.
      let sentAt: number[] | undefined;
      // HubSpot refuses a whole batch that names one id twice: a repeat waits for a later batch.
      const ids = new Set<string>();
      for (let position = 0; position < batch.length; position += 1) {
        const { item } = batch[position]!;
        if (ids.has(item.id)) {
          sentAt ??= Array.from(wire, (_, at) => at);
          continue;
        }
        ids.add(item.id);
        wire.push(toWireInput(item, idProperty));
        sentAt?.push(position);
      }
      const { data, error, response } = await spec.post(client, wire, ctx.signal);
      let mapped: ItemResult<R>[] | undefined;
      if (response.ok) {
        mapped = mapTicketBatchResponse<R>(wire, data, response.status);
      } else {
        if (response.status === 400) mapped = mapTicketBatchRejection<R>(wire, error, 400);
        if (!mapped) {
          throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
        }
      }
      if (!sentAt) return mapped;
      const results = Array.from(batch, (): ItemResult<R> => ({ kind: 'resend' }));
      mapped.forEach((result, at) => {
        results[sentAt[at]!] = result;
      });
      return results;
    },
    classifyError(error): FailureClass | undefined {
      // The write may have happened; the answer is lost, as with a response cut short.
      if (error instanceof InvalidBatchResponseError) {
        return { kind: 'unknown', reason: error.code };
      }
      return undefined;
    },
  };
}

/** Runs a ticket batch write through `runBulk` with the client's rate limiter. */
export async function runTicketBatchWrite<R extends Ticket>(
  spec: TicketBatchWriteSpec,
  client: Pick<HubSpotClient, 'api' | 'limiter'>,
  inputs: Iterable<TicketUpdateInput> | AsyncIterable<TicketUpdateInput>,
  options: TicketBatchWriteOptions<R> = {},
): Promise<BulkReport<TicketUpdateInput, R>> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const adapter = createTicketBatchWriteAdapter<R>(spec, client, {
    idProperty: options.idProperty,
  });
  return runBulk(inputs, adapter, {
    ...pickRunBulkOptions<TicketUpdateInput, R>(options),
    limiter: client.limiter,
  });
}
