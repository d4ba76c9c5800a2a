/**
 * The error body each vendor documents, as a check a test can run on any answer. The sandbox
 * also validates against the specs (`validateResponses`), but only for requests that matched an
 * operation; 404s, 405s and broken requests are checked here.
 */

export type VendorOfPath = 'hubspot' | 'thought-industries' | 'vec' | 'mpdx' | 'none';

const PREFIXES: readonly [string, VendorOfPath][] = [
  ['/crm/v3/', 'hubspot'],
  ['/crm/objects/', 'hubspot'],
  ['/incoming/v2/', 'thought-industries'],
  ['/business/', 'vec'],
  ['/api/v2/', 'mpdx'],
];

/** The vendor whose prefix `path` starts with, or `none` for a path outside every vendor. */
export function vendorOfPath(path: string): VendorOfPath {
  for (const [prefix, vendor] of PREFIXES) if (path.startsWith(prefix)) return vendor;
  return 'none';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown) => typeof value === 'string' && value.length > 0;

/**
 * Why `body` is not an error body of `vendor`, or `undefined` when it is one:
 * - HubSpot: `{ status: "error", message, correlationId, ... }`;
 * - Thought Industries: `{ error, message }`;
 * - VEC vault: `{ message, ... }`;
 * - MPDX: JSON:API `{ errors: [{ status, title, ... }] }`;
 * - outside every vendor: the sandbox's neutral `{ error, message }`.
 */
export function errorShapeProblem(vendor: VendorOfPath, body: unknown): string | undefined {
  if (!isRecord(body)) return `expected an object, got ${JSON.stringify(body)?.slice(0, 80)}`;
  switch (vendor) {
    case 'hubspot':
      return body.status === 'error' && isText(body.message) && isText(body.correlationId)
        ? undefined
        : 'expected HubSpot { status: "error", message, correlationId }';
    case 'thought-industries':
    case 'none':
      return isText(body.error) && isText(body.message) ? undefined : 'expected { error, message }';
    case 'vec':
      return isText(body.message) ? undefined : 'expected the vault { message }';
    case 'mpdx': {
      const errors = body.errors;
      const ok =
        Array.isArray(errors) &&
        errors.length > 0 &&
        errors.every((e) => isRecord(e) && isText(e.status) && isText(e.title));
      return ok ? undefined : 'expected JSON:API { errors: [{ status, title }] }';
    }
  }
}
