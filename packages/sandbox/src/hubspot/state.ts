/**
 * The simulator's tickets and its write log. Tests read `state` to prove a bulk run wrote each
 * record exactly once and lost none.
 */
import type { SimulatorContext } from '../types.js';
import { EXTERNAL_REF, PIPELINE_STAGES, TICKET_PRIORITIES } from './properties.js';

export interface StoredTicket {
  id: string;
  /** Writable property values; a cleared property is absent. Read-only ones are computed. */
  properties: Record<string, string>;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms of the last write. */
  updatedAt: number;
  archived: boolean;
  /** Unix ms, for archived tickets. */
  archivedAt?: number;
}

export type TicketOperation = 'create' | 'update' | 'upsert' | 'archive';

export interface TicketWrite {
  id: string;
  operation: TicketOperation;
  /** Unix ms (the context clock). */
  at: number;
  objectWriteTraceId?: string;
}

export interface HubSpotState {
  /** Every ticket by id, archived ones included. */
  tickets: Map<string, StoredTicket>;
  /** How many times each ticket id was written (created, updated, upserted or archived). */
  writeCounts: Map<string, number>;
  /** Every write in order. */
  writeLog: TicketWrite[];
  /** The id the next created ticket gets. */
  nextId: number;
  /** Requests that reached the simulator (authorized or not); the daily limit is the fault layer's `dailyLimit`. */
  requestsToday: number;
}

const DAY_MS = 86_400_000;
const SUBJECTS = [
  'Cannot log in to the portal',
  'Invoice shows the wrong amount',
  'Printer on floor 3 is jammed',
  'Export to CSV times out',
  'Password reset email never arrives',
  'Dashboard loads slowly',
];

function pick<T>(ctx: SimulatorContext, values: readonly T[]): T {
  return values[Math.floor(ctx.random() * values.length)] as T;
}

/** The `external_ref` value of seeded ticket `n`: `EXT-000001` for ticket 1. */
export function externalRefOf(n: number): string {
  return `EXT-${String(n).padStart(6, '0')}`;
}

/**
 * Seeds tickets `1`..`count`, each with a subject, content, pipeline, stage, priority and a
 * unique `external_ref` (`EXT-000001`...), created within the year before `ctx.now()`. The same
 * seed and clock give the same tickets.
 */
export function seedState(ctx: SimulatorContext, count: number): HubSpotState {
  const tickets = new Map<string, StoredTicket>();
  const now = ctx.now();
  for (let n = 1; n <= count; n += 1) {
    const id = String(n);
    const createdAt = now - Math.floor(ctx.random() * 365 * DAY_MS);
    const updatedAt = createdAt + Math.floor(ctx.random() * (now - createdAt));
    tickets.set(id, {
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
  return { tickets, writeCounts: new Map(), writeLog: [], nextId: count + 1, requestsToday: 0 };
}

/** Records one write of ticket `id`. */
export function recordWrite(
  state: HubSpotState,
  id: string,
  operation: TicketOperation,
  at: number,
  objectWriteTraceId?: string,
): void {
  state.writeCounts.set(id, (state.writeCounts.get(id) ?? 0) + 1);
  state.writeLog.push({ id, operation, at, ...(objectWriteTraceId ? { objectWriteTraceId } : {}) });
}

/**
 * Finds an active (or, with `archived`, an archived) ticket by id or by the value of a unique
 * property. `idProperty` must already be known to be unique.
 */
export function findTicket(
  state: HubSpotState,
  id: string,
  idProperty: string | undefined,
  archived = false,
): StoredTicket | undefined {
  if (idProperty === undefined || idProperty === 'hs_object_id') {
    const ticket = state.tickets.get(id);
    return ticket && ticket.archived === archived ? ticket : undefined;
  }
  for (const ticket of state.tickets.values()) {
    if (ticket.archived === archived && ticket.properties[idProperty] === id) return ticket;
  }
  return undefined;
}

/** The active ticket other than `exceptId` that holds `value` in unique property `property`. */
export function holderOf(
  state: HubSpotState,
  property: string,
  value: string,
  exceptId?: string,
): StoredTicket | undefined {
  if (value === '') return undefined;
  for (const ticket of state.tickets.values()) {
    if (!ticket.archived && ticket.id !== exceptId && ticket.properties[property] === value)
      return ticket;
  }
  return undefined;
}

/** Applies property writes: `''` clears a value. */
export function applyProperties(
  ticket: StoredTicket,
  properties: Record<string, string>,
  at: number,
): void {
  for (const [name, value] of Object.entries(properties)) {
    if (value === '') delete ticket.properties[name];
    else ticket.properties[name] = value;
  }
  ticket.updatedAt = at;
}

/** Adds an empty ticket with the next free id. */
export function createTicket(state: HubSpotState, at: number): StoredTicket {
  const id = String(state.nextId);
  state.nextId += 1;
  const ticket: StoredTicket = {
    id,
    properties: {},
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
  state.tickets.set(id, ticket);
  return ticket;
}
