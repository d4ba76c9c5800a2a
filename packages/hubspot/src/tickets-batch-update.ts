/**
 * `tickets.batchUpdate`: writes any number of ticket updates through core's `runBulk`, which does
 * the batching, concurrency, retries, throttling, accounting and journaling. This module only
 * says how one batch is sent to HubSpot and how its answer maps back to each input.
 */
import {
  apiErrorFromResponse,
  type BulkAdapter,
  type BulkReport,
  type FailureClass,
  type ItemResult,
  type RunBulkOptions,
  rateLimiterOf,
  runBulk,
} from '@bulk-clients/core';
import { hubSpotDefaults, retryAfterFromHeaders } from './defaults.js';
import type { HubSpotClient } from './index.js';
import {
  InvalidBatchResponseError,
  mapTicketBatchRejection,
  mapTicketBatchResponse,
} from './ticket-batch-response.js';
import { checkTicketUpdateInput, toWireInput } from './ticket-update-input.js';
import type { Ticket, TicketUpdateInput } from './types.js';

/** Name of the operation in reports and journals. */
export const TICKETS_BATCH_UPDATE = 'hubspot.tickets.batchUpdate';

const PATH = '/crm/v3/objects/tickets/batch/update';

/** Options of {@link createTicketsBatchUpdateAdapter}. */
export interface TicketsBatchUpdateAdapterOptions {
  /**
   * The unique-value property that the `id` of every input holds a value of, for inputs that do
   * not name an `idProperty` themselves. Leave it out to address tickets by ticket id.
   * @default undefined (ticket ids)
   * @example 'external_ref'
   */
  idProperty?: string | undefined;
}

/** The options of `runBulk` that a batch update passes through. */
type PassedRunBulkOptions = Pick<
  RunBulkOptions<TicketUpdateInput, Ticket>,
  | 'batchSize'
  | 'maxBatchBytes'
  | 'concurrency'
  | 'retry'
  | 'maxResends'
  | 'requestTimeoutMs'
  | 'signal'
  | 'abortMode'
  | 'journal'
  | 'runId'
  | 'collect'
  | 'onItem'
  | 'onDrop'
  | 'onProgress'
  | 'clock'
>;

const PASSED_OPTIONS = [
  'batchSize',
  'maxBatchBytes',
  'concurrency',
  'retry',
  'maxResends',
  'requestTimeoutMs',
  'signal',
  'abortMode',
  'journal',
  'runId',
  'collect',
  'onItem',
  'onDrop',
  'onProgress',
  'clock',
] as const satisfies readonly (keyof PassedRunBulkOptions)[];

/**
 * Options of `client.tickets.batchUpdate`: the vendor option `idProperty`, and the `runBulk`
 * options that make sense for it (documented in `@bulk-clients/core`). `batchSize` defaults to,
 * and cannot exceed, HubSpot's 100 inputs per request. The client's own rate limiter is always
 * used; give the client a shared `RateLimiter` to share a budget between clients.
 */
export interface TicketsBatchUpdateOptions
  extends TicketsBatchUpdateAdapterOptions,
    PassedRunBulkOptions {}

/** The report of a batch update: one outcome per input, `value` being the ticket HubSpot returned. */
export type TicketsBatchUpdateReport = BulkReport<TicketUpdateInput, Ticket>;

/**
 * The bulk adapter of `POST /crm/v3/objects/tickets/batch/update`, to hand to core's `runBulk`
 * (with `limiter: rateLimiterOf(client.api)`, and a journal when the run must be resumable).
 *
 * - Inputs whose property values are not all strings (or that lack an `id`) fail before
 *   sending, naming the field and the input's index; `''` is sent, and clears the value.
 * - HubSpot refuses a whole batch that names one id twice, so a batch never carries two inputs
 *   with the same `id`: a later one is deferred (`resend`) to a following batch, sent once the
 *   earlier one is written, so updates of one ticket apply in input order.
 * - A 207 fails exactly the inputs named in `errors[].context.ids`, see `mapTicketBatchResponse`.
 * - Updates are idempotent: a batch whose answer was lost is sent again.
 *
 * @example
 * const report = await runBulk(rows, createTicketsBatchUpdateAdapter(hubspot), {
 *   limiter: rateLimiterOf(hubspot.api),
 *   journal,
 * });
 */
export function createTicketsBatchUpdateAdapter(
  client: Pick<HubSpotClient, 'api'>,
  options: TicketsBatchUpdateAdapterOptions = {},
): BulkAdapter<TicketUpdateInput, Ticket> {
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
  const { api } = client;
  return {
    operation: TICKETS_BATCH_UPDATE,
    maxBatchSize: hubSpotDefaults.maxBatchSize,
    idempotent: true,
    validate: (item, index) => checkTicketUpdateInput(item, index, idProperty),
    sizeOf: (item) => JSON.stringify(toWireInput(item, idProperty)).length,
    async send(batch, ctx) {
      const results: ItemResult<Ticket>[] = new Array(batch.length);
      const wire: TicketUpdateInput[] = [];
      const sentAt: number[] = [];
      const ids = new Set<string>();
      batch.forEach(({ item }, position) => {
        if (ids.has(item.id)) {
          results[position] = { kind: 'resend' };
          return;
        }
        ids.add(item.id);
        wire.push(toWireInput(item, idProperty));
        sentAt.push(position);
      });
      const { data, error, response } = await api.POST(PATH, {
        body: { inputs: wire },
        signal: ctx.signal,
      });
      let mapped: ItemResult<Ticket>[] | undefined;
      if (response.ok) {
        mapped = mapTicketBatchResponse(wire, data, response.status);
      } else {
        if (response.status === 400) mapped = mapTicketBatchRejection(wire, error, 400);
        if (!mapped) {
          throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
        }
      }
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

/**
 * Updates tickets in batches of up to 100 through `runBulk`, with the client's rate limiter.
 * Resolves with the core report: every input counted once as `succeeded` (with the ticket
 * HubSpot returned), `failed` (with HubSpot's reason), `unknown` or `skipped`.
 */
export async function ticketsBatchUpdate(
  client: HubSpotClient,
  inputs: Iterable<TicketUpdateInput> | AsyncIterable<TicketUpdateInput>,
  options: TicketsBatchUpdateOptions = {},
): Promise<TicketsBatchUpdateReport> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const adapter = createTicketsBatchUpdateAdapter(client, { idProperty: options.idProperty });
  const run: RunBulkOptions<TicketUpdateInput, Ticket> = { limiter: rateLimiterOf(client.api) };
  for (const name of PASSED_OPTIONS) {
    if (options[name] !== undefined) (run as Record<string, unknown>)[name] = options[name];
  }
  return runBulk(inputs, adapter, run);
}
