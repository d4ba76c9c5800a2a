/** Stable, machine-readable classification of an HTTP failure. */
export type ApiErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'rate_limited'
  | 'server_error'
  | 'http_error';

const CODE_BY_STATUS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/** Maps an HTTP status to an {@link ApiErrorCode}. */
export function codeForStatus(status: number): ApiErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'http_error');
}

/** Response headers that vendors use to identify a request for their support teams. */
export const REQUEST_ID_HEADERS: readonly string[] = [
  'x-request-id',
  'x-hubspot-correlation-id',
  'x-correlation-id',
  'request-id',
];

export interface ApiErrorInit<Body> {
  status: number;
  method: string;
  url: string;
  body: Body;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  message?: string | undefined;
}

/**
 * A non-2xx response from a vendor API. Carries the parsed vendor error body, never the request
 * headers: the credential cannot leak through `message`, `stack` or `util.inspect`.
 */
export class ApiError<Body = unknown> extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** The vendor's error body, parsed as JSON when it was JSON, else the raw text. */
  readonly body: Body;
  /** The vendor's request or correlation id, where it sends one. */
  readonly requestId: string | undefined;
  /** How long the vendor asked us to wait (from `Retry-After` or its rate-limit headers). */
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit<Body>) {
    const vendorMessage = init.message ?? messageFromBody(init.body);
    const id = init.requestId ? ` [request ${init.requestId}]` : '';
    super(
      `${init.method} ${pathOf(init.url)} failed with ${init.status}${vendorMessage ? `: ${vendorMessage}` : ''}${id}`,
    );
    this.code = codeForStatus(init.status);
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      method: this.method,
      url: this.url,
      requestId: this.requestId,
      message: this.message,
      body: this.body,
    };
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Picks the human message out of the error shapes our vendors use. */
export function messageFromBody(body: unknown): string | undefined {
  if (typeof body === 'string') return body.length > 0 ? body.slice(0, 300) : undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.message === 'string') return record.message;
  if (typeof record.error === 'string') return record.error;
  const errors = record.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as unknown;
    if (typeof first === 'string') return first;
    if (first && typeof first === 'object') {
      const e = first as Record<string, unknown>;
      if (typeof e.detail === 'string') return e.detail;
      if (typeof e.title === 'string') return e.title;
      if (typeof e.message === 'string') return e.message;
    }
  }
  return undefined;
}
