/**
 * `bulk-clients hubspot update|create|upsert|archive|export --object TYPE`: the batch operations
 * of any HubSpot object type, at v3 or 2026-03. CSV columns are properties, plus `id` (or the
 * `--id-property` column) where the operation finds records; JSONL records are HubSpot's own
 * input shape, or flat as a CSV row. `export` writes `{ id, properties }` JSONL that `update`
 * takes back.
 */
import { createWriteStream } from 'node:fs';
import type { BulkAdapter } from '@bulk-clients/core';
import {
  type CrmObject,
  createHubSpotClient,
  createObjectBatchArchiveAdapter,
  createObjectBatchCreateAdapter,
  createObjectBatchReadAdapter,
  createObjectBatchWriteAdapter,
  type HubSpotApiVersion,
  hubSpotDefaults,
  type ObjectCreateInput,
  type ObjectRef,
  type ObjectType,
  type ObjectUpdateInput,
  objectSpecs,
  objectTypeProblem,
  recordNoun,
} from '@bulk-clients/hubspot';
import { usageError } from '../errors.js';
import type { JsonRow, RowRecord } from '../input/input-item.js';
import { createSpecValidator } from '../validate/spec-validator.js';
import { type PreparedBulkCommand, prepareBulkCommand } from './bulk-command.js';
import type { HUBSPOT_OBJECT_ACTIONS } from './hubspot-object-commands.js';
import { checkHubSpotColumns, idFromRow, propertiesOfRow, recordFromRow } from './hubspot-rows.js';
import type { MappedRecord } from './record-entries.js';
import type { CommandContext } from './registry.js';
import { type BulkCommandRun, runBulkCommand } from './run-bulk-command.js';
import { batchSizeOf, clientLimitsOf } from './run-settings.js';

type Action = (typeof HUBSPOT_OBJECT_ACTIONS)[number];

/** What every object command reads from its options. */
interface ObjectCommand {
  objectType: ObjectType;
  apiVersion: HubSpotApiVersion;
  noun: string;
  idProperty: string | undefined;
  clearEmpty: boolean;
}

function optionsOf(context: CommandContext): ObjectCommand {
  const { values } = context.parsed;
  const objectType = values.object as ObjectType;
  const problem = objectTypeProblem(objectType);
  if (problem !== undefined) throw usageError('--object', `--object ${problem}`);
  return {
    objectType,
    apiVersion: (values.apiVersion as HubSpotApiVersion | undefined) ?? 'v3',
    noun: recordNoun(objectType),
    idProperty: values.idProperty as string | undefined,
    clearEmpty: values.clearEmpty === true,
  };
}

async function start(context: CommandContext, onHeader: (columns: readonly string[]) => void) {
  const prepared = await prepareBulkCommand(context, {
    defaultBaseUrl: hubSpotDefaults.baseUrl,
    inputOptions: { onHeader },
  });
  const { apiVersion } = optionsOf(context);
  const client = createHubSpotClient({
    token: prepared.token,
    baseUrl: prepared.baseUrl,
    fetch: prepared.fetch,
    apiVersion,
    ...clientLimitsOf(context.parsed.common, prepared),
  });
  return { prepared, client };
}

/** Runs one object command through `runBulkCommand`, with the settings they all share. */
async function runObjectCommand<T, R>(
  context: CommandContext,
  prepared: PreparedBulkCommand,
  limiter: BulkCommandRun<T, R>['limiter'],
  options: ObjectCommand,
  run: Omit<BulkCommandRun<T, R>, 'limiter' | 'batchSize' | 'parameters'> & {
    adapter: BulkAdapter<T, R> & { readonly isolationRequests?: number };
    maxBatchSize?: number;
  },
): Promise<number> {
  const max = run.maxBatchSize ?? hubSpotDefaults.maxBatchSize;
  const code = await runBulkCommand(context, prepared, {
    ...run,
    isolationRequests: () => run.adapter.isolationRequests ?? 0,
    limiter,
    batchSize: batchSizeOf(context, { default: max, max }),
    requestTimeoutMs: context.parsed.common.timeoutMs,
    parameters: {
      '--object': options.objectType,
      '--api-version': options.apiVersion,
      '--id-property': options.idProperty ?? 'id',
      '--clear-empty': String(options.clearEmpty),
    },
  });
  const isolated = run.adapter.isolationRequests ?? 0;
  if (isolated > 0) {
    context.io.stderr.write(
      `HubSpot refused ${isolated === 1 ? 'a batch' : 'batches'} whole without naming the records at fault: ${isolated} more requests isolated them (counted in requests, and as isolationRequests in the report).\n`,
    );
  }
  return code;
}

