/**
 * `POST /api/v2/account_lists/{account_list_id}/notification_preferences/bulk`: every member is
 * checked and created on its own, and the answer holds one result per member, in order.
 */
import { isUuid } from '@bulk-clients/core';
import type { SandboxRequest, SandboxResponse, SimulatorContext } from '../types.js';
import {
  type ErrorDocument,
  type ErrorObject,
  errorObject,
  errorResponse,
  MEDIA_TYPE,
  preferenceResource,
} from './json-api.js';
import type { MpdxPreferenceRecord, MpdxState } from './state.js';

const FLAGS = ['app', 'email', 'task'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Handles a bulk create request against `state`. */
export function bulkCreate(
  request: SandboxRequest,
  state: MpdxState,
  ctx: SimulatorContext,
): SandboxResponse {
  // The route skips the server's spec validation (members fail one by one), so the media type
  // is checked here as well.
  const contentType = String(request.headers['content-type'] ?? '');
  if (contentType.split(';')[0]?.trim().toLowerCase() !== MEDIA_TYPE) {
    return errorResponse(415, [errorObject(415, `Send the body as ${MEDIA_TYPE}.`)]);
  }
  const accountListId = request.params.account_list_id ?? '';
  if (!state.accountLists.has(accountListId)) {
    return errorResponse(404, [errorObject(404, `No account list with id ${accountListId}.`)]);
  }
  const body = bodyOf(request);
  const members = isObject(body) ? body.data : undefined;
  if (!Array.isArray(members) || members.length === 0) {
    return errorResponse(400, [
      errorObject(400, 'data must be an array with at least one member.', { pointer: '/data' }),
    ]);
  }
  const results = members.map((member, index) =>
    createOne(member, index, accountListId, state, ctx),
  );
  return { status: 200, body: results };
}

function bodyOf(request: SandboxRequest): unknown {
  if (request.body !== undefined) return request.body;
  if (request.rawBody.length === 0) return undefined;
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

function createOne(
  member: unknown,
  index: number,
  accountListId: string,
  state: MpdxState,
  ctx: SimulatorContext,
): { data: ReturnType<typeof preferenceResource> } | ErrorDocument {
  const at = `/data/${index}/data`;
  const resource = isObject(member) ? member.data : undefined;
  if (!isObject(resource)) {
    return refuse(
      undefined,
      errorObject(400, 'Each member must wrap a resource object in data.', { pointer: at }),
    );
  }
  const id = isUuid(resource.id) ? resource.id : undefined;
  if (id === undefined) {
    return refuse(
      undefined,
      errorObject(400, 'id must be a client-generated uuid.', { pointer: `${at}/id` }),
    );
  }
  const problem = checkResource(resource, at, state);
  if (problem) return refuse(id, problem);
  if (state.preferences.has(id)) {
    return refuse(
      id,
      errorObject(409, `A notification preference with id ${id} already exists.`, {
        pointer: `${at}/id`,
      }),
    );
  }
  const attributes = resource.attributes as Json;
  const now = ctx.now();
  const record: MpdxPreferenceRecord = {
    id,
    accountListId,
    notificationTypeId: notificationTypeIdOf(resource) as string,
    app: attributes.app === true,
    email: attributes.email === true,
    task: attributes.task === true,
    createdAt: now,
    updatedAt: now,
  };
  state.preferences.set(id, record);
  state.writeCounts.set(id, (state.writeCounts.get(id) ?? 0) + 1);
  return { data: preferenceResource(record) };
}

/** The first thing wrong with a member that has a valid id, if anything. */
function checkResource(resource: Json, at: string, state: MpdxState): ErrorObject | undefined {
  if (resource.type !== 'notification_preferences') {
    return errorObject(400, 'type must be notification_preferences.', { pointer: `${at}/type` });
  }
  const attributes = resource.attributes;
  if (!isObject(attributes)) {
    return errorObject(400, 'attributes must be an object of app, email and task flags.', {
      pointer: `${at}/attributes`,
    });
  }
  for (const flag of FLAGS) {
    if (flag in attributes && typeof attributes[flag] !== 'boolean') {
      return errorObject(400, `${flag} must be true or false.`, {
        pointer: `${at}/attributes/${flag}`,
      });
    }
  }
  const linkage = linkageOf(resource);
  const pointer = `${at}/relationships/notification_type/data`;
  if (linkage?.type !== 'notification_types' || typeof linkage.id !== 'string') {
    return errorObject(400, 'A notification preference needs a notification_types relationship.', {
      pointer,
    });
  }
  if (!state.notificationTypes.has(linkage.id)) {
    return errorObject(404, `No notification type with id ${linkage.id}.`, {
      pointer: `${pointer}/id`,
    });
  }
  return undefined;
}

function linkageOf(resource: Json): Json | undefined {
  const relationships = resource.relationships;
  const relationship = isObject(relationships) ? relationships.notification_type : undefined;
  const data = isObject(relationship) ? relationship.data : undefined;
  return isObject(data) ? data : undefined;
}

function notificationTypeIdOf(resource: Json): string | undefined {
  const id = linkageOf(resource)?.id;
  return typeof id === 'string' ? id : undefined;
}

function refuse(id: string | undefined, error: ErrorObject): ErrorDocument {
  return id === undefined ? { errors: [error] } : { errors: [error], id };
}
