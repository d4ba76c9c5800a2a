/**
 * `client.objects(objectType)`: the bulk operations of one CRM object type at the client's API
 * version. Each operation is the generic one of its file, pointed at the type's batch path.
 */
import { objectBatchPath } from './api-version.js';
import { createObjectBatchArchiveAdapter } from './object-batch-archive.js';
import {
  createObjectBatchCreateAdapter,
  type ObjectBatchCreateSpec,
} from './object-batch-create.js';
import { type ObjectBatchReadSpec, readObjects } from './object-batch-read.js';
import {
  type ObjectBatchWriteSpec,
  type PostResult,
  runObjectBatch,
  runObjectBatchWrite,
} from './object-batch-write.js';
import { checkObjectType, recordNoun } from './object-type.js';
import type {
  CrmObject,
  HubSpotApiVersion,
  HubSpotClient,
  HubSpotObjects,
  ObjectBatchAction,
  ObjectType,
  UpsertedCrmObject,
} from './types.js';

type Client = Pick<HubSpotClient, 'api' | 'limiter'>;

/** Name of an object operation in reports and journals: `hubspot.contacts.batchUpdate`. */
export function objectOperationName(objectType: string, operation: string): string {
  return `hubspot.${objectType}.${operation}`;
}

/**
 * Sends one body to the batch path of `action` for `objectType` at `version`. The v3 and
 * 2026-03 paths take the same bodies, so one call serves both.
 */
export function postObjectBatch(
  client: Pick<HubSpotClient, 'api'>,
  version: HubSpotApiVersion,
  objectType: string,
  action: ObjectBatchAction,
  body: unknown,
  signal: AbortSignal,
  query?: { archived?: boolean },
): Promise<PostResult> {
  // The body was shaped by the operation from the same schema types every path declares.
  const post = client.api.POST as (
    path: string,
    init: {
      params: { path: { objectType: string }; query?: object };
      body: unknown;
      signal: AbortSignal;
    },
  ) => Promise<PostResult>;
  return post(objectBatchPath(version, action), {
    params: { path: { objectType }, ...(query ? { query } : {}) },
    body,
    signal,
  });
}

/** The specs of every batch operation of one object type at one version. */
export function objectSpecs(version: HubSpotApiVersion, objectType: ObjectType) {
  const noun = recordNoun(objectType);
  const write = (action: 'update' | 'upsert', operation: string): ObjectBatchWriteSpec => ({
    operation: objectOperationName(objectType, operation),
    noun,
    post: (client, inputs, signal) =>
      postObjectBatch(client, version, objectType, action, { inputs }, signal),
  });
  const read: ObjectBatchReadSpec = {
    operation: objectOperationName(objectType, 'batchRead'),
    noun,
    post: (client, body, archived, signal) =>
      postObjectBatch(
        client,
        version,
        objectType,
        'read',
        body,
        signal,
        archived ? { archived } : undefined,
      ),
  };
  const create: ObjectBatchCreateSpec = {
    operation: objectOperationName(objectType, 'batchCreate'),
    noun,
    post: (client, inputs, signal) =>
      postObjectBatch(client, version, objectType, 'create', { inputs }, signal),
    read: (client, values, property, signal) =>
      read.post(
        client,
        {
          inputs: values.map((id) => ({ id })),
          idProperty: property,
          properties: [property],
          propertiesWithHistory: [],
        },
        false,
        signal,
      ),
  };
  return {
    update: write('update', 'batchUpdate'),
    upsert: write('upsert', 'batchUpsert'),
    create,
    read,
    archive: {
      operation: objectOperationName(objectType, 'batchArchive'),
      noun,
      post: (client: Pick<HubSpotClient, 'api'>, inputs: { id: string }[], signal: AbortSignal) =>
        postObjectBatch(client, version, objectType, 'archive', { inputs }, signal),
    },
  };
}

/**
 * The bulk operations of `objectType` through `client` at `version`; throws a `TypeError` naming
 * `objectType` when the batch endpoints do not take it.
 */
export function objectsClient(
  client: Client,
  version: HubSpotApiVersion,
  objectType: ObjectType,
): HubSpotObjects {
  checkObjectType(objectType);
  const specs = objectSpecs(version, objectType);
  return Object.freeze({
    objectType,
    batchUpdate: (inputs, options = {}) =>
      runObjectBatchWrite<CrmObject>(specs.update, client, inputs, options),
    batchUpsert: (inputs, options = {}) =>
      runObjectBatchWrite<UpsertedCrmObject>(specs.upsert, client, inputs, options),
    batchCreate: (inputs, options = {}) =>
      runObjectBatch(
        createObjectBatchCreateAdapter(specs.create, client, {
          dedupeProperty: options.dedupeProperty,
          isolate: options.isolate,
        }),
        client,
        inputs,
        options,
      ),
    batchArchive: (inputs, options = {}) =>
      runObjectBatch(
        createObjectBatchArchiveAdapter(specs.archive, client),
        client,
        inputs,
        options,
      ),
    batchRead: (ids, options = {}) => readObjects(specs.read, client, ids, options),
  } satisfies HubSpotObjects);
}