/** CSV users know the column, not HubSpot's `properties.` prefix. */
const inputField = (field: string, shape: string) =>
  shape === 'csv' && field.startsWith('properties.') ? field.slice(11) : field;

/** `hubspot update --object TYPE`. */
export async function hubspotObjectsUpdate(context: CommandContext): Promise<number> {
  return writeByKey(context, 'update');
}

/** `hubspot upsert --object TYPE --id-property NAME`. */
export async function hubspotObjectsUpsert(context: CommandContext): Promise<number> {
  return writeByKey(context, 'upsert');
}

async function writeByKey(context: CommandContext, action: 'update' | 'upsert'): Promise<number> {
  const options = optionsOf(context);
  const idColumn = options.idProperty ?? 'id';
  const { prepared, client } = await start(context, (columns) =>
    checkHubSpotColumns(columns, idColumn, options.noun),
  );
  const specs = objectSpecs(options.apiVersion, options.objectType);
  const adapter = createObjectBatchWriteAdapter<CrmObject>(specs[action], client, {
    idProperty: options.idProperty,
  });
  return runObjectCommand(context, prepared, client.limiter, options, {
    adapter,
    validate: await createSpecValidator(
      'hubspot',
      action === 'update'
        ? '#/components/schemas/SimplePublicObjectBatchInput'
        : '#/components/schemas/SimplePublicObjectBatchInputUpsert',
    ),
    toItem: (record, shape): MappedRecord<ObjectUpdateInput> =>
      shape === 'csv'
        ? recordFromRow(record as RowRecord, idColumn, options.clearEmpty, options.noun)
        : { item: record as unknown as ObjectUpdateInput },
    csvColumn: () => true,
    inputField,
  });
}

/** `hubspot create --object TYPE`. */
export async function hubspotObjectsCreate(context: CommandContext): Promise<number> {
  const options = optionsOf(context);
  const dedupeProperty = context.parsed.values.dedupeProperty as string | undefined;
  const { prepared, client } = await start(context, (columns) =>
    checkHubSpotColumns(columns, undefined, options.noun),
  );
  const adapter = createObjectBatchCreateAdapter(
    objectSpecs(options.apiVersion, options.objectType).create,
    client,
    { dedupeProperty },
  );
  return runObjectCommand(context, prepared, client.limiter, options, {
    adapter,
    validate: await createSpecValidator(
      'hubspot',
      '#/components/schemas/SimplePublicObjectInputForCreate',
    ),
    toItem: (record, shape): MappedRecord<ObjectCreateInput> => {
      if (shape !== 'csv') return { item: record as unknown as ObjectCreateInput };
      const properties = propertiesOfRow(record as RowRecord, undefined, false);
      if (Object.keys(properties).length === 0) {
        return { error: { message: 'every property cell is blank: nothing to create' } };
      }
      return { item: { properties, associations: [] } };
    },
    csvColumn: () => true,
    inputField,
  });
}

