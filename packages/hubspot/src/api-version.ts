/**
 * HubSpot's API versions for the CRM object batch endpoints: `v3`, and the date-versioned
 * `2026-03`, whose paths name the version (`/crm/objects/2026-03/{objectType}/batch/update`) and
 * whose bodies and answers are those of v3.
 */

import type { HubSpotApiVersion, ObjectBatchAction } from './types.js';

/** The API versions the client can call. */
export const HUBSPOT_API_VERSIONS: readonly HubSpotApiVersion[] = Object.freeze(['v3', '2026-03']);

/** The spec's path of a batch operation at a version. */
export type ObjectBatchPath<A extends ObjectBatchAction = ObjectBatchAction> =
  | `/crm/v3/objects/{objectType}/batch/${A}`
  | `/crm/objects/2026-03/{objectType}/batch/${A}`;

/** Returns `version` when the client knows it, or throws a `TypeError` naming the option. */
export function checkApiVersion(version: unknown, argument = 'apiVersion'): HubSpotApiVersion {
  if ((HUBSPOT_API_VERSIONS as readonly unknown[]).includes(version)) {
    return version as HubSpotApiVersion;
  }
  throw new TypeError(
    `Expected \`${argument}\` to be one of ${HUBSPOT_API_VERSIONS.join(', ')}, got ${typeof version === 'string' ? `"${version}"` : typeof version}`,
  );
}

/**
 * The path template of a batch operation at a version.
 *
 * @example objectBatchPath('2026-03', 'update') // '/crm/objects/2026-03/{objectType}/batch/update'
 */
export function objectBatchPath<A extends ObjectBatchAction>(
  version: HubSpotApiVersion,
  action: A,
): ObjectBatchPath<A> {
  return (
    version === 'v3'
      ? `/crm/v3/objects/{objectType}/batch/${action}`
      : `/crm/objects/2026-03/{objectType}/batch/${action}`
  ) as ObjectBatchPath<A>;
}
