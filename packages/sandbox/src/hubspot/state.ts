/**
 * The simulator's records, one store per object type, and their write logs. Tests read `state`
 * to prove a bulk run wrote each record exactly once and lost none.
 */
import type { SimulatorContext } from '../types.js';
import { externalRefOf, OBJECT_TYPES, type ObjectType, seededCreatedAt } from './object-types.js';
import { EXTERNAL_REF, PIPELINE_STAGES, TICKET_PRIORITIES } from './properties.js';

export { externalRefOf } from './object-types.js';

export interface StoredRecord {
  id: string;
  /** Writable property values; a cleared property is absent. Read-only ones are computed. */
  properties: Record<string, string>;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms of the last write. */
  updatedAt: number;
  archived: boolean;
  /** Unix ms, for archived records. */
  archivedAt?: number;
}

/** A ticket is a record of the `tickets` store. */
export type StoredTicket = StoredRecord;

export type RecordOperation = 'create' | 'update' | 'upsert' | 'archive';
export type TicketOperation = RecordOperation;

export interface RecordWrite {
  id: string;
  operation: RecordOperation;
  /** Unix ms (the context clock). */
  at: number;
  objectWriteTraceId?: string;
}
export type TicketWrite = RecordWrite;

/** The records of one object type. Ids are unique within a type, as in HubSpot. */
export interface ObjectStore {
  type: ObjectType;
  /** Every record by id, archived ones included. */
  records: Map<string, StoredRecord>;
  /** How many times each record id was written (created, updated, upserted or archived). */
  writeCounts: Map<string, number>;
  /** Every write in order. */
  writeLog: RecordWrite[];
  /** The id the next created record gets. */
  nextId: number;
}

export interface HubSpotState {
  /** Every object type's store, by type name (`contacts`, `tickets`, `p_cars`). */
  objects: Map<string, ObjectStore>;
  /** The tickets store's records (the same map as `objects.get('tickets').records`). */
  tickets: Map<string, StoredRecord>;
  /** The tickets store's write counts. */
  writeCounts: Map<string, number>;
  /** The tickets store's write log. */
  writeLog: RecordWrite[];
  /** Requests that reached the simulator (authorized or not); the daily limit is the fault layer's `dailyLimit`. */
  requestsToday: number;
  /**
   * When true, a create, update or upsert batch in which any input fails validation (unknown,
   * read-only or badly valued property, bad `idProperty`) is refused whole with a 400
   * "Property values were not valid" that names no input, as HubSpot does for some object types;
   * nothing is written. When false, only the bad inputs fail, in a 207. Set it at any time.
   */
  refuseWholeBatch: boolean;
}

const SUBJECTS = [
  'Cannot log in to the portal',
  'Invoice shows the wrong amount',
  'Printer on floor 3 is jammed',
  'Export to CSV times out',
  'Password reset email never arrives',
  'Dashboard loads slowly',
];

const DAY_MS = 86_400_000;

function pick<T>(ctx: SimulatorContext, values: readonly T[]): T {
  return values[Math.floor(ctx.random() * values.length)] as T;
}

function emptyStore(type: ObjectType): ObjectStore {
  return { type, records: new Map(), writeCounts: new Map(), writeLog: [], nextId: 1 };
}

/**
 * Seeds tickets `1`..`tickets`, each with a subject, content, pipeline, stage, priority and a
 * unique `external_ref` (`EXT-000001`...), created within the year before `ctx.now()`; then
 * records `1`..`records` of every other type, derived from their number. The same seed and clock
 * give the same records.
 */
export function seedState(
  ctx: SimulatorContext,
  tickets: number,
  records = 0,
  refuseWholeBatch = false,
): HubSpotState {
  const objects = new Map(OBJECT_TYPES.map((type) => [type.name, emptyStore(type)]));
  const ticketStore = objects.get('tickets') as ObjectStore;
  const now = ctx.now();
  for (let n = 1; n <= tickets; n += 1) {
    const id = String(n);
    const createdAt = now - Math.floor(ctx.random() * 365 * DAY_MS);
    const updatedAt = createdAt + Math.floor(ctx.random() * (now - createdAt));
    ticketStore.records.set(id, {
      id,
      properties: {
        subject: pick(ctx, SUBJECTS),
        content: `Seeded ticket ${id}`,
        hs_pipeline: '0',
        hs_pipeline_stage: pick(ctx, PIPELINE_STAGES),
        hs_ticket_priority: pick(ctx, TICKET_PRIORITIES),
        [EXTERNAL_REF]: externalRefOf(n),
      },
      createdAt,
      updatedAt,
      archived: false,
    });
  }
  ticketStore.nextId = tickets + 1;
  for (const store of objects.values()) {
    const seed = store.type.seed;
    if (!seed) continue;
    for (let n = 1; n <= records; n += 1) {
      const createdAt = seededCreatedAt(now, n, records);
      store.records.set(String(n), {
        id: String(n),
        properties: seed(n),
        createdAt,
        updatedAt: createdAt,
        archived: false,
      });
    }
    store.nextId = records + 1;
  }
  return {
    objects,
    tickets: ticketStore.records,
    writeCounts: ticketStore.writeCounts,
    writeLog: ticketStore.writeLog,
    requestsToday: 0,
    refuseWholeBatch,
  };
}

/** The store of object type `name`, which every state has. */
export function storeOf(state: HubSpotState, name: string): ObjectStore {
  const store = state.objects.get(name);
  if (!store) throw new Error(`No ${name} store`);
  return store;
}

/** Records one write of record `id`. */
export function recordWrite(
  store: ObjectStore,
  id: string,
  operation: RecordOperation,
  at: number,
  objectWriteTraceId?: string,
): void {
  store.writeCounts.set(id, (store.writeCounts.get(id) ?? 0) + 1);
  store.writeLog.push({ id, operation, at, ...(objectWriteTraceId ? { objectWriteTraceId } : {}) });
}

/**
 * Finds an active (or, with `archived`, an archived) record by id or by the value of a unique
 * property. `idProperty` must already be known to be unique.
 */
export function findRecord(
  store: ObjectStore,
  id: string,
  idProperty: string | undefined,
  archived = false,
): StoredRecord | undefined {
  if (idProperty === undefined || idProperty === 'hs_object_id') {
    const record = store.records.get(id);
    return record && record.archived === archived ? record : undefined;
  }
  for (const record of store.records.values()) {
    if (record.archived === archived && record.properties[idProperty] === id) return record;
  }
  return undefined;
}

/** The active record other than `exceptId` that holds `value` in unique property `property`. */
export function holderOf(
  store: ObjectStore,
  property: string,
  value: string,
  exceptId?: string,
): StoredRecord | undefined {
  if (value === '') return undefined;
  for (const record of store.records.values()) {
    if (!record.archived && record.id !== exceptId && record.properties[property] === value)
      return record;
  }
  return undefined;
}

/** Applies property writes: `''` clears a value. */
export function applyProperties(
  record: StoredRecord,
  properties: Record<string, string>,
  at: number,
): void {
  for (const [name, value] of Object.entries(properties)) {
    if (value === '') delete record.properties[name];
    else record.properties[name] = value;
  }
  record.updatedAt = at;
}

/** Adds an empty record with the store's next free id. */
export function createRecord(store: ObjectStore, at: number): StoredRecord {
  const id = String(store.nextId);
  store.nextId += 1;
  const record: StoredRecord = {
    id,
    properties: {},
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
  store.records.set(id, record);
  return record;
}
