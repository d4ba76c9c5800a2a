import {
  type ApiClientOptions,
  createApiClient,
  type FetchResultLike,
  normalizeBaseUrl,
  unwrap as unwrapResult,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import { retryAfterFromHeaders, thoughtIndustriesDefaults } from './defaults.js';
import type { paths } from './types.js';

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
}

/** The typed openapi-fetch client for the Thought Industries paths. */
export type ThoughtIndustriesApi = Client<paths>;

/** What {@link createThoughtIndustriesClient} returns. */
export interface ThoughtIndustriesClient {
  /** Typed openapi-fetch client: `api.POST('/incoming/v2/...', { body })`. */
  readonly api: ThoughtIndustriesApi;
  /** The base URL requests go to (scheme, host and port). */
  readonly baseUrl: string;
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
  const api = createApiClient<paths>({ ...rest, baseUrl }, { name: 'Thought Industries' });
  return Object.freeze({ api, baseUrl });
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
