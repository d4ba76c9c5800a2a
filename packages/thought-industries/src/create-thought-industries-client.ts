import {
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  rateLimiterOf,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import { certificateTemplatesBulkUpdate } from './certificate-templates-bulk-update.js';
import { courseGroupWebinarsBulkImport } from './course-group-webinars-bulk-import.js';
import { rateLimitHeaders, retryAfterFromHeaders, thoughtIndustriesDefaults } from './defaults.js';
import type {
  BulkImportCourseGroupWebinarsRequest,
  BulkImportWebinars,
  BulkUpdateInput,
  CertificateTemplatesBulkUpdateOptions,
  paths,
  ThoughtIndustriesClient,
  ThoughtIndustriesClientOptions,
  WebinarImportOptions,
} from './types.js';

// A DNS label: what may stand before `.thoughtindustries.com`.
const INSTANCE_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Builds the host of a customer instance from its subdomain. */
export function instanceBaseUrl(instance: string): string {
  if (typeof instance !== 'string' || !INSTANCE_PATTERN.test(instance)) {
    throw new TypeError(
      `Expected \`instance\` to be a subdomain such as "acme", got ${typeof instance === 'string' ? `"${instance}"` : typeof instance}`,
    );
  }
  return thoughtIndustriesDefaults.hostTemplate.replace('{instance}', instance.toLowerCase());
}

/**
 * Creates a Thought Industries client for one customer instance. Every request carries the
 * bearer token and passes through the client's rate limiter (`client.limiter`).
 *
 * @example
 * const ti = createThoughtIndustriesClient({ token: process.env.TI_API_KEY, instance: 'acme' });
 * const { data } = await ti.api.GET('/incoming/v2/jobs/{id}', { params: { path: { id } } });
 */
export function createThoughtIndustriesClient(
  options: ThoughtIndustriesClientOptions,
): ThoughtIndustriesClient {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` for the Thought Industries client to be an object');
  }
  const { instance, ...rest } = options;
  if (instance !== undefined && rest.baseUrl !== undefined) {
    throw new TypeError(
      'Expected either `baseUrl` or `instance` for the Thought Industries client, not both',
    );
  }
  if (instance === undefined && rest.baseUrl === undefined) {
    throw new TypeError(
      'Expected `baseUrl` or `instance` for the Thought Industries client: every customer has an own host',
    );
  }
  const baseUrl = normalizeBaseUrl(
    instance === undefined ? rest.baseUrl : instanceBaseUrl(instance),
  );
  const api = createApiClient<paths>(
    { ...rest, baseUrl },
    {
      name: 'Thought Industries',
      rateLimit: thoughtIndustriesDefaults.rateLimit,
      retryAfter: retryAfterFromHeaders,
      // Follows the budget the headers state; holds requests back until the reset once it is spent.
      rateLimitHeaders,
    },
  );
  const client: ThoughtIndustriesClient = Object.freeze({
    api,
    baseUrl,
    limiter: rateLimiterOf(api),
    certificateTemplates: Object.freeze({
      bulkUpdate: (
        templates: BulkUpdateInput,
        bulkOptions?: CertificateTemplatesBulkUpdateOptions,
      ) => certificateTemplatesBulkUpdate(client, templates, bulkOptions),
    }),
    courseGroupWebinars: Object.freeze({
      bulkImport: ((
        request: BulkImportCourseGroupWebinarsRequest,
        importOptions?: WebinarImportOptions,
      ) => courseGroupWebinarsBulkImport(client, request, importOptions)) as BulkImportWebinars,
    }),
  });
  return client;
}

/**
 * Returns the data of a successful call, or throws an `ApiError` carrying the status, the
 * vendor's error body, the request id and how long the vendor asked us to wait.
 *
 * @example const job = unwrap(await ti.api.GET('/incoming/v2/jobs/{id}', { params: { path: { id } } }));
 */
export function unwrap<Data, Err>(result: FetchResultLike<Data, Err>): Data {
  return unwrapResult(result, { retryAfter: retryAfterFromHeaders });
}
