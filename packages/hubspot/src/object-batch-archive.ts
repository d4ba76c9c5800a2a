/**
 * `objects(type).batchArchive`: moves records to the recycling bin through core's `runBulk`.
 * HubSpot answers 204 and ignores ids that match no active record, so archiving is idempotent
 * and every input of an answered batch succeeds.
 */
import { apiErrorFromResponse, type ItemResult } from '@bulk-clients/core';
import { hubSpotDefaults, retryAfterFromHeaders } from './defaults.js';
import { mapObjectBatchRejection } from './object-batch-response.js';
import {
  checkClient,
  classifyBatchError,
  type IsolatingAdapter,
  type PostResult,
} from './object-batch-write.js';
import { invalid, isPlainObject, kindOf } from './object-update-input.js';
import type { HubSpotClient, ObjectRef } from './types.js';

/** What differs between the archives of object types and versions. */
export interface ObjectBatchArchiveSpec {
  /** Name in reports and journals, e.g. `hubspot.contacts.batchArchive`. */
  operation: string;
  /** One record in messages: `contact`. */
  noun: string;
  /** Sends one batch of ids. */
  post(
    client: Pick<HubSpotClient, 'api'>,
    inputs: ObjectRef[],
    signal: AbortSignal,
  ): Promise<PostResult>;
}

/** The bulk adapter of an object batch archive (`idempotent: true`); `value` is the input. */
export function createObjectBatchArchiveAdapter(
  spec: ObjectBatchArchiveSpec,
  client: Pick<HubSpotClient, 'api'>,
): IsolatingAdapter<ObjectRef, ObjectRef> {
  checkClient(client);
  const { noun } = spec;
  return {
    operation: spec.operation,
    maxBatchSize: hubSpotDefaults.maxBatchSize,
    idempotent: true,
    // Archive bodies carry no property values: nothing to isolate.
    isolationRequests: 0,
    validate(item, index) {
      if (!isPlainObject(item) || typeof item.id !== 'string' || item.id.trim() === '') {
        return invalid(
          'id',
          `Input ${index}: \`id\` must be a non-empty string (the ${noun} id), got ${kindOf(isPlainObject(item) ? item.id : item)}`,
        );
      }
      return undefined;
    },
    async send(batch, ctx) {
      // One id once per request; a repeat shares the answer of the first.
      const wire = [...new Set(batch.map(({ item }) => item.id))].map((id) => ({ id }));
      const { error, response } = await spec.post(client, wire, ctx.signal);
      if (response.ok) {
        return batch.map(
          ({ item }): ItemResult<ObjectRef> => ({
            kind: 'succeeded',
            value: { id: item.id },
          }),
        );
      }
      if (response.status === 400) {
        const mapped = mapObjectBatchRejection(
          wire.map(({ id }) => ({ id, properties: {} })),
          error,
          400,
          noun,
        );
        if (mapped) {
          const byId = new Map(wire.map(({ id }, at) => [id, mapped[at]!]));
          return batch.map(({ item }) => {
            const result = byId.get(item.id)!;
            return result.kind === 'succeeded'
              ? { kind: 'succeeded', value: { id: item.id } }
              : result;
          }) as ItemResult<ObjectRef>[];
        }
      }
      throw apiErrorFromResponse(response, error, { retryAfter: retryAfterFromHeaders });
    },
    classifyError: classifyBatchError,
  };
}
