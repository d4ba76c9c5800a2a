/**
 * What the batch writes that address records by id or unique property (update, upsert) share,
 * for tickets and every other object type: the checks before sending, one id per batch, the
 * mapping of HubSpot's answer, isolating the inputs of a batch refused whole, and the `runBulk`
 * options they pass through. Each operation only says which endpoint it calls.
 */
import {
  ApiError,
  apiErrorFromResponse,
  type BulkAdapter,
  type BulkReport,
  type FailureClass,
  type ItemError,
  type ItemResult,
  pickRunBulkOptions,
  runBulk,
} from '@bulk-clients/core';
import { isolateRefusedInputs, isUnnamedInputRefusal } from './batch-isolation.js';
import { hubSpotDefaults, retryAfterFromHeaders } from './defaults.js';
import {
  InvalidBatchResponseError,
  itemErrorOf,
  mapObjectBatchRejection,
  mapObjectBatchResponse,
} from './object-batch-response.js';
import { checkUpdateInput, toWireInput } from './object-update-input.js';
import type {
  CrmObject,
  HubSpotClient,
  ObjectBatchWriteAdapterOptions,
  ObjectBatchWriteOptions,
  ObjectBatchWriteReport,
  ObjectUpdateInput,
} from './types.js';

/** The answer of one batch request, as openapi-fetch gives it. */
export interface PostResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** What differs between the batch writes by id or unique property. */
export interface ObjectBatchWriteSpec {
  /** Name in reports and journals, e.g. `hubspot.tickets.batchUpdate`. */
  operation: string;
  /** One record in messages: `ticket`, `contact` (see `recordNoun`). */
  noun: string;
  /** Sends one batch to the operation's endpoint. */
  post(
    client: Pick<HubSpotClient, 'api'>,
    inputs: ObjectUpdateInput[],
    signal: AbortSignal,
  ): Promise<PostResult>;
}

/**
 * A bulk adapter that counts the requests it sent to isolate the inputs of batches HubSpot
 * refused whole (the engine counts them in `requests` only through the run's report, see
 * {@link withIsolationRequests}).
 */
export interface IsolatingAdapter<T, R> extends BulkAdapter<T, R> {
  /** Requests sent so far to isolate refused inputs. */
  readonly isolationRequests: number;
}

/**
 * Builds the bulk adapter of a batch write by id or unique property. Both writes are
 * idempotent: an update writes the same values again, and an upsert by unique property finds the
 * record its first attempt created, so a batch whose answer was lost is simply sent again.
 */
export function createObjectBatchWriteAdapter<R extends CrmObject>(
  spec: ObjectBatchWriteSpec,
  client: Pick<HubSpotClient, 'api'>,
  options: ObjectBatchWriteAdapterOptions = {},
): IsolatingAdapter<ObjectUpdateInput, R> {
  checkClient(client);
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { idProperty, isolate = true } = options;
  if (idProperty !== undefined && (typeof idProperty !== 'string' || idProperty.trim() === '')) {
    throw new TypeError('Expected `idProperty` to be a non-empty string');
  }
  const { noun } = spec;
  let isolationRequests = 0;
  const sendWire = async (wire: ObjectUpdateInput[], signal: AbortSignal) => {
    const { data, error, response } = await spec.post(client, wire, signal);
    if (response.ok) return mapObjectBatchResponse<R>(wire, data, response.status, noun);
    const mapped =
      response.status === 400 ? mapObjectBatchRejection<R>(wire, error, 400, noun) : undefined;
    if (mapped) return mapped;
    throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
  };
  return {
    operation: spec.operation,
    maxBatchSize: hubSpotDefaults.maxBatchSize,
    idempotent: true,
    get isolationRequests() {
      return isolationRequests;
    },
    validate: (item, index) => checkUpdateInput(item, index, idProperty, noun),
    sizeOf: (item) => JSON.stringify(toWireInput(item, idProperty)).length,
    async send(batch, ctx) {
      const wire: ObjectUpdateInput[] = [];
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
      let mapped: ItemResult<R>[];
      try {
        mapped = await sendWire(wire, ctx.signal);
      } catch (error) {
        if (!isolate || !isUnnamedInputRefusal(error)) throw error;
        mapped = await isolateRefusedInputs<ObjectUpdateInput, R>(wire, error, {
          send: (inputs) => sendWire(inputs, ctx.signal),
          refusedAlone: (input, refusal) => ({
            kind: 'failed',
            error: itemErrorOf(refusal.body as object, input, 400, noun),
          }),
          // Idempotent: whatever became of the request, sending the inputs again is safe.
          afterFailure: (_, failure) =>
            isDefiniteRefusal(failure)
              ? { kind: 'failed', error: apiItemError(failure) }
              : { kind: 'resend' },
          onRequest: () => {
            isolationRequests += 1;
          },
          signal: ctx.signal,
        });
      }
      if (!sentAt) return mapped;
      const results = Array.from(batch, (): ItemResult<R> => ({ kind: 'resend' }));
      mapped.forEach((result, at) => {
        results[sentAt[at]!] = result;
      });
      return results;
    },
    classifyError: classifyBatchError,
  };
}

