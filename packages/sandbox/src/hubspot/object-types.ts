/**
 * The CRM object types the simulator serves on the generic batch paths
 * (`/crm/v3/objects/{objectType}/...`, `/crm/objects/2026-03/{objectType}/...`): the standard
 * ones HubSpot bulk jobs write most (contacts, companies, deals, tickets, line items, products)
 * and one custom object, each with a property catalogue of its own. A path names a type by name
 * (`contacts`), by object type id (`0-1`, `2-12345`) or, for the custom object, by its fully
 * qualified name (`p_cars`).
 */
import {
  catalogue,
  computedProperties,
  define,
  EXTERNAL_REF,
  type PropertyCatalogue,
  TICKET_PROPERTIES,
} from './properties.js';

export interface ObjectType extends PropertyCatalogue {
  /** The name used in paths and messages, and the key of its store: `contacts`, `p_cars`. */
  name: string;
  /** HubSpot's object type id: `0-1` for contacts, `2-...` for a custom object. */
  objectTypeId: string;
  /** One record in messages: `contact 901`. */
  singular: string;
  /** The type as HubSpot's not-found message names it: `CONTACT`. */
  label: string;
  /** The computed last-change property: `lastmodifieddate` on contacts, else `hs_lastmodifieddate`. */
  lastModified: string;
  /**
   * Writable values of seeded record `n` (1-based), derived from `n` alone so that seeding draws
   * nothing from the simulator's random stream. Tickets are seeded by `seedState` instead.
   */
  seed?(n: number): Record<string, string>;
}

/** The custom object seeded in every simulator. */
export const CUSTOM_OBJECT_TYPE_ID = '2-12345';
export const CUSTOM_OBJECT_NAME = 'p_cars';

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export const DEAL_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
] as const;
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'ACCOUNTING', 'HOSPITALITY', 'RETAIL'] as const;
const COLORS = ['red', 'blue', 'silver', 'black'] as const;
const DAY_MS = 86_400_000;

const at = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;
const pad = (n: number) => String(n).padStart(6, '0');

/** The `external_ref` value of seeded record `n`: `EXT-000001` for record 1. */
export function externalRefOf(n: number): string {
  return `EXT-${pad(n)}`;
}

function type(
  fields: Omit<ObjectType, 'alwaysReturned' | 'lastModified'> & { lastModified?: string },
): ObjectType {
  const lastModified = fields.lastModified ?? 'hs_lastmodifieddate';
  return { ...fields, lastModified, alwaysReturned: ['hs_object_id', 'createdate', lastModified] };
}

export const OBJECT_TYPES: readonly ObjectType[] = [
  type({
    name: 'contacts',
    objectTypeId: '0-1',
    singular: 'contact',
    label: 'CONTACT',
    lastModified: 'lastmodifieddate',
    properties: catalogue([
      define('email', 'string', { unique: true }),
      define('firstname', 'string'),
      define('lastname', 'string'),
      define('phone', 'string'),
      define('company', 'string'),
      define('lifecyclestage', 'enumeration', { options: LIFECYCLE_STAGES }),
      define(EXTERNAL_REF, 'string', { unique: true }),
      ...computedProperties('lastmodifieddate'),
    ]),
    seed: (n) => ({
      email: `contact${n}@example.com`,
      firstname: `First${n}`,
      lastname: `Last${n}`,
      lifecyclestage: at(LIFECYCLE_STAGES, n),
      [EXTERNAL_REF]: externalRefOf(n),
    }),
  }),
  type({
    name: 'companies',
    objectTypeId: '0-2',
    singular: 'company',
    label: 'COMPANY',
    properties: catalogue([
      define('name', 'string'),
      define('domain', 'string'),
      define('city', 'string'),
      define('industry', 'enumeration', { options: INDUSTRIES }),
      define(EXTERNAL_REF, 'string', { unique: true }),
      ...computedProperties('hs_lastmodifieddate'),
    ]),
    seed: (n) => ({
      name: `Company ${n}`,
      domain: `company${n}.example.com`,
      industry: at(INDUSTRIES, n),
      [EXTERNAL_REF]: externalRefOf(n),
    }),
  }),
  type({
    name: 'deals',
    objectTypeId: '0-3',
    singular: 'deal',
    label: 'DEAL',
    properties: catalogue([
      define('dealname', 'string'),
      define('amount', 'number'),
      define('pipeline', 'enumeration', { options: ['default'] }),
      define('dealstage', 'enumeration', { options: DEAL_STAGES }),
      define('closedate', 'datetime'),
      define(EXTERNAL_REF, 'string', { unique: true }),
      ...computedProperties('hs_lastmodifieddate'),
    ]),
    seed: (n) => ({
      dealname: `Deal ${n}`,
      amount: String(n * 100),
      pipeline: 'default',
      dealstage: at(DEAL_STAGES, n),
      [EXTERNAL_REF]: externalRefOf(n),
    }),
  }),
  type({
    name: 'tickets',
    objectTypeId: '0-5',
    singular: 'ticket',
    label: 'TICKET',
    properties: TICKET_PROPERTIES,
  }),
  type({
    name: 'line_items',
    objectTypeId: '0-8',
    singular: 'line item',
    label: 'LINE_ITEM',
    properties: catalogue([
      define('name', 'string'),
      define('quantity', 'number'),
      define('price', 'number'),
      define('hs_product_id', 'string'),
      define(EXTERNAL_REF, 'string', { unique: true }),
      ...computedProperties('hs_lastmodifieddate'),
    ]),
    seed: (n) => ({
      name: `Line item ${n}`,
      quantity: String(1 + (n % 5)),
      price: String(10 * n),
      [EXTERNAL_REF]: externalRefOf(n),
    }),
  }),
  type({
    name: 'products',
    objectTypeId: '0-7',
    singular: 'product',
    label: 'PRODUCT',
    properties: catalogue([
      define('name', 'string'),
      define('description', 'string'),
      define('price', 'number'),
      define('hs_sku', 'string'),
      define(EXTERNAL_REF, 'string', { unique: true }),
      ...computedProperties('hs_lastmodifieddate'),
    ]),
    seed: (n) => ({
      name: `Product ${n}`,
      price: String(5 * n),
      hs_sku: `SKU-${pad(n)}`,
      [EXTERNAL_REF]: externalRefOf(n),
    }),
  }),
  type({
    name: CUSTOM_OBJECT_NAME,
    objectTypeId: CUSTOM_OBJECT_TYPE_ID,
    singular: 'car',
    label: 'CAR',
    properties: catalogue([
      define('vin', 'string', { unique: true }),
      define('make', 'string'),
      define('model', 'string'),
      define('year', 'number'),
      define('color', 'enumeration', { options: COLORS }),
      ...computedProperties('hs_lastmodifieddate'),
    ]),
    seed: (n) => ({
      vin: `VIN${pad(n)}`,
      make: at(['Volvo', 'Saab', 'Skoda'], n),
      model: `Model ${n % 7}`,
      year: String(2000 + (n % 25)),
      color: at(COLORS, n),
    }),
  }),
];

/** The type a path names (`contacts`, `0-1`, `p_cars`, `2-12345`), or undefined. */
export function findObjectType(
  types: readonly ObjectType[],
  named: string,
): ObjectType | undefined {
  const wanted = named.toLowerCase();
  return types.find((t) => t.name === wanted || t.objectTypeId === wanted);
}

/** Seeded records are created within the year before the clock, spaced by their number. */
export function seededCreatedAt(now: number, n: number, count: number): number {
  return now - Math.floor(((count - n + 1) / (count + 1)) * 365 * DAY_MS);
}