/** `hubspot archive --object TYPE`: CSV column `id`, or JSONL `{ "id": "..." }`. */
export async function hubspotObjectsArchive(context: CommandContext): Promise<number> {
  const options = optionsOf(context);
  const { prepared, client } = await start(context, (columns) =>
    checkHubSpotColumns(columns, 'id', options.noun, false),
  );
  const adapter = createObjectBatchArchiveAdapter(
    objectSpecs(options.apiVersion, options.objectType).archive,
    client,
  );
  return runObjectCommand(context, prepared, client.limiter, options, {
    adapter,
    validate: await createSpecValidator('hubspot', '#/components/schemas/PublicObjectId'),
    toItem: (record, shape): MappedRecord<ObjectRef> => refOf(record, shape, 'id', options.noun),
    csvColumn: (key) => key === 'id',
  });
}

/**
 * `hubspot export --object TYPE --properties a,b,c`: reads the records whose ids `--input` lists
 * and writes each as `{ "id": ..., "properties": { ... } }` (only the requested properties that
 * hold a value), the JSONL `hubspot update` takes back. Ids that match nothing are reported like
 * failed records.
 */
export async function hubspotObjectsExport(context: CommandContext): Promise<number> {
  const options = optionsOf(context);
  const { values, common } = context.parsed;
  const properties = values.properties as string[];
  const output = values.output as string | undefined;
  const idColumn = options.idProperty ?? 'id';
  const { prepared, client } = await start(context, (columns) =>
    checkHubSpotColumns(columns, idColumn, options.noun, false),
  );
  const reader = createObjectBatchReadAdapter(
    objectSpecs(options.apiVersion, options.objectType).read,
    client,
    { properties, idProperty: options.idProperty },
  );
  // A resumed export adds to what the first run wrote.
  const sink =
    output === undefined || common.dryRun
      ? undefined
      : createWriteStream(output, { flags: common.resume ? 'a' : 'w', mode: 0o600 });
  const write = async (lines: string): Promise<void> => {
    if (!sink) {
      context.io.stdout.write(lines);
      return;
    }
    await new Promise<void>((resolve, reject) =>
      sink.write(lines, (error) => (error ? reject(error) : resolve())),
    );
  };
  const adapter: BulkAdapter<ObjectRef, CrmObject> = {
    ...reader,
    async send(batch, ctx) {
      const results = await reader.send(batch, ctx);
      let lines = '';
      for (const result of results) {
        if (result.kind !== 'succeeded') continue;
        lines += `${JSON.stringify(exported(result.value, properties))}\n`;
      }
      if (lines !== '') await write(lines);
      return results;
    },
  };
  try {
    return await runObjectCommand(context, prepared, client.limiter, options, {
      adapter,
      validate: await createSpecValidator('hubspot', '#/components/schemas/PublicObjectId'),
      toItem: (record, shape): MappedRecord<ObjectRef> =>
        refOf(record, shape, idColumn, options.noun),
      csvColumn: (key) => key === idColumn,
    });
  } finally {
    await new Promise<void>((resolve) => (sink ? sink.end(resolve) : resolve()));
  }
}

/** A record as `hubspot update` takes it back: its id and the requested properties with a value. */
function exported(record: CrmObject, properties: readonly string[]) {
  const values: Record<string, string> = {};
  for (const name of properties) {
    const value = record.properties?.[name];
    if (typeof value === 'string') values[name] = value;
  }
  return { id: record.id, properties: values };
}

function refOf(
  record: JsonRow,
  shape: string,
  idColumn: string,
  noun: string,
): MappedRecord<ObjectRef> {
  if (shape !== 'csv') return { item: record as unknown as ObjectRef };
  const id = idFromRow(record as RowRecord, idColumn, noun);
  return id.error !== undefined ? id : { item: { id: id.item } };
}

/** The handler of each object command, by its second word. */
export const HUBSPOT_OBJECT_HANDLERS: Readonly<
  Record<Action, (context: CommandContext) => Promise<number>>
> = {
  update: hubspotObjectsUpdate,
  create: hubspotObjectsCreate,
  upsert: hubspotObjectsUpsert,
  archive: hubspotObjectsArchive,
  export: hubspotObjectsExport,
};
