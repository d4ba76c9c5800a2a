import type { SandboxResponse } from '../types.js';

const ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** The machine-readable `error` value for a status. */
export function errorCodeFor(status: number): string {
  return ERROR_CODES[status] ?? `http_${status}`;
}

/** Whole seconds to wait, as `Retry-After` and the 429 body's `retryAfter` carry it. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(0, Math.ceil(retryAfterMs / 1000));
}

export interface ErrorResponseInit {
  status: number;
  message: string;
  /** Overrides the code derived from the status (e.g. `asset_not_found`). */
  error?: string | undefined;
  details?: { pointer: string; message: string }[] | undefined;
  retryAfterMs?: number | undefined;
  requestId: string;
}

/** An error in the vendor's `{ error, message }` shape, with `retryAfter` on a 429. */
export function errorResponse(init: ErrorResponseInit): SandboxResponse {
  const headers: Record<string, string> = { 'X-Request-Id': init.requestId };
  const body: Record<string, unknown> = {
    error: init.error ?? errorCodeFor(init.status),
    message: init.message,
  };
  if (init.details && init.details.length > 0) {
    body.details = init.details.map(({ pointer, message }) => ({ pointer, message }));
  }
  if (init.retryAfterMs !== undefined) {
    headers['Retry-After'] = String(retryAfterSeconds(init.retryAfterMs));
  }
  if (init.status === 429) {
    body.error = 'rate_limit_exceeded';
    body.retryAfter = retryAfterSeconds(init.retryAfterMs ?? 0);
  }
  return { status: init.status, headers, body };
}
