import { type ItemError, isUuid } from '@bulk-clients/core';
import type { NewNotificationPreference, NotificationPreferenceBulkItem } from './types.js';

const FLAGS = ['app', 'email', 'task'] as const;
const FIELDS: ReadonlySet<string> = new Set(['id', 'notificationTypeId', ...FLAGS]);

/**
 * The first thing wrong with one input record, or `undefined` when it can be sent. The error
 * names the field and the record's 0-based index in the input.
 */
export function checkNewNotificationPreference(
  item: unknown,
  index: number,
): ItemError | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return invalid(index, undefined, `expected an object, got ${describe(item)}`);
  }
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) {
      return invalid(index, key, `unknown field; expected ${[...FIELDS].join(', ')}`);
    }
  }
  if (record.id !== undefined && !isUuid(record.id)) {
    return invalid(index, 'id', `expected a uuid, got ${describe(record.id)}`);
  }
  if (!isUuid(record.notificationTypeId)) {
    return invalid(
      index,
      'notificationTypeId',
      `expected the uuid of a notification type, got ${describe(record.notificationTypeId)}`,
    );
  }
  for (const flag of FLAGS) {
    const value = record[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      return invalid(index, flag, `expected true or false, got ${describe(value)}`);
    }
  }
  return undefined;
}

/** The JSON:API member of a bulk request for one preference, under the client id `id`. */
export function toBulkMember(
  preference: NewNotificationPreference,
  id: string,
): NotificationPreferenceBulkItem {
  const attributes: { app?: boolean; email?: boolean; task?: boolean } = {};
  for (const flag of FLAGS) {
    const value = preference[flag];
    if (value !== undefined) attributes[flag] = value;
  }
  return {
    data: {
      type: 'notification_preferences',
      id,
      attributes,
      relationships: {
        notification_type: {
          data: { type: 'notification_types', id: preference.notificationTypeId },
        },
      },
    },
  };
}

function invalid(index: number, field: string | undefined, problem: string): ItemError {
  return {
    code: 'invalid_item',
    message: `Record ${index}: ${field === undefined ? '' : `${field}: `}${problem}`,
    field,
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
