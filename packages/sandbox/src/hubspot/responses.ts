/**
 * HubSpot's answer shapes: the common error body, the 429 body, per-input `StandardError`
 * entries, records as HubSpot renders them, and the 200/201/207 batch envelopes.
 */
import type {
  RateLimitPolicy,
  SandboxResponse,
  SimulatorContext,
  ValidationProblem,
} from '../types.js';
import type { ObjectType } from './object-types.js';
import type { StoredRecord } from './state.js';

export const MEDIA_TYPE = 'application/json';

const CATEGORY_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'INVALID_AUTHENTICATION',
  403: 'MISSING_SCOPES',
  404: 'OBJECT_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'REQUEST_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

export interface ErrorDetailBody {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

export interface StandardErrorBody {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: ErrorDetailBody[];
  links: Record<string, string>;
}

export interface ErrorBodyExtras {
  errors?: ErrorDetailBody[];
  context?: Record<string, string[]>;
}

/** An answer in HubSpot's common error shape, with the correlation id in body and header. */
export function errorResponse(
  ctx: SimulatorContext,
  status: number,
  message: string,
  extras: ErrorBodyExtras = {},
): SandboxResponse {
  const correlationId = ctx.uuid();
  return {
    status,
    headers: { 'x-hubspot-correlation-id': correlationId },
    contentType: MEDIA_TYPE,
    body: {
      status: 'error',
      message,
      correlationId,
      category: CATEGORY_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR'),
      ...(extras.errors && extras.errors.length > 0 ? { errors: extras.errors } : {}),
      ...(extras.context ? { context: extras.context } : {}),
    },
  };
}

/** HubSpot's name for each limit, as its 429 bodies give it in `policyName`. */
export const POLICY_NAMES: Readonly<Record<RateLimitPolicy, string>> = {
  window: 'TEN_SECONDLY_ROLLING',
  secondly: 'SECONDLY',
  daily: 'DAILY',
};

/** The 429 answer: HubSpot's rate-limit body (naming the limit) rather than the common error shape. */
export function rateLimitResponse(
  ctx: SimulatorContext,
  policy: RateLimitPolicy = 'window',
): SandboxResponse {
  const policyName = POLICY_NAMES[policy];
  const message = `You have reached your ${policyName.toLowerCase()} limit.`;
  const correlationId = ctx.uuid();
  return {
    status: 429,
    headers: { 'x-hubspot-correlation-id': correlationId },
    contentType: MEDIA_TYPE,
    body: {
      status: 'error',
      message,
      errorType: 'RATE_LIMIT',
      correlationId,
      policyName,
      requestId: ctx.uuid(),
    },
  };
}

/** Spec-validation problems as HubSpot error details. */
export function validationDetails(problems: readonly ValidationProblem[]): ErrorDetailBody[] {
  return problems.map((problem) => ({
    message: problem.message,
    code: 'INVALID_INPUT',
    in:
      problem.in === 'query' || problem.in === 'path'
        ? (problem.parameter ?? problem.pointer)
        : problem.pointer,
  }));
}

/** One `StandardError` of a 207 answer; `ids` names the failed inputs. */
export function standardError(
  category: string,
  message: string,
  ids: readonly string[],
  errors: ErrorDetailBody[] = [],
  extraContext: Record<string, string[]> = {},
): StandardErrorBody {
  return {
    status: 'error',
    category,
    message,
    context: { ids: [...ids], ...extraContext },
    errors,
    links: {},
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A record as HubSpot returns it: the always-returned properties, the properties in `names`
 * (`null` where empty), and the input's `objectWriteTraceId` when it had one.
 */
export function renderRecord(
  type: ObjectType,
  record: StoredRecord,
  names: Iterable<string>,
  objectWriteTraceId?: string,
): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = record.properties[name] ?? null;
  properties.hs_object_id = record.id;
  properties.createdate = iso(record.createdAt);
  properties[type.lastModified] = iso(record.updatedAt);
  return {
    id: record.id,
    properties,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
    ...(record.archivedAt !== undefined ? { archivedAt: iso(record.archivedAt) } : {}),
    ...(objectWriteTraceId !== undefined ? { objectWriteTraceId } : {}),
  };
}

/**
 * The 400 of a batch refused whole because some input failed validation. Like HubSpot's, it
 * lists what was wrong but names no input (no `context.ids`), so a client cannot tell which
 * input to drop without splitting the batch.
 */
export function wholeBatchRefusal(
  ctx: SimulatorContext,
  problems: readonly { property: string; code?: string; reason: string }[],
): SandboxResponse {
  const listed = problems.map((p) => ({
    isValid: false,
    message: p.reason,
    error: p.code ?? 'INVALID_INPUT',
    name: p.property,
  }));
  return errorResponse(ctx, 400, `Property values were not valid: ${JSON.stringify(listed)}`, {
    errors: problems.map((p) => ({
      message: p.reason,
      ...(p.code ? { code: p.code } : {}),
      in: p.property,
    })),
  });
}

/**
 * The batch envelope: `successStatus` (200 or 201) when nothing failed, else 207 with `errors`
 * and `numErrors`. HubSpot answers synchronously, so `status` is always `COMPLETE`; a batch in
 * which every input failed is still a 207, with empty `results`.
 */
export function batchResponse(
  ctx: SimulatorContext,
  requestedAt: number,
  results: unknown[],
  errors: StandardErrorBody[],
  successStatus: 200 | 201,
): SandboxResponse {
  const at = iso(ctx.now());
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    requestedAt: iso(requestedAt),
    startedAt: iso(requestedAt),
    completedAt: at,
  };
  if (errors.length > 0) {
    body.errors = errors;
    body.numErrors = errors.length;
  }
  return { status: errors.length > 0 ? 207 : successStatus, contentType: MEDIA_TYPE, body };
}