/** Throws a `TypeError` unless `client` comes from `createHubSpotClient`. */
export function checkClient(client: Pick<HubSpotClient, 'api'>): void {
  if (!client || typeof client !== 'object' || !client.api) {
    throw new TypeError('Expected `client` to be a HubSpot client from createHubSpotClient');
  }
}

/** The engine's view of a failed batch request: a 2xx that is not a batch answer is a lost answer. */
export function classifyBatchError(error: unknown): FailureClass | undefined {
  // The write may have happened; the answer is lost, as with a response cut short.
  if (error instanceof InvalidBatchResponseError) {
    return { kind: 'unknown', reason: error.code };
  }
  return undefined;
}

/** A refusal that no resend changes: a 4xx other than 408 and 429. */
export function isDefiniteRefusal(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** The per-input error of a failed request. */
export function apiItemError(error: ApiError): ItemError {
  return { code: error.code, message: error.message, status: error.status, vendor: error.body };
}

/**
 * The run's report with the requests its adapter spent isolating refused inputs, added to
 * `requests` and shown as `isolationRequests`.
 */
export function withIsolationRequests<T, R>(
  report: BulkReport<T, R>,
  adapter: IsolatingAdapter<T, R>,
): ObjectBatchWriteReport<T, R> {
  const isolationRequests = adapter.isolationRequests;
  return { ...report, requests: report.requests + isolationRequests, isolationRequests };
}

/** Runs a bulk adapter through `runBulk` with the client's rate limiter. */
export async function runObjectBatch<T, R>(
  adapter: IsolatingAdapter<T, R>,
  client: Pick<HubSpotClient, 'limiter'>,
  inputs: Iterable<T> | AsyncIterable<T>,
  options: object,
): Promise<ObjectBatchWriteReport<T, R>> {
  const report = await runBulk(inputs, adapter, {
    ...pickRunBulkOptions<T, R>(options),
    limiter: client.limiter,
  });
  return withIsolationRequests(report, adapter);
}

/** Runs a batch write by id or unique property through `runBulk` with the client's rate limiter. */
export async function runObjectBatchWrite<R extends CrmObject>(
  spec: ObjectBatchWriteSpec,
  client: Pick<HubSpotClient, 'api' | 'limiter'>,
  inputs: Iterable<ObjectUpdateInput> | AsyncIterable<ObjectUpdateInput>,
  options: ObjectBatchWriteOptions<ObjectUpdateInput, R> = {},
): Promise<ObjectBatchWriteReport<ObjectUpdateInput, R>> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const adapter = createObjectBatchWriteAdapter<R>(spec, client, {
    idProperty: options.idProperty,
    isolate: options.isolate,
  });
  return runObjectBatch(adapter, client, inputs, options);
}
