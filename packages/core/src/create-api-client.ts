import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { MediaType } from 'openapi-typescript-helpers';
import { ApiError, REQUEST_ID_HEADERS } from './api-error.js';
import { fetchRequest, ReusableRequest, requestClassFor } from './fetch-request.js';
import {
  type RateLimitHeaderNames,
  readRateLimitHeaders,
  retryAfterFromRateLimitHeaders,
} from './rate-limit-headers.js';
import {
  type RateLimitMiddlewareOptions,
  type RateLimitOptions,
  type RequestLimiter,
  rateLimitMiddleware,
  resolveRateLimiter,
} from './rate-limiter.js';
import { parseRetryAfter } from './retry-after.js';

/** A `fetch` that takes a `Request`, as openapi-fetch calls it. `globalThis.fetch` fits. */
export type FetchLike = (input: Request) => Promise<Response>;

/** Options every vendor client factory accepts. */
export interface ApiClientOptions {
  /**
   * The credential, sent as `Authorization: Bearer <token>`. It is kept in a closure: it never
   * appears in errors, reports or `util.inspect(client)`.
   */
  token: string;
  /**
   * Scheme, host and optional port of the API, nothing more (paths in the specs are absolute).
   * @default the vendor's production URL
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: string | undefined;
  /**
   * The `fetch` to send requests with; inject one in tests instead of patching globals.
   * @default globalThis.fetch
   */
  fetch?: FetchLike | undefined;
  /**
   * Extra headers sent with every request (for example a `User-Agent` of your own).
   * @default {}
   */
  headers?: Record<string, string> | undefined;
  /**
   * The rate limit every request of this client passes through (bulk sends and polls alike):
   * a `RateLimiter` (or any {@link RequestLimiter}) to share one budget between clients,
   * `{ requests, perMs, burst? }` for a limiter of this client's own, or `false` for none. A
   * configured budget is an upper bound: the vendor's rate-limit headers can only lower it.
   * Without one, the vendor's documented budget is the starting point and its headers refine
   * it, up or down. Read it back with {@link rateLimiterOf}.
   * @default the vendor's documented limit (its `VendorProfile.rateLimit`), refined by its headers
   * @example { requests: 120, perMs: 60_000, burst: 20 }
   */
  rateLimit?: RequestLimiter | RateLimitOptions | false | undefined;
  /**
   * Daily requests to leave unspent for other integrations of the account: once the vendor's
   * headers say only this many are left today, the client's limiter stops and bulk runs end with
   * the records not yet sent counted `skipped`. Applies to the limiter this client creates.
   * @default 0
   */
  dailyReserve?: number | undefined;
}

/** What a vendor package tells the factory about its API. */
export interface VendorProfile {
  /** Name used in error messages, e.g. `HubSpot`. */
  name: string;
  /** Production base URL; `undefined` where every customer has an own host. */
  defaultBaseUrl?: string | undefined;
  /** Media type of request and response bodies. @default 'application/json' */
  mediaType?: string | undefined;
  /** The vendor's documented rate limit, used when the caller gives no `rateLimit`. */
  rateLimit?: RateLimitOptions | undefined;
  /**
   * Reads how long to wait from the vendor's own headers, for 429 responses without
   * `Retry-After` (and for the `retryAfterMs` of errors thrown by {@link unwrap}).
   */
  retryAfter?: ((response: Response) => number | undefined) | undefined;
  /** Reads, from any response, how long to hold requests back before the vendor refuses them. */
  pauseAfter?: RateLimitMiddlewareOptions['pauseAfter'];
  /**
   * The response headers that state the vendor's budget, for the limiter to learn it from (and,
   * when `retryAfter` is not given, to read how long to wait after a 429).
   */
  rateLimitHeaders?: RateLimitHeaderNames | undefined;
  /** Tells a 429 for the daily budget from one for the window (see `rateLimitMiddleware`). */
  isDailyRefusal?: RateLimitMiddlewareOptions['isDailyRefusal'];
}

/**
 * Checks that a base URL is scheme, host and optional port only, and returns it without a
 * trailing slash. Throws a `TypeError` that names the argument otherwise.
 */
