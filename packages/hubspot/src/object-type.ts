/**
 * Which CRM object types the generic batch endpoints take: HubSpot's standard objects by name,
 * and custom objects by type id (`2-12345`) or fully qualified name (`p_cars`). Checked before
 * any request, so that a misspelt type is a `TypeError` naming the argument rather than a run of
 * 404s.
 */

import type { ObjectType, StandardObjectType } from './types.js';

/** Standard object types with batch endpoints, by the name paths use. */
export const STANDARD_OBJECT_TYPES: readonly StandardObjectType[] = Object.freeze([
  'contacts',
  'companies',
  'deals',
  'tickets',
  'line_items',
  'products',
  'quotes',
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
  'leads',
]);

/**
 * Names that look like object types but that HubSpot's batch endpoints refuse: other CRM APIs
 * (owners, pipelines, properties…), and objects HubSpot only lets apps read
 * (`feedback_submissions`).
 */
const REFUSED_FOR_BATCH: ReadonlyMap<string, string> = new Map([
  ['owners', 'owners have their own read-only API (/crm/v3/owners)'],
  ['users', 'users have their own API (/settings/v3/users)'],
  ['feedback_submissions', 'feedback submissions are read-only through the API'],
  ['associations', 'associations have their own batch API (/crm/v4/associations)'],
  ['properties', 'properties have their own batch API (/crm/v3/properties)'],
  ['pipelines', 'pipelines have their own API (/crm/v3/pipelines)'],
  ['schemas', 'custom object schemas have their own API (/crm/v3/schemas)'],
  ['imports', 'imports have their own API (/crm/v3/imports)'],
  ['exports', 'exports have their own API (/crm/v3/exports)'],
  ['lists', 'lists have their own API (/crm/v3/lists)'],
]);

const STANDARD: ReadonlySet<string> = new Set(STANDARD_OBJECT_TYPES);
const CUSTOM_TYPE_ID = /^2-[1-9]\d*$/;
const CUSTOM_NAME = /^p_[a-z][a-z0-9_]*$/i;

/**
 * Why `objectType` cannot be used with the batch endpoints, or `undefined` when it can. The
 * message names the value and says what is accepted.
 */
export function objectTypeProblem(objectType: unknown): string | undefined {
  if (typeof objectType !== 'string' || objectType === '') {
    return `must be a non-empty string, got ${objectType === '' ? 'an empty string' : typeof objectType}`;
  }
  if (STANDARD.has(objectType) || CUSTOM_TYPE_ID.test(objectType) || CUSTOM_NAME.test(objectType)) {
    return undefined;
  }
  const refused = REFUSED_FOR_BATCH.get(objectType.toLowerCase());
  if (refused !== undefined) {
    return `"${objectType}" has no CRM batch endpoints: ${refused}`;
  }
  if (/^2-/.test(objectType)) {
    return `"${objectType}" is not a custom object type id: expected 2- followed by digits, e.g. 2-12345`;
  }
  if (/^p_/i.test(objectType)) {
    return `"${objectType}" is not a custom object name: expected p_ followed by letters, digits or _, e.g. p_cars`;
  }
  return `"${objectType}" is not a HubSpot object type: expected one of ${STANDARD_OBJECT_TYPES.join(', ')}, a custom object type id (2-12345) or name (p_cars)`;
}

/**
 * Returns `objectType` when the batch endpoints take it, or throws a `TypeError` naming the
 * argument.
 *
 * @example checkObjectType('contacts') // 'contacts'
 * @example checkObjectType('owners') // TypeError: Expected `objectType` ... has no CRM batch endpoints
 */
export function checkObjectType(objectType: unknown, argument = 'objectType'): ObjectType {
  const problem = objectTypeProblem(objectType);
  if (problem !== undefined)
    throw new TypeError(`Expected \`${argument}\` to be a HubSpot object type: ${problem}`);
  return objectType as ObjectType;
}

const SINGULAR: Readonly<Record<string, string>> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
  line_items: 'line item',
  products: 'product',
  quotes: 'quote',
  calls: 'call',
  emails: 'email',
  meetings: 'meeting',
  notes: 'note',
  tasks: 'task',
  leads: 'lead',
};

/** How messages name one record of a type: `contact`, `line item`, `2-12345 record`. */
export function recordNoun(objectType: string): string {
  return SINGULAR[objectType] ?? `${objectType} record`;
}
