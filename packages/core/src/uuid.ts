const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in its canonical text form (8-4-4-4-12 hex digits, any case), as
 * vendors write record ids. The version and variant digits are not checked: vendors' ids are not
 * always RFC 4122 ones.
 *
 * @example isUuid('0b6a3c1e-8f0e-4c5e-9a61-2f4c7d9e1a00') // true
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
