/**
 * `objects(type).batchCreate`: creates records through core's `runBulk`. HubSpot's create is not
 * idempotent (the same input sent twice makes two records), so a batch whose answer was lost is
 * never simply sent again: with `dedupeProperty` it is read back by that unique property first
 * (found inputs were created; the others are sent again), and without it its inputs end
 * `unknown`.
 */
import {
  ApiError,
  apiErrorFromResponse,
  type BatchItem,
  type ItemResult,
  type ReconcileResult,
} from '@bulk-clients/core';
import { isolateRefusedInputs, isUnnamedInputRefusal } from './batch-isolation.js';
import { hubSpotDefaults, retryAfterFromHeaders } from './defaults.js';
import { InvalidBatchResponseError, isRecord, itemErrorOf } from './object-batch-response.js';
import {
  apiItemError,
  checkClient,
  classifyBatchError,
  type IsolatingAdapter,
  isDefiniteRefusal,
  type PostResult,
} from './object-batch-write.js';
import { checkProperties, invalid, isPlainObject, kindOf } from './object-update-input.js';
import type {
  CrmObject,
  HubSpotClient,
  ObjectBatchCreateAdapterOptions,
  ObjectCreateInput,
} from './types.js';

/** What differs between the creates of object types and versions. */
export interface ObjectBatchCreateSpec {
  /** Name in reports and journals, e.g. `hubspot.contacts.batchCreate`. */
  operation: string;
  /** One record in messages: `contact`. */
  noun: string;
  /** Sends one batch of creates. */
  post(
    client: Pick<HubSpotClient, 'api'>,
    inputs: ObjectCreateInput[],
    signal: AbortSignal,
  ): Promise<PostResult>;
  /** Reads records by the values of a unique property (for the read-back of a lost answer). */
  read(
    client: Pick<HubSpotClient, 'api'>,
    values: string[],
    property: string,
    signal: AbortSignal,
  ): Promise<PostResult>;
}

/** One create on the wire, with how its answer is found again. */
export interface SentCreate {
  input: ObjectCreateInput;
  /** The trace id HubSpot echoes on the created record and in its errors. */
  traceId: string;
  /** The item's index in the run, for messages. */
  index: number;
}

/**
 * The bulk adapter of an object batch create (`idempotent: false`). Every input is sent with an
 * `objectWriteTraceId` (the caller's, else `row-<index>`) that HubSpot echoes on the record it
 * created and in the error of a refused input, which is how answers are matched to inputs.
 */
export function createObjectBatchCreateAdapter(
  spec: ObjectBatchCreateSpec,
  client: Pick<HubSpotClient, 'api'>,
  options: ObjectBatchCreateAdapterOptions = {},
): IsolatingAdapter<ObjectCreateInput, CrmObject> {
  checkClient(client);
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { dedupeProperty, isolate = true } = options;
  if (
    dedupeProperty !== undefined &&
    (typeof dedupeProperty !== 'string' || dedupeProperty.trim() === '')
  ) {
    throw new TypeError('Expected `dedupeProperty` to be a non-empty string');
  }
  const { noun } = spec;
  const describe = (sent: SentCreate) => `new ${noun}, input ${sent.index}`;
  let isolationRequests = 0;

  const sendWire = async (sent: SentCreate[], signal: AbortSignal) => {
    const { data, error, response } = await spec.post(
      client,
      sent.map((s) => ({ ...s.input, objectWriteTraceId: s.traceId })),
      signal,
    );
    if (response.ok) return mapCreateBatchResponse(sent, data, response.status, noun, describe);
    throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
  };

  const adapter: IsolatingAdapter<ObjectCreateInput, CrmObject> = {
    operation: spec.operation,
    maxBatchSize: hubSpotDefaults.maxBatchSize,
    idempotent: false,
    get isolationRequests() {
      return isolationRequests;
    },
    validate: (item, index) => checkCreateInput(item, index, noun, dedupeProperty),
    async send(batch, ctx) {
      const sent = batch.map(toSentCreate);
      try {
        return await sendWire(sent, ctx.signal);
      } catch (error) {
        if (!isolate || !isUnnamedInputRefusal(error)) throw error;
        return isolateRefusedInputs<SentCreate, CrmObject>(sent, error, {
          send: (inputs) => sendWire(inputs, ctx.signal),
          refusedAlone: (input, refusal) => ({
            kind: 'failed',
            error: itemErrorOf(
              refusal.body as object,
              { id: input.traceId, properties: input.input.properties },
              400,
              noun,
              describe(input),
            ),
          }),
          // A create is not sent again blindly: only a refusal proves nothing was created.
          afterFailure: (_, failure) =>
            isDefiniteRefusal(failure)
              ? { kind: 'failed', error: apiItemError(failure) }
              : failure instanceof ApiError && failure.status === 429
                ? { kind: 'resend' }
                : {
                    kind: 'unknown',
                    error: {
                      code: 'isolation_lost',
                      message: `Isolating the inputs of a refused batch lost the answer: ${messageOf(failure)}`,
                    },
                  },
          onRequest: () => {
            isolationRequests += 1;
          },
          signal: ctx.signal,
        });
      }
    },
    classifyError: classifyBatchError,
  };
  if (dedupeProperty !== undefined) {
    adapter.reconcile = (batch, ctx) => readBack(spec, client, batch, dedupeProperty, ctx.signal);
  }
  return adapter;
}

function toSentCreate({ item, index }: BatchItem<ObjectCreateInput>): SentCreate {
  return { input: item, traceId: item.objectWriteTraceId ?? `row-${index}`, index };
}