export function normalizeBaseUrl(value: unknown, argument = 'baseUrl'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`Expected \`${argument}\` to be a URL string, got ${describe(value)}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`Expected \`${argument}\` to be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`Expected \`${argument}\` to use http or https, got "${url.protocol}"`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new TypeError(
      `Expected \`${argument}\` to be scheme, host and port only (paths are part of each operation), got "${value}"`,
    );
  }
  if (url.username || url.password) {
    throw new TypeError(`Expected \`${argument}\` to carry no credentials`);
  }
  return url.origin;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

const limiterByClient = new WeakMap<object, RequestLimiter>();

/**
 * What every vendor's client factory returns besides its bulk operations (e.g.
 * `interface MpdxClient extends VendorClient<MpdxApi>`).
 */
export interface VendorClient<Api> {
  /**
   * The typed openapi-fetch client: one method per HTTP verb (`api.POST(path, { params, body })`),
   * paths, parameters and bodies checked against the vendor's spec.
   */
  readonly api: Api;
  /** The base URL requests go to (scheme, host and port). */
  readonly baseUrl: string;
  /**
   * The rate limiter every request of this client passes through (`undefined` with
   * `rateLimit: false`). Hand it to core's `runBulk` as `limiter` so that a run reports and
   * honours the same budget.
   */
  readonly limiter: RequestLimiter | undefined;
}

/**
 * The rate limiter every request of `client` passes through, or `undefined` when it has none.
 * Pass it to `runBulk` (option `limiter`) so that a bulk run reports and honours the same budget.
 */
export function rateLimiterOf(client: object): RequestLimiter | undefined {
  return limiterByClient.get(client);
}

/**
 * Creates the typed openapi-fetch client for one vendor API with bearer auth and the vendor's
 * media type applied to every request, and, when a rate limit applies (see
 * {@link ApiClientOptions.rateLimit}), a shared rate limiter in front of every request.
 */
export function createApiClient<Paths extends {}>(
  options: ApiClientOptions,
  vendor: VendorProfile,
): Client<Paths, MediaType> {
  if (!options || typeof options !== 'object') {
    throw new TypeError(`Expected options for the ${vendor.name} client to be an object`);
  }
  const { token } = options;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new TypeError(
      `Expected \`token\` for the ${vendor.name} client to be a non-empty string`,
    );
  }
  if (/[\r\n]/.test(token)) {
    throw new TypeError(`Expected \`token\` for the ${vendor.name} client to be a single line`);
  }
  const rawBaseUrl = options.baseUrl ?? vendor.defaultBaseUrl;
  if (rawBaseUrl === undefined) {
    throw new TypeError(
      `Expected \`baseUrl\` for the ${vendor.name} client: it has no default host`,
    );
  }
  const baseUrl = normalizeBaseUrl(rawBaseUrl);
  const mediaType = vendor.mediaType ?? 'application/json';
  // Middleware added by the caller (with how many times), who gets real `Request`s.
  const userMiddleware = new Map<Middleware, number>();
  const ownFetch = options.fetch === undefined;
  const client = createClient<Paths, MediaType>({
    baseUrl,
    // `fetchRequest` resolves `globalThis.fetch` at call time, so that test doubles installed
    // after construction still apply.
    fetch: options.fetch ?? fetchRequest,
    Request: requestClassFor(() => ownFetch && userMiddleware.size === 0),
    headers: { Accept: mediaType, ...options.headers },
  });
  client.use(bearerAuth(token, mediaType));
  const limiter = resolveRateLimiter(options.rateLimit, vendor.rateLimit, 'rateLimit', {
    dailyReserve: options.dailyReserve,
  });
  if (limiter) {
    const names = vendor.rateLimitHeaders;
    client.use(
      rateLimitMiddleware(limiter, {
        retryAfter:
          vendor.retryAfter ??
          (names ? (response) => retryAfterFromRateLimitHeaders(response, names) : undefined),
        pauseAfter: vendor.pauseAfter,
        budget: names ? (response) => readRateLimitHeaders(response.headers, names) : undefined,
        isDailyRefusal: vendor.isDailyRefusal,
      }),
    );
    limiterByClient.set(client, limiter);
  }
  handRealRequestsToCallers(client, userMiddleware);
  return client;
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

type CallInit = { middleware?: unknown[]; fetch?: unknown; Request?: unknown } | undefined;
type CallMethod = (url: unknown, init?: CallInit) => Promise<unknown>;

