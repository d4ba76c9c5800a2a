/**
 * The ticket property catalogue the simulator enforces, and the checks HubSpot makes on each
 * property write: the property must exist, must not be computed by HubSpot, and an enumeration
 * must get one of its options (or `''`, which clears it).
 */

export interface PropertyDefinition {
  name: string;
  type: 'string' | 'enumeration' | 'datetime' | 'number';
  /** Computed by HubSpot; writing it is an error. */
  readOnly: boolean;
  /** No two tickets may hold the same value; usable as `idProperty`. */
  unique: boolean;
  /** Allowed values of an enumeration. */
  options?: readonly string[];
}

function define(
  name: string,
  type: PropertyDefinition['type'],
  extra: Partial<Omit<PropertyDefinition, 'name' | 'type'>> = {},
): PropertyDefinition {
  return { name, type, readOnly: false, unique: false, ...extra };
}

export const TICKET_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export const PIPELINE_STAGES = ['1', '2', '3', '4'] as const;
/** The unique custom property seeded tickets carry, for `idProperty` lookups and upserts. */
export const EXTERNAL_REF = 'external_ref';

export const TICKET_PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map(
  [
    define('subject', 'string'),
    define('content', 'string'),
    define('hs_pipeline', 'enumeration', { options: ['0'] }),
    define('hs_pipeline_stage', 'enumeration', { options: PIPELINE_STAGES }),
    define('hs_ticket_priority', 'enumeration', { options: TICKET_PRIORITIES }),
    define(EXTERNAL_REF, 'string', { unique: true }),
    define('hs_object_id', 'number', { readOnly: true, unique: true }),
    define('createdate', 'datetime', { readOnly: true }),
    define('hs_lastmodifieddate', 'datetime', { readOnly: true }),
  ].map((definition) => [definition.name, definition]),
);

/** Properties every ticket answer carries, whatever was asked for. */
export const ALWAYS_RETURNED = ['hs_object_id', 'createdate', 'hs_lastmodifieddate'] as const;

/** What a single read returns when the caller names no properties. */
export const DEFAULT_READ_PROPERTIES = [
  'subject',
  'content',
  'hs_pipeline',
  'hs_pipeline_stage',
  'hs_ticket_priority',
] as const;

/** One rejected property of one input, in HubSpot's error-detail terms. */
export interface PropertyProblem {
  property: string;
  code: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE' | 'INVALID_OPTION' | 'INVALID_STRING';
  message: string;
}

/** Checks the property values of one input; `record` names the input in messages. */
export function checkPropertyWrites(
  properties: Record<string, unknown>,
  record: string,
): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  for (const [property, value] of Object.entries(properties)) {
    const definition = TICKET_PROPERTIES.get(property);
    if (!definition) {
      problems.push({
        property,
        code: 'PROPERTY_DOESNT_EXIST',
        message: `Property "${property}" does not exist on tickets (${record})`,
      });
    } else if (definition.readOnly) {
      problems.push({
        property,
        code: 'READ_ONLY_VALUE',
        message: `Property "${property}" is read-only and cannot be set (${record})`,
      });
    } else if (typeof value !== 'string') {
      problems.push({
        property,
        code: 'INVALID_STRING',
        message: `Property "${property}" must be a string, got ${value === null ? 'null' : typeof value} (${record})`,
      });
    } else if (definition.options && value !== '' && !definition.options.includes(value)) {
      problems.push({
        property,
        code: 'INVALID_OPTION',
        message: `Property "${property}" does not allow "${value}"; allowed: ${definition.options.join(', ')} (${record})`,
      });
    }
  }
  return problems;
}

/** Why a property cannot be used as `idProperty`, or undefined when it can. */
export function idPropertyProblem(name: string): string | undefined {
  const definition = TICKET_PROPERTIES.get(name);
  if (!definition) return `Property "${name}" used as idProperty does not exist on tickets`;
  if (!definition.unique)
    return `Property "${name}" used as idProperty does not have unique values`;
  return undefined;
}

/** Requested names HubSpot returns: known properties, without the always-returned ones. */
export function readableProperties(names: readonly string[]): string[] {
  const always: readonly string[] = ALWAYS_RETURNED;
  return [...new Set(names)].filter(
    (name) => TICKET_PROPERTIES.has(name) && !always.includes(name),
  );
}
