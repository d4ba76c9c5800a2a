/**
 * The MPDX API v2 simulator: JSON:API notification preferences on seeded account lists and
 * notification types. Paths are the templates of `specs/mpdx/openapi.yaml`.
 */
import type {
  ErrorDetails,
  Route,
  SandboxRequest,
  SandboxResponse,
  SimulatorContext,
  SimulatorOptions,
  ValidationProblem,
  VendorRateLimitPolicy,
  VendorSimulator,
} from '../types.js';
import { xRateLimitHeaders } from '../x-rate-limit-headers.js';
import { bulkCreate } from './bulk-create.js';
import {
  accountListResource,
  type ErrorObject,
  errorObject,
  errorResponse,
  MEDIA_TYPE,
  notificationTypeResource,
  preferenceResource,
} from './json-api.js';
import { paginate } from './pagination.js';
import { type MpdxState, seedMpdxState } from './state.js';

export type {
  MpdxAccountList,
  MpdxNotificationType,
  MpdxPreferenceRecord,
  MpdxState,
} from './state.js';

/**
 * Inferred: MPDX documents no limit. The `X-RateLimit-Reset` its spec declares on a 429 implies
 * a window that resets at a known time, so a fixed window (as Rails' usual throttling middleware
 * counts, aligned to the clock).
 */
export const MPDX_RATE_LIMIT_POLICY: VendorRateLimitPolicy = {
  mode: 'fixed',
  retryAfter: true,
  everyResponse: false,
};

/** Creates the MPDX simulator with freshly seeded state. */
export function createMpdxSimulator(
  ctx: SimulatorContext,
  options: SimulatorOptions,
): VendorSimulator<MpdxState> {
  const state = seedMpdxState(ctx);
  // Rails sends a request id with every response; support staff look requests up by it.
  const withRequestId = (response: SandboxResponse): SandboxResponse => ({
    ...response,
    headers: { 'X-Request-Id': ctx.uuid(), ...response.headers },
  });

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/api/v2/account_lists',
      handle: (request) =>
        withRequestId(listed([...state.accountLists.values()].map(accountListResource), request)),
    },
    {
      method: 'GET',
      path: '/api/v2/account_lists/{account_list_id}/notification_preferences',
      handle: (request) => {
        const accountListId = request.params.account_list_id ?? '';
        if (!state.accountLists.has(accountListId))
          return withRequestId(accountListNotFound(accountListId));
        const preferences = [...state.preferences.values()]
          .filter((record) => record.accountListId === accountListId)
          .map(preferenceResource);
        return withRequestId(listed(preferences, request));
      },
    },
    {
      method: 'GET',
      path: '/api/v2/account_lists/{account_list_id}/notification_preferences/{id}',
      handle: (request) => {
        const accountListId = request.params.account_list_id ?? '';
        if (!state.accountLists.has(accountListId))
          return withRequestId(accountListNotFound(accountListId));
        const id = request.params.id ?? '';
        const record = state.preferences.get(id);
        if (!record || record.accountListId !== accountListId) {
          return withRequestId(
            errorResponse(404, [
              errorObject(404, `No notification preference with id ${id} in this account list.`),
            ]),
          );
        }
        return withRequestId({ status: 200, body: { data: preferenceResource(record) } });
      },
    },
    {
      method: 'POST',
      path: '/api/v2/account_lists/{account_list_id}/notification_preferences/bulk',
      // Members are refused one by one inside a 200, so the handler checks the body itself.
      validateRequest: false,
      handle: (request) => withRequestId(bulkCreate(request, state, ctx)),
    },
    {
      method: 'GET',
      path: '/api/v2/notification_types',
      handle: () => {
        const types = [...state.notificationTypes.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(notificationTypeResource);
        return withRequestId({ status: 200, body: { data: types } });
      },
    },
  ];

  return {
    name: 'mpdx',
    prefixes: ['/api/v2/'],
    mediaType: MEDIA_TYPE,
    routes,
    state,
    authorize(request) {
      if (request.token !== undefined && request.token === options.token) return undefined;
      const detail =
        request.token === undefined
          ? 'Send a JSON Web Token as Authorization: Bearer <jwt>.'
          : 'The JSON Web Token is not valid.';
      return withRequestId(
        errorResponse(401, [errorObject(401, detail)], { 'WWW-Authenticate': 'Bearer' }),
      );
    },
    error(status, message, details) {
      const headers: Record<string, string> = {};
      if (details?.retryAfterMs !== undefined) {
        headers['Retry-After'] = String(Math.ceil(details.retryAfterMs / 1000));
      }
      return withRequestId(errorResponse(status, errorsFor(status, message, details), headers));
    },
    invalid(problems) {
      return withRequestId(
        errorResponse(
          400,
          problems.map((problem) => validationError(400, problem)),
        ),
      );
    },
    rateLimitHeaders: xRateLimitHeaders,
    rateLimitPolicy: MPDX_RATE_LIMIT_POLICY,
  };
}

function listed(resources: unknown[], request: SandboxRequest): SandboxResponse {
  const page = paginate(resources, request.query);
  if (Array.isArray(page)) return errorResponse(400, page);
  return { status: 200, body: { data: page.items, meta: page.meta } };
}

function accountListNotFound(accountListId: string): SandboxResponse {
  return errorResponse(404, [errorObject(404, `No account list with id ${accountListId}.`)]);
}

function errorsFor(
  status: number,
  message: string,
  details: ErrorDetails | undefined,
): ErrorObject[] {
  const problems = details?.validation ?? [];
  if (problems.length === 0) return [errorObject(status, message)];
  return problems.map((problem) => validationError(status, problem));
}

/** A spec validation problem as a JSON:API error: body problems point, parameters are named. */
function validationError(status: number, problem: ValidationProblem): ErrorObject {
  if (problem.in === 'query' || problem.in === 'path') {
    const parameter = problem.parameter ?? problem.pointer.replace(/^\//, '');
    return errorObject(status, problem.message, { parameter });
  }
  return errorObject(status, problem.message, { pointer: problem.pointer });
}