/**
 * Makes the client build real `Request`s for calls whose requests the caller's code will see:
 * after `client.use(...)` (until those middleware are ejected), and for a call given its own
 * `middleware` or `fetch`. Must run after the client's own middleware is registered.
 */
function handRealRequestsToCallers(client: object, userMiddleware: Map<Middleware, number>): void {
  const target = client as Record<string, unknown>;
  const use = target.use as (...middleware: Middleware[]) => void;
  const eject = target.eject as (...middleware: Middleware[]) => void;
  target.use = (...middleware: Middleware[]) => {
    use(...middleware);
    for (const m of middleware) if (m) userMiddleware.set(m, (userMiddleware.get(m) ?? 0) + 1);
  };
  target.eject = (...middleware: Middleware[]) => {
    eject(...middleware);
    for (const m of middleware) {
      const count = userMiddleware.get(m) ?? 0;
      if (count > 1) userMiddleware.set(m, count - 1);
      else userMiddleware.delete(m);
    }
  };
  const real = (init: CallInit): CallInit =>
    init && init.Request === undefined && (init.fetch !== undefined || init.middleware?.length)
      ? { ...init, Request: ReusableRequest }
      : init;
  for (const method of METHODS) {
    const call = target[method] as CallMethod;
    target[method] = (url: unknown, init?: CallInit) => call(url, real(init));
  }
  const request = target.request as (method: unknown, url: unknown, init?: CallInit) => unknown;
  target.request = (method: unknown, url: unknown, init?: CallInit) =>
    request(method, url, real(init));
}

function bearerAuth(token: string, mediaType: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${token}`);
      const contentType = request.headers.get('Content-Type');
      if (contentType?.startsWith('application/json') && mediaType !== 'application/json') {
        request.headers.set('Content-Type', mediaType);
      }
      return request;
    },
    onResponse({ request, response }) {
      // Only an error names the method; two WeakMap entries per answer are a bulk run's garbage.
      if (!response.ok) rememberMethod(response, request.method, request.url);
    },
  };
}

/** The result shape of every openapi-fetch call. */
export interface FetchResultLike<Data, Err> {
  data?: Data;
  error?: Err;
  response: Response;
}

/** Options for {@link unwrap}. */
export interface UnwrapOptions {
  /** Reads how long to wait from vendor-specific headers when `Retry-After` is absent. */
  retryAfter?: ((response: Response) => number | undefined) | undefined;
}

/**
 * Returns the data of a successful openapi-fetch call, or throws an {@link ApiError} that carries
 * the status, the vendor's parsed error body and its request id.
 */
export function unwrap<Data, Err>(
  result: FetchResultLike<Data, Err>,
  options: UnwrapOptions = {},
): Data {
  const { response } = result;
  if (response.ok) return result.data as Data;
  throw apiErrorFromResponse(response, result.error, options);
}

/** Builds an {@link ApiError} from a failed response and its parsed body. */
export function apiErrorFromResponse<Err>(
  response: Response,
  body: Err,
  options: UnwrapOptions = {},
): ApiError<Err> {
  return new ApiError<Err>({
    status: response.status,
    method: requestMethodOf(response),
    // A Response made by a test double or a proxy may have no url: fall back to the request's.
    url: response.url || urlByResponse.get(response) || '',
    body,
    requestId: requestIdOf(response, body),
    retryAfterMs:
      parseRetryAfter(response.headers.get('retry-after')) ?? options.retryAfter?.(response),
  });
}

const methodByResponse = new WeakMap<Response, string>();
const urlByResponse = new WeakMap<Response, string>();

/** Remembers the method (and URL) of the request that produced `response`: a Response does not keep the method, and one made by a test double has no URL. */
export function rememberMethod(response: Response, method: string, url?: string): void {
  methodByResponse.set(response, method);
  if (url !== undefined) urlByResponse.set(response, url);
}

function requestMethodOf(response: Response): string {
  return methodByResponse.get(response) ?? 'HTTP';
}

function requestIdOf(response: Response, body: unknown): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers.get(name);
    if (value) return value;
  }
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['correlationId', 'requestId', 'request_id']) {
      const value = record[key];
      if (typeof value === 'string' && value) return value;
    }
  }
  return undefined;
}
