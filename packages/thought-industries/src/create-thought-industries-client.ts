import {
  type ApiClientOptions,
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import {
  type BulkUpdateInput,
  bulkUpdateCertificateTemplates,
  type CertificateTemplatesBulkUpdateOptions,
  type CertificateTemplatesBulkUpdateReport,
} from './certificate-templates-bulk-update.js';
import {
  type BulkImportWebinars,
  bulkImportCourseGroupWebinars,
  type WebinarImportOptions,
} from './course-group-webinars-bulk-import.js';
import { rateLimitHeaders, retryAfterFromHeaders, thoughtIndustriesDefaults } from './defaults.js';
import type { BulkImportCourseGroupWebinarsRequest, paths } from './types.js';

/** Options of {@link createThoughtIndustriesClient}. */
export interface ThoughtIndustriesClientOptions extends ApiClientOptions {
  /**
   * Scheme, host and optional port of the customer's instance. Required unless `instance` is
   * given: Thought Industries has no shared production host.
   * @default `https://{instance}.thoughtindustries.com` when `instance` is given
   * @example 'https://acme.thoughtindustries.com'
   */
  baseUrl?: string | undefined;
  /**
   * Subdomain of the customer's instance, used to build `baseUrl`. Give this or `baseUrl`,
   * not both.
   * @default undefined
   * @example 'acme'
   */
  instance?: string | undefined;
  /**
   * The rate limit every request of this client passes through (bulk sends and job polls
   * alike): a core `RateLimiter` to share one budget between clients of the same instance,
   * `{ requests, perMs, burst? }` for one of this client's own, or `false` for none.
   * @default { requests: 120, perMs: 60_000, burst: 20 } (the standard plan)
   * @example thoughtIndustriesDefaults.enterpriseRateLimit
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the Thought Industries paths. */
export type ThoughtIndustriesApi = Client<paths>;

/** What {@link createThoughtIndustriesClient} returns. */
export interface ThoughtIndustriesClient {
  /** Typed openapi-fetch client: `api.POST('/incoming/v2/...', { body })`. */
  readonly api: ThoughtIndustriesApi;
  /** The base URL requests go to (scheme, host and port). */
  readonly baseUrl: string;
  /** Bulk operations on certificate templates, built on core's `runBulk`. */
  readonly certificateTemplates: {
    /**
     * Updates templates in batches, waits for each batch's background job, and reports every
     * input once. See {@link bulkUpdateCertificateTemplates}.
     */
    readonly bulkUpdate: (
      templates: BulkUpdateInput,
      options?: CertificateTemplatesBulkUpdateOptions,
    ) => Promise<CertificateTemplatesBulkUpdateReport>;
  };
  /** Course group webinar imports. */
  readonly courseGroupWebinars: {
    /**
     * Checks (`dryRun: true`) or imports a stored webinar file and waits for the import job.
     * See {@link bulkImportCourseGroupWebinars}.
     */
    readonly bulkImport: BulkImportWebinars;
  };
}

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
 * Creates a Thought Industries client for one customer instance.
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
  return Object.freeze({
    api,
    baseUrl,
    certificateTemplates: Object.freeze({
      bulkUpdate: (
        templates: BulkUpdateInput,
        bulkOptions?: CertificateTemplatesBulkUpdateOptions,
      ) => bulkUpdateCertificateTemplates({ api }, templates, bulkOptions),
    }),
    courseGroupWebinars: Object.freeze({
      bulkImport: ((
        request: BulkImportCourseGroupWebinarsRequest,
        importOptions?: WebinarImportOptions,
      ) => bulkImportCourseGroupWebinars({ api }, request, importOptions)) as BulkImportWebinars,
    }),
  });
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
