/**
 * The checks HubSpot makes on each property write, against one object type's property catalogue
 * (`object-types.ts`): the property must exist, must not be computed by HubSpot, and an
 * enumeration must get one of its options (or `''`, which clears it).
 */

export interface PropertyDefinition {
  name: string;
  type: 'string' | 'enumeration' | 'datetime' | 'number';
  /** Computed by HubSpot; writing it is an error. */
  readOnly: boolean;
  /** No two records of the type may hold the same value; usable as `idProperty`. */
  unique: boolean;
  /** Allowed values of an enumeration. */
  options?: readonly string[];
}

/** What the property checks need to know of an object type. */
export interface PropertyCatalogue {
  /** The type's name in messages: `tickets`, `contacts`, `p_cars`. */
  name: string;
  properties: ReadonlyMap<string, PropertyDefinition>;
  /** Properties every answer carries, whatever was asked for (`hs_object_id`, dates). */
  alwaysReturned: readonly string[];
}

export function define(
  name: string,
  type: PropertyDefinition['type'],
  extra: Partial<Omit<PropertyDefinition, 'name' | 'type'>> = {},
): PropertyDefinition {
  return { name, type, readOnly: false, unique: false, ...extra };
}

/** Builds a catalogue map from definitions, by name. */
export function catalogue(
  definitions: readonly PropertyDefinition[],
): ReadonlyMap<string, PropertyDefinition> {
  return new Map(definitions.map((definition) => [definition.name, definition]));
}

export const TICKET_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export const PIPELINE_STAGES = ['1', '2', '3', '4'] as const;
/** The unique custom property seeded records carry, for `idProperty` lookups and upserts. */
export const EXTERNAL_REF = 'external_ref';

/** The properties every record has and HubSpot computes: id, creation and change dates. */
export function computedProperties(lastModified: string): PropertyDefinition[] {
  return [
    define('hs_object_id', 'number', { readOnly: true, unique: true }),
    define('createdate', 'datetime', { readOnly: true }),
    define(lastModified, 'datetime', { readOnly: true }),
  ];
}

export const TICKET_PROPERTIES: ReadonlyMap<string, PropertyDefinition> = catalogue([
  define('subject', 'string'),
  define('content', 'string'),
  define('hs_pipeline', 'enumeration', { options: ['0'] }),
  define('hs_pipeline_stage', 'enumeration', { options: PIPELINE_STAGES }),
  define('hs_ticket_priority', 'enumeration', { options: TICKET_PRIORITIES }),
  define(EXTERNAL_REF, 'string', { unique: true }),
  ...computedProperties('hs_lastmodifieddate'),
]);

/** What a single ticket read returns when the caller names no properties. */
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
  /** What is wrong, without naming the input (for answers that must not name one). */
  reason: string;
  /** `reason` followed by the input it concerns. */
  message: string;
}

/** Checks the property values of one input; `record` names the input in messages. */
export function checkPropertyWrites(
  type: PropertyCatalogue,
  properties: Record<string, unknown>,
  record: string,
): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  const add = (property: string, code: PropertyProblem['code'], reason: string) =>
    problems.push({ property, code, reason, message: `${reason} (${record})` });
  for (const [property, value] of Object.entries(properties)) {
    const definition = type.properties.get(property);
    if (!definition) {
      add(
        property,
        'PROPERTY_DOESNT_EXIST',
        `Property "${property}" does not exist on ${type.name}`,
      );
    } else if (definition.readOnly) {
      add(property, 'READ_ONLY_VALUE', `Property "${property}" is read-only and cannot be set`);
    } else if (typeof value !== 'string') {
      const got = value === null ? 'null' : typeof value;
      add(property, 'INVALID_STRING', `Property "${property}" must be a string, got ${got}`);
    } else if (definition.options && value !== '' && !definition.options.includes(value)) {
      const allowed = definition.options.join(', ');
      add(
        property,
        'INVALID_OPTION',
        `Property "${property}" does not allow "${value}"; allowed: ${allowed}`,
      );
    }
  }
  return problems;
}

/** Why a property cannot be used as `idProperty`, or undefined when it can. */
export function idPropertyProblem(type: PropertyCatalogue, name: string): string | undefined {
  const definition = type.properties.get(name);
  if (!definition) return `Property "${name}" used as idProperty does not exist on ${type.name}`;
  if (!definition.unique)
    return `Property "${name}" used as idProperty does not have unique values`;
  return undefined;
}

/** Requested names HubSpot returns: known properties, without the always-returned ones. */
export function readableProperties(type: PropertyCatalogue, names: readonly string[]): string[] {
  return [...new Set(names)].filter(
    (name) => type.properties.has(name) && !type.alwaysReturned.includes(name),
  );
}
