/** The vault's error bodies, built in one place so that every route answers alike. */
import type { ErrorDetails, SandboxRequest, SandboxResponse, ValidationProblem } from '../types.js';

const JSON_TYPE = 'application/json';

/** `{ message }`: 401 and the statuses the vendor documents no body for. */
export function messageError(status: number, message: string): SandboxResponse {
  return { status, body: { message }, contentType: JSON_TYPE };
}

/** 403 `{ message, required_permission }`. */
export function forbidden(permission: string): SandboxResponse {
  return {
    status: 403,
    body: { message: 'Forbidden - Insufficient permissions', required_permission: permission },
    contentType: JSON_TYPE,
  };
}

/** 404 `{ message, error: 'resource_not_found' }`. */
export function notFound(message = 'Resource not found'): SandboxResponse {
  return { status: 404, body: { message, error: 'resource_not_found' }, contentType: JSON_TYPE };
}

/** 422 `{ message, errors: { field: [messages] } }`, Laravel's validation shape. */
export function fieldErrors(errors: Record<string, string[]>): SandboxResponse {
  const messages = Object.values(errors).flat();
  const first = messages[0] ?? 'The given data was invalid.';
  const more = messages.length - 1;
  const message = more > 0 ? `${first} (and ${more} more error${more === 1 ? '' : 's'})` : first;
  return { status: 422, body: { message, errors }, contentType: JSON_TYPE };
}

/** 422 `{ message, errors: ['Entry N: ...'] }`, the bulk endpoint's shape. */
export function entryErrors(message: string, errors: string[]): SandboxResponse {
  return { status: 422, body: { message, errors }, contentType: JSON_TYPE };
}

/** 5xx `{ message, error_code }`. */
export function serverError(status: number, message: string): SandboxResponse {
  const errorCode = status === 503 ? 'SERVICE_UNAVAILABLE' : 'SERVER_ERROR';
  return { status, body: { message, error_code: errorCode }, contentType: JSON_TYPE };
}

/** The vault's answer to a status the shared server produces itself. */
export function vaultError(
  status: number,
  message: string,
  details?: ErrorDetails,
): SandboxResponse {
  if (status === 404) return notFound(message);
  if (status === 422) return fieldErrors(fieldErrorsFrom(details?.validation ?? []));
  if (status >= 500) return serverError(status, message);
  const answer =
    status === 429 ? messageError(429, 'Too Many Attempts.') : messageError(status, message);
  if (status === 429 && details?.retryAfterMs !== undefined) {
    answer.headers = { 'Retry-After': String(Math.max(1, Math.ceil(details.retryAfterMs / 1000))) };
  }
  return answer;
}

/**
 * The vault's answer to a request that fails spec validation. Like Laravel, a path parameter
 * that cannot name a record (a malformed uuid) is a 404; anything else a 422 per field.
 */
export function vaultInvalid(
  problems: ValidationProblem[],
  _request: SandboxRequest,
): SandboxResponse {
  if (problems.some((problem) => problem.in === 'path')) return notFound();
  return fieldErrors(fieldErrorsFrom(problems));
}

/** Groups problems by field, naming nested body fields the Laravel way (`entries.0.file_id`). */
export function fieldErrorsFrom(problems: ValidationProblem[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const problem of problems) {
    const field = problem.parameter ?? fieldOfPointer(problem.pointer);
    const messages = errors[field] ?? [];
    messages.push(fieldMessage(field, problem.message));
    errors[field] = messages;
  }
  return errors;
}

/** Laravel-like sentence: "The per_page field must be <= 100." (no field named twice). */
function fieldMessage(field: string, message: string): string {
  const sentence = message.includes(field) ? message : `The ${field} field ${message}`;
  const capitalized = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return capitalized.endsWith('.') ? capitalized : `${capitalized}.`;
}

function fieldOfPointer(pointer: string): string {
  const segments = pointer
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return segments.length > 0 ? segments.join('.') : 'body';
}
