/**
 * `objects(type).batchRead`: reads records by id (or unique property value) in batches of 100
 * (50 with `propertiesWithHistory`) through core's `runBulk`, for its retries, rate limit and
 * per-id outcomes, and hands each record to the caller as its batch is answered.
 */
import {
  apiErrorFromResponse,
  type BulkAdapter,
  type ItemResult,
  pickRunBulkOptions,
  runBulk,
} from '@bulk-clients/core';
import { hubSpotDefaults, retryAfterFromHeaders } from './defaults.js';
import {
  InvalidBatchResponseError,
  isRecord,
  itemErrorOf,
  namedPositions,
} from './object-batch-response.js';
import { checkClient, classifyBatchError, type PostResult } from './object-batch-write.js';
import { invalid, kindOf } from './object-update-input.js';
import type {
  CrmObject,
  HubSpotClient,
  ObjectBatchReadAdapterOptions,
  ObjectBatchReadOptions,
  ObjectRef,
} from './types.js';

/** The body of one batch read. */
export interface ObjectBatchReadBody {
  inputs: ObjectRef[];
  properties: string[];
  propertiesWithHistory: string[];
  idProperty?: string;
}

/** What differs between the reads of object types and versions. */
export interface ObjectBatchReadSpec {
  /** Name in reports and journals, e.g. `hubspot.contacts.batchRead`. */
  operation: string;
  /** One record in messages: `contact`. */
  noun: string;
  /** Sends one batch read. */
  post(
    client: Pick<HubSpotClient, 'api'>,
    body: ObjectBatchReadBody,
    archived: boolean,
    signal: AbortSignal,
  ): Promise<PostResult>;
}

/**
 * The bulk adapter of an object batch read (`idempotent: true`): an id HubSpot finds succeeds
 * with its record, one it reports missing fails with `OBJECT_NOT_FOUND`.
 */
export function createObjectBatchReadAdapter(
  spec: ObjectBatchReadSpec,
  client: Pick<HubSpotClient, 'api'>,
  options: ObjectBatchReadAdapterOptions = {},
): BulkAdapter<string | ObjectRef, CrmObject> {
  checkClient(client);
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const properties = names(options.properties, 'properties');
  const propertiesWithHistory = names(options.propertiesWithHistory, 'propertiesWithHistory');
  const { idProperty, archived = false } = options;
  if (idProperty !== undefined && (typeof idProperty !== 'string' || idProperty.trim() === '')) {
    throw new TypeError('Expected `idProperty` to be a non-empty string');
  }
  const { noun } = spec;
  const byProperty = idProperty !== undefined && idProperty !== 'hs_object_id';
  return {
    operation: spec.operation,
    maxBatchSize:
      propertiesWithHistory.length > 0
        ? hubSpotDefaults.maxBatchReadWithHistory
        : hubSpotDefaults.maxBatchSize,
    idempotent: true,
    validate(item, index) {
      const id = idOf(item);
      if (typeof id !== 'string' || id.trim() === '') {
        return invalid(
          'id',
          `Input ${index}: the id must be a non-empty string, got ${kindOf(id)}`,
        );
      }
      return undefined;
    },
    async send(batch, ctx) {
      const ids = batch.map(({ item }) => idOf(item) as string);
      const body: ObjectBatchReadBody = {
        inputs: [...new Set(ids)].map((id) => ({ id })),
        // Read by a unique property, its value is what matches a record to an id.
        properties:
          byProperty && !properties.includes(idProperty) ? [...properties, idProperty] : properties,
        propertiesWithHistory,
        ...(idProperty !== undefined ? { idProperty } : {}),
      };
      const { data, error, response } = await spec.post(client, body, archived, ctx.signal);
      if (!response.ok) {
        throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
      }
      if (!isRecord(data) || !Array.isArray(data.results)) {
        throw new InvalidBatchResponseError(
          `HubSpot answered ${response.status} without a \`results\` array`,
          data,
        );
      }
      const found = new Map<string, CrmObject>();
      for (const record of data.results as unknown[]) {
        if (!isRecord(record) || typeof record.id !== 'string') continue;
        const object = record as CrmObject;
        const key = byProperty ? object.properties?.[idProperty] : object.id;
        if (typeof key === 'string') found.set(key, object);
      }
      const inputs = ids.map((id) => ({ id, properties: {}, idProperty }));
      const missing = new Map<number, ItemResult<CrmObject>>();
      const positions = new Map<string, number[]>();
      ids.forEach((id, position) => {
        positions.set(id, [...(positions.get(id) ?? []), position]);
      });
      for (const entry of Array.isArray(data.errors) ? data.errors : []) {
        for (const position of namedPositions(entry, positions)) {
          missing.set(position, {
            kind: 'failed',
            error: itemErrorOf(entry, inputs[position]!, response.status, noun),
          });
        }
      }
      return ids.map((id, position): ItemResult<CrmObject> => {
        const record = found.get(id);
        if (record) return { kind: 'succeeded', value: record };
        return missing.get(position) ?? { kind: 'resend' };
      });
    },
    classifyError: classifyBatchError,
  };
}

/**
 * Reads records through `runBulk` with the client's rate limiter and yields each one as its
 * batch is answered (in the order batches are answered). The run waits while the caller has not
 * taken the records of the last batch, so memory stays bounded. Ids HubSpot reports missing, and
 * batches that fail for good, reach `onDrop`; breaking out of the loop stops the run.
 */
export async function* readObjects(
  spec: ObjectBatchReadSpec,
  client: Pick<HubSpotClient, 'api' | 'limiter'>,
  ids: Iterable<string | ObjectRef> | AsyncIterable<string | ObjectRef>,
  options: ObjectBatchReadOptions = {},
): AsyncGenerator<CrmObject, void, undefined> {
  const adapter = createObjectBatchReadAdapter(spec, client, options);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const ready: CrmObject[] = [];
  let wake: (() => void) | undefined;
  // Callbacks of the run held until the caller takes what is ready (one per batch in flight).
  const held: (() => void)[] = [];
  const release = () => {
    for (const resume of held.splice(0)) resume();
  };
  let finished = false;
  let failure: { error: unknown } | undefined;
  const onItem = options.onItem;
  const run = runBulk(ids, adapter, {
    ...pickRunBulkOptions<string | ObjectRef, CrmObject>(options),
    signal,
    limiter: client.limiter,
    async onItem(outcome) {
      await onItem?.(outcome);
      if (outcome.status !== 'succeeded' || !outcome.value) return;
      ready.push(outcome.value);
      wake?.();
      // Hold the run until the caller has taken what is ready.
      if (ready.length >= adapter.maxBatchSize) {
        await new Promise<void>((resolve) => {
          held.push(resolve);
        });
      }
    },
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      finished = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      while (ready.length > 0) yield ready.shift()!;
      release();
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    if (failure) throw failure.error;
  } finally {
    if (!finished) {
      stop.abort();
      release();
      await run;
    }
  }
}

function idOf(item: string | ObjectRef): unknown {
  return typeof item === 'string' ? item : isRecord(item) ? item.id : item;
}

function names(value: readonly string[] | undefined, option: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name !== '')) {
    throw new TypeError(`Expected \`${option}\` to be an array of property names`);
  }
  return [...value];
}
