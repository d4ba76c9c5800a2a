/**
 * The contract between the sandbox's shared server (routing, auth hook, spec validation, faults)
 * and each vendor simulator in `src/<vendor>/`. A simulator owns its state and its routes; the
 * server owns everything that is the same for every vendor.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type VendorName = 'hubspot' | 'thought-industries' | 'vec' | 'mpdx';

/**
 * A problem found by spec validation. `pointer` is a JSON pointer into the request body, or
 * `/<name>` of the parameter when `in` is `path` or `query`.
 */
export interface ValidationProblem {
  pointer: string;
  message: string;
  /** Where the problem is (`header`: a response header, `pointer` being `/<name>`). @default 'body' */
  in?: 'body' | 'path' | 'query' | 'header';
  /** The parameter's name, when `in` is `path` or `query`. */
  parameter?: string;
}

/** A parsed request as a route handler sees it. */
export interface SandboxRequest {
  method: string;
  /** Path without the query string, e.g. `/crm/v3/objects/tickets/batch/update`. */
  path: string;
  /** Path parameters from the route pattern (`/api/v2/account_lists/{account_list_id}/...`). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed body: JSON value for JSON media types, `MultipartBody` for multipart, else undefined. */
  body: unknown;
  rawBody: Buffer;
  /** The bearer token sent, if any. */
  token: string | undefined;
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}
export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartPart[];
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON with `contentType` (default: the vendor's media type). Omit for 204. */
  body?: unknown;
  contentType?: string;
}

/** Deterministic services every simulator receives. */
export interface SimulatorContext {
  /** Milliseconds; use it for all timestamps and background-job progress (tests may fake it). */
  now(): number;
  /** Seeded PRNG in [0, 1): same seed, same data. */
  random(): number;
  /** Seeded UUID v4 generator. */
  uuid(): string;
  /** How long a simulated background job/batch takes to settle, in ms (`--job-ms`). */
  jobMs(): number;
  /** Whether background jobs should currently fail (fault `jobs.failureRate`), decided per job. */
  jobShouldFail(): boolean;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path template, exactly as in the spec: `/incoming/v2/jobs/{id}`. */
  path: string;
  handle(request: SandboxRequest): SandboxResponse | Promise<SandboxResponse>;
  /**
   * Whether the server validates the request (parameters and body) against the spec before
   * calling `handle`. Turn it off where the vendor reports validation problems in a business
   * format of its own that the handler builds (for example the vault's `Entry N: ...`).
   * @default true
   */
  validateRequest?: boolean;
}

/** Options the server passes to every simulator factory (`createHubSpotSimulator(ctx, options)`). */
export interface SimulatorOptions {
  /** The bearer token the sandbox accepts. */
  token: string;
}

/** What a vendor simulator gives the server. */
export interface VendorSimulator<State = unknown> {
  /**
   * The vendor, which also names its spec: `specs/<name>/openapi.yaml`. Names beyond the four
   * vendors are allowed for simulators of one's own (tests, fixtures).
   */
  name: VendorName | (string & {});
  /** Path prefixes this vendor serves (`/crm/v3/`), used to pick the vendor for 404s and faults. */
  prefixes: readonly string[];
  /** Media type of its JSON bodies (`application/vnd.api+json` for MPDX). */
  mediaType: string;
  routes: readonly Route[];
  /** Readable state, for tests to prove nothing was lost or written twice. */
  state: State;
  /**
   * Checks the credential. Return a response (401/403 in the vendor's shape) to reject, or
   * undefined to accept. `route` is the matched route, for per-permission checks.
   */
  authorize(request: SandboxRequest, route: Route): SandboxResponse | undefined;
  /** The vendor's error body for a status the server produces itself (400, 404, 405, 413, 415, 429, 5xx). */
  error(status: number, message: string, details?: ErrorDetails): SandboxResponse;
  /** The vendor's response to a request that fails spec validation (status and shape are the vendor's). */
  invalid(problems: ValidationProblem[], request: SandboxRequest): SandboxResponse;
  /**
   * The vendor's rate-limit headers for the limits that apply to a request. The server adds them
   * to a 429, and to every other answer when `rateLimitPolicy.everyResponse` says so. `Retry-After`
   * is the server's (the fault's `retryAfter` switch), not part of these.
   */
  rateLimitHeaders?(state: RateLimitState): Record<string, string>;
  /** How the vendor limits requests, as far as its documentation says. @default bucket, Retry-After, 429s only */
  rateLimitPolicy?: VendorRateLimitPolicy;
}

/** A vendor's documented (or inferred) rate-limit behaviour, used where a fault leaves it open. */
export interface VendorRateLimitPolicy {
  /** The algorithm when a `rateLimit` fault names no `mode`. */
  mode: RateLimitMode;
  /** The bucket size for a `bucket` limit of `requests` per window when the fault sets no `burst`. @default requests */
  burst?(requests: number): number;
  /** Whether a 429 carries `Retry-After` when the fault does not say. */
  retryAfter: boolean;
  /** Whether every answer carries the rate-limit headers (else only 429s). */
  everyResponse: boolean;
}

/**
 * `bucket`: a token bucket (a burst, then a steady refill). `fixed`: a counter reset at window
 * boundaries aligned to multiples of `perMs` since the Unix epoch on the sandbox clock.
 * `rolling`: a true sliding window over the times of accepted requests.
 */
export type RateLimitMode = 'bucket' | 'fixed' | 'rolling';

/** Which limit refused a request: the main window, the extra one-second limit, or the day's budget. */
export type RateLimitPolicy = 'window' | 'secondly' | 'daily';

/** The limits that apply to one request, after it was counted (or refused). */
export interface RateLimitState {
  /** The main limit (`rateLimit` fault), when one applies. */
  window?: RateLimitInfo;
  /** The one-second limit (`rateLimit.secondly`), when set. */
  secondly?: RateLimitInfo;
  /** The day's budget (`dailyLimit` fault), when set. */
  daily?: RateLimitInfo;
  /** The limit that refused the request; absent when it was let through. */
  refusedBy?: RateLimitPolicy;
}

export interface ErrorDetails {
  /** Spec validation errors, as `{ pointer, message }` (JSON pointer into the request body). */
  validation?: ValidationProblem[];
  retryAfterMs?: number;
  /** On a 429: which limit refused the request. */
  rateLimitPolicy?: RateLimitPolicy;
}

/** One limiter's state, as its algorithm computes it. */
export interface RateLimitInfo {
  /** Requests allowed per `windowMs`. */
  limit: number;
  /** Requests that would still pass right now. */
  remaining: number;
  windowMs: number;
  /** Unix ms when the whole budget is available again (a fixed window's end, a full bucket). */
  resetAt: number;
  /** On a refusal, ms until a request would pass; 0 otherwise. */
  retryAfterMs: number;
}

/** A vendor simulator factory, as each `src/<vendor>/index.ts` exports one. */
export type SimulatorFactory<State = unknown> = (
  ctx: SimulatorContext,
  options: SimulatorOptions,
) => VendorSimulator<State>;
