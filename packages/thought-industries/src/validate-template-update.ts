import { type ItemError, isUuid } from '@bulk-clients/core';

const STRING_FIELDS = ['title', 'description', 'status', 'body'] as const;

/**
 * Checks one template update against the request contract before it is sent. A record that
 * breaks the contract would make the vendor refuse the whole request (400), failing the records
 * batched with it, so it fails here alone, naming the field and the record index. Business rules
 * (an empty title, a negative `expirationDays`, an unknown id) are left to the vendor, whose
 * reason is then reported per record.
 *
 * @returns `undefined` when the record may be sent
 */
export function validateTemplateUpdate(item: unknown, index: number): ItemError | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    return {
      code: 'invalid_record',
      message: `Record ${index}: expected a certificate template update object, got ${describe(item)}`,
    };
  }
  const record = item as Record<string, unknown>;
  const { id } = record;
  if (!isUuid(id)) {
    return {
      code: 'invalid_field',
      field: 'id',
      message: `Record ${index}: \`id\` must be a certificate template UUID, got ${describe(id)}`,
    };
  }
  const invalid = (field: string, expected: string): ItemError => ({
    code: 'invalid_field',
    field,
    message: `Record ${index} (certificate template ${id}): \`${field}\` must be ${expected}, got ${describe(record[field])}`,
  });
  for (const field of STRING_FIELDS) {
    if (record[field] !== undefined && typeof record[field] !== 'string') {
      return invalid(field, 'a string');
    }
  }
  if (record.expirationDays !== undefined && !Number.isInteger(record.expirationDays)) {
    return invalid('expirationDays', 'a whole number of days');
  }
  return undefined;
}

/** A short, credential-free description of a value for an error message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