/**
 * What a lost create did, read back by the unique property every input set: an input whose value
 * a record now holds was created (`succeeded` with that record), the others are `absent` and are
 * sent again.
 */
async function readBack(
  spec: ObjectBatchCreateSpec,
  client: Pick<HubSpotClient, 'api'>,
  batch: readonly BatchItem<ObjectCreateInput>[],
  property: string,
  signal: AbortSignal,
): Promise<ReconcileResult<CrmObject>[]> {
  const values = batch.map(({ item }) => item.properties[property]!);
  const { data, error, response } = await spec.read(client, [...new Set(values)], property, signal);
  if (!response.ok) {
    throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
  }
  if (!isRecord(data) || !Array.isArray(data.results)) {
    throw new InvalidBatchResponseError(
      `HubSpot answered the read-back with ${response.status} without a \`results\` array`,
      data,
    );
  }
  const byValue = new Map<string, CrmObject>();
  for (const found of data.results as CrmObject[]) {
    const value = found?.properties?.[property];
    if (typeof value === 'string') byValue.set(value.toLowerCase(), found);
  }
  return values.map((value) => {
    const found = byValue.get(value.toLowerCase());
    return found ? { kind: 'succeeded', value: found } : { kind: 'absent' };
  });
}

/**
 * Maps a 201 or 207 create answer to one result per sent input: records and errors are matched
 * by the `objectWriteTraceId` HubSpot echoes (errors also by their input position in
 * `context.ids`); a complete answer without trace ids is taken in order. An input the answer
 * does not account for is `unknown`: it may have been created.
 */
export function mapCreateBatchResponse(
  sent: readonly SentCreate[],
  body: unknown,
  status: number,
  noun: string,
  describe: (sent: SentCreate) => string,
): ItemResult<CrmObject>[] {
  if (!isRecord(body) || !Array.isArray(body.results)) {
    throw new InvalidBatchResponseError(
      `HubSpot answered ${status} without a \`results\` array`,
      body,
    );
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  const positionOf = new Map(sent.map((s, position) => [s.traceId, position]));
  const results: (ItemResult<CrmObject> | undefined)[] = new Array(sent.length).fill(undefined);
  for (const entry of errors) {
    if (!isRecord(entry)) continue;
    const context = isRecord(entry.context) ? entry.context : {};
    const traced = Array.isArray(context.objectWriteTraceId) ? context.objectWriteTraceId : [];
    const positions = traced.map((id) => positionOf.get(String(id)));
    if (positions.length === 0 && Array.isArray(context.ids)) {
      for (const id of context.ids) {
        const position = Number(id);
        if (Number.isInteger(position) && position >= 0 && position < sent.length) {
          positions.push(position);
        }
      }
    }
    for (const position of positions) {
      if (position === undefined || results[position] !== undefined) continue;
      const s = sent[position]!;
      results[position] = {
        kind: 'failed',
        error: itemErrorOf(
          entry,
          { id: s.traceId, properties: s.input.properties },
          status,
          noun,
          describe(s),
        ),
      };
    }
  }
  const records = (body.results as unknown[]).filter(
    (r): r is CrmObject & { objectWriteTraceId?: string } =>
      isRecord(r) && typeof r.id === 'string',
  );
  const untraced = records.every((r) => r.objectWriteTraceId === undefined);
  if (untraced && errors.length === 0 && records.length === sent.length) {
    return records.map((value) => ({ kind: 'succeeded', value }));
  }
  for (const record of records) {
    const position =
      record.objectWriteTraceId === undefined
        ? undefined
        : positionOf.get(record.objectWriteTraceId);
    if (position !== undefined && results[position] === undefined) {
      results[position] = { kind: 'succeeded', value: record };
    }
  }
  return results.map(
    (result, position) =>
      result ?? {
        kind: 'unknown',
        error: {
          code: 'missing_from_answer',
          message: `HubSpot's answer neither lists nor refuses this input (${describe(sent[position]!)}): it may have been created`,
        },
      },
  );
}

/** Why a create input cannot be sent, or `undefined`. */
function checkCreateInput(
  input: unknown,
  index: number,
  noun: string,
  dedupeProperty: string | undefined,
) {
  const record = () => `Input ${index} (new ${noun})`;
  if (!isPlainObject(input)) {
    return invalid(
      undefined,
      `Input ${index} must be an object with \`properties\`, got ${kindOf(input)}`,
    );
  }
  if (!isPlainObject(input.properties)) {
    return invalid(
      'properties',
      `${record()}: \`properties\` must be an object of strings, got ${kindOf(input.properties)}`,
    );
  }
  if (input.objectWriteTraceId !== undefined && typeof input.objectWriteTraceId !== 'string') {
    return invalid(
      'objectWriteTraceId',
      `${record()}: \`objectWriteTraceId\` must be a string, got ${kindOf(input.objectWriteTraceId)}`,
    );
  }
  if (input.associations !== undefined && !Array.isArray(input.associations)) {
    return invalid(
      'associations',
      `${record()}: \`associations\` must be an array, got ${kindOf(input.associations)}`,
    );
  }
  const problem = checkProperties(input.properties, record);
  if (problem) return problem;
  if (dedupeProperty !== undefined) {
    const value = input.properties[dedupeProperty];
    if (typeof value !== 'string' || value.trim() === '') {
      return invalid(
        `properties.${dedupeProperty}`,
        `${record()}: property "${dedupeProperty}" (the dedupeProperty) must hold a value, so that a lost answer can be checked`,
      );
    }
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
