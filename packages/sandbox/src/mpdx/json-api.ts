/**
 * JSON:API documents as MPDX sends them: resource objects, error objects and timestamps. Every
 * shape here matches a schema in `specs/mpdx/openapi.yaml`.
 */
import type { SandboxResponse } from '../types.js';
import type { MpdxAccountList, MpdxNotificationType, MpdxPreferenceRecord } from './state.js';

export const MEDIA_TYPE = 'application/vnd.api+json';

/** One JSON:API error object (`components/schemas/ErrorObject`). */
export interface ErrorObject {
  status: string;
  title: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
}

/** A JSON:API error document (`components/schemas/ErrorDocument`). */
export interface ErrorDocument {
  errors: ErrorObject[];
  /** The client id of the refused bulk member. */
  id?: string;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A JSON:API error object for `status`, with its standard title. */
export function errorObject(
  status: number,
  detail: string,
  source?: ErrorObject['source'],
): ErrorObject {
  return {
    status: String(status),
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Error'),
    detail,
    ...(source ? { source } : {}),
  };
}

/** A whole response carrying a JSON:API error document. */
export function errorResponse(
  status: number,
  errors: ErrorObject[],
  headers: Record<string, string> = {},
): SandboxResponse {
  const body: ErrorDocument = { errors };
  return { status, headers, body };
}

/** Rails serialises times to the second, in UTC. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `components/schemas/NotificationPreference`. */
export function preferenceResource(record: MpdxPreferenceRecord) {
  return {
    id: record.id,
    type: 'notification_preferences',
    attributes: {
      app: record.app,
      created_at: timestamp(record.createdAt),
      email: record.email,
      task: record.task,
      updated_at: timestamp(record.updatedAt),
      updated_in_db_at: timestamp(record.updatedAt),
    },
    relationships: {
      // Singular, as the vendor's example shows (requests send `notification_types`).
      notification_type: { data: { id: record.notificationTypeId, type: 'notification_type' } },
    },
  };
}

/** `components/schemas/NotificationType`. */
export function notificationTypeResource(type: MpdxNotificationType) {
  return {
    id: type.id,
    type: 'notification_types',
    attributes: {
      name: type.name,
      description: type.description,
      created_at: timestamp(type.createdAt),
      updated_at: timestamp(type.updatedAt),
    },
  };
}

/** `components/schemas/AccountList`. */
export function accountListResource(list: MpdxAccountList) {
  return {
    id: list.id,
    type: 'account_lists',
    attributes: {
      name: list.name,
      created_at: timestamp(list.createdAt),
      updated_at: timestamp(list.updatedAt),
    },
  };
}
