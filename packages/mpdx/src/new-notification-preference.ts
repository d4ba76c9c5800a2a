import type { ItemError } from '@bulk-clients/core';
import type { NotificationPreferenceBulkItem } from './types.js';

/**
 * A notification preference to create, in the flat shape callers (and CSV or JSON Lines files)
 * have it. {@link toBulkMember} turns it into the JSON:API member MPDX expects.
 *
 * @example { notificationTypeId: 'ed0218b7-1f9c-4d20-9777-a9447820f410', email: true }
 */
export interface NewNotificationPreference {
  /**
   * The uuid of the new preference. Leave it out to have one derived from the run and the
   * record's position, which a resumed run derives again.
   * @default derived with `deriveItemId(runId, index)`
   */
  id?: string | undefined;
  /** The uuid of the notification type the preference is for. */
  notificationTypeId: string;
  /**
   * Show the notification inside the MPDX application.
   * @default false (MPDX stores a flag left out as false)
   */
  app?: boolean | undefined;
  /**
   * Send the notification by email.
   * @default false
   */
  email?: boolean | undefined;
  /**
   * Create a task for the notification.
   * @default false
   */
  task?: boolean | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FLAGS = ['app', 'email', 'task'] as const;
const FIELDS: ReadonlySet<string> = new Set(['id', 'notificationTypeId', ...FLAGS]);

/** Whether `value` is a uuid in its canonical text form, as MPDX ids are. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

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
